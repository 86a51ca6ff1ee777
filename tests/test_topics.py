"""The top three topics for the conversation (scoring.top_topics), on hand-made score tables."""

from __future__ import annotations

import pandas as pd
import pytest

import scoring
from questionnaire.loader import CONTENT_DIR, load_questionnaire
from scoring.topics import KIND_CRITERION, KIND_GAP, KIND_SECTION, top_topics


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(CONTENT_DIR)


def sections(q, **scores) -> pd.DataFrame:
    return pd.DataFrame(
        {"section": list(scores), "score": list(scores.values()), "band": [scoring.band_for(v, q) for v in scores.values()]}
    )


def criteria(q, **scores) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "criterion": list(scores),
            "score": list(scores.values()),
            "signal": [scoring.signal_for(v, q) for v in scores.values()],
        }
    )


def test_one_of_each_kind_first(q):
    secs = sections(q, fundament=4.2, eerlijk=2.4, eigenaarschap=3.1, raad=2.8)
    crit = criteria(q, geen_gedeelde_opgave=2.0, baten_uitgebleven=4.5, geen_grip=5.0, verstoorde_relaties=4.0)
    gaps = pd.DataFrame(
        {
            "section": ["fundament", "eigenaarschap"],
            "high_group": ["Aa", "Bee"],
            "high_mean": [4.8, 3.9],
            "low_group": ["Bee", "Aa"],
            "low_mean": [3.2, 3.4],
            "gap": [1.6, 0.5],
            "topic": [True, False],
        }
    )
    topics = top_topics(q, secs, crit, gaps)
    # the reddest stop criterion (4.5 before 4.0; the signal geen_grip 5.0 comes after stop criteria),
    # the largest gap that is a topic, the weakest section
    assert [(t.kind, t.ref) for t in topics] == [
        (KIND_CRITERION, "baten_uitgebleven"),
        (KIND_GAP, "fundament"),
        (KIND_SECTION, "eerlijk"),
    ]
    crit_topic, gap_topic, sec_topic = topics
    assert crit_topic.tip == q.criterion_by_id["baten_uitgebleven"].tip and crit_topic.label == "Rood"
    assert (gap_topic.high_group, gap_topic.high_mean, gap_topic.low_group, gap_topic.low_mean, gap_topic.score) == (
        "Aa",
        4.8,
        "Bee",
        3.2,
        1.6,
    )
    assert gap_topic.tip == q.section_by_id["fundament"].tips[0]
    assert (sec_topic.score, sec_topic.label, sec_topic.tip) == (2.4, "Zorgpunt", q.section_by_id["eerlijk"].tips[0])


def test_fills_up_in_order_when_a_kind_is_missing(q):
    # zelfscan: no gaps. Red: verstoorde_relaties 4.0 (stop), geen_grip 5.0 (signal). Weak: eerlijk, raad.
    secs = sections(q, fundament=4.2, eerlijk=2.4, raad=2.8, eigenaarschap=4.0)
    crit = criteria(q, geen_grip=5.0, verstoorde_relaties=4.0, baten_uitgebleven=3.5)
    topics = top_topics(q, secs, crit)
    assert [(t.kind, t.ref) for t in topics] == [
        (KIND_CRITERION, "verstoorde_relaties"),
        (KIND_SECTION, "eerlijk"),
        (KIND_CRITERION, "geen_grip"),
    ]


def test_nothing_to_talk_about(q):
    assert top_topics(q, sections(q, fundament=4.5, eerlijk=4.0), criteria(q, geen_grip=1.5)) == []
    assert top_topics(q, None, None) == []


def test_a_section_appears_once_and_suppressed_rows_are_skipped(q):
    secs = sections(q, fundament=2.0, eerlijk=3.5).assign(suppressed=[False, False])
    gaps = pd.DataFrame(
        {
            "section": ["fundament"],
            "high_group": ["Aa"],
            "high_mean": [3.0],
            "low_group": ["Bee"],
            "low_mean": [1.5],
            "gap": [1.5],
            "topic": [True],
        }
    )
    topics = top_topics(q, secs, None, gaps)
    assert [(t.kind, t.ref) for t in topics] == [(KIND_GAP, "fundament"), (KIND_SECTION, "eerlijk")]
    hidden = sections(q, fundament=2.0).assign(suppressed=[True])
    assert top_topics(q, hidden, None) == []


def test_optional_module_gets_the_tip_for_its_outcome(q):
    topics = top_topics(q, sections(q, vorm=2.2, succesfactoren=3.4), None)
    assert [t.ref for t in topics] == ["vorm", "succesfactoren"]
    assert topics[0].tip == q.section_by_id["vorm"].outcome_tips["zorgpunt"]
    assert topics[1].tip == q.section_by_id["succesfactoren"].outcome_tips["aandachtspunt"]


def test_the_top_three_of_a_session(store, q):
    from services.workshop import conversation_topics, load_session_data
    from tests.test_workshop_service import build_session

    session, _ = build_session(store, q)
    topics = conversation_topics(load_session_data(store, q, session), q)
    # Whole group (Ooststad, 2 people, is below the minimum for its own row but counts in the whole):
    # every stop criterion (4,4,4,4, 2,2,2, 5,5) / 9 = 3.56 -> 3.6 oranje: no red criterion.
    # Gaps (Berkdal vs Meerwijk, Ooststad hidden): eigenaarschap 4.5 - 2.3 = 2.2, ervaringen 4.0 - 2.7 = 1.3.
    # Whole-group sections: successen (3+3+3+3 + 3+4+3 + 1+1) / 9 = 24 / 9 = 2.67 -> 2.7 (the weakest),
    # eerlijk 25 / 9 = 2.78 -> 2.8, ervaringen 26 / 9 = 2.89 -> 2.9, eigenaarschap 27 / 9 = 3.0.
    assert [(t.kind, t.ref) for t in topics] == [
        (KIND_GAP, "eigenaarschap"),
        (KIND_SECTION, "successen"),
        (KIND_GAP, "ervaringen"),
    ]
    gap = topics[0]
    assert (gap.high_group, gap.high_mean, gap.low_group, gap.low_mean, gap.score) == ("Berkdal", 4.5, "Meerwijk", 2.3, 2.2)
    assert topics[1].score == 2.7 and topics[1].label == "Zorgpunt"
    assert topics[1].tip == q.section_by_id["successen"].tips[0]
    assert all(t.low_group != "Ooststad" for t in topics if t.kind == KIND_GAP)
