"""Unit tests for scoring/ with hand-computed expected values.

The content is a small synthetic questionnaire (the real questionnaire.yaml with its scale,
bands, signals and advice rules, plus two tiny module files), so the arithmetic stays easy:

    doel         (thema)    d1, d2 (reverse), d3
    sturing      (fundament) s1, s2, s3, s4 (reverse)
    stopcriteria (stop)     geen_gedeelde_opgave: g1, g2       (stopcriterium)
                            baten_uitgebleven: b1, b2          (stopcriterium)
                            efficiency_niet_ingeboekt: e1, e2 (reverse)  (signaal)
                            draagvlak_weg: w1, w2 (w2 skipped when required)  (stopcriterium)
    signalen     (stop)     geen_grip: x1, x2                  (signaal)
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaire.loader import CONTENT_DIR, Questionnaire, load_questionnaire
from scoring import (
    NO_ADVICE_REASON,
    AdviceResult,
    add_role_group,
    advice_distribution,
    advise,
    advise_participants,
    aggregate_criteria,
    aggregate_sections,
    band_for,
    option_shares,
    score_criteria,
    score_sections,
    section_gaps,
    signal_for,
)

MODULE_BASIS = """
id: basis
title: Basis
order: 1
sections:
  - id: doel
    title: Doel
    kind: thema
    explanation: Of de samenwerking een doel heeft.
    items:
      - {id: d1, text: Het doel is helder., source: 001_a1.txt}
      - {id: d2, text: Niemand weet waarom we samenwerken., source: 001_a2.txt, reverse: true}
      - {id: d3, text: Het doel wordt gedeeld., source: 001_a3.txt}
  - id: sturing
    title: Sturing
    kind: fundament
    explanation: Of de raad kan sturen.
    items:
      - {id: s1, text: De raad krijgt informatie., source: 002_b1.txt}
      - {id: s2, text: De raad kan bijsturen., source: 002_b2.txt}
      - {id: s3, text: De raad wordt gehoord., source: 002_b3.txt}
      - {id: s4, text: De raad staat buitenspel., source: 002_b4.txt, reverse: true}
"""

MODULE_STOP = """
id: stop
title: Stopcriteria
order: 2
sections:
  - id: stopcriteria
    title: Stopcriteria
    kind: stop
    explanation: Signalen om te stoppen.
    criteria:
      - {id: geen_gedeelde_opgave, kind: stopcriterium, title: Geen gedeelde opgave, explanation: Er is geen gedeelde opgave.}
      - {id: baten_uitgebleven, kind: stopcriterium, title: Baten uitgebleven, explanation: De baten blijven uit.}
      - {id: efficiency_niet_ingeboekt, kind: signaal, title: Efficiency, explanation: Efficiency niet ingeboekt.}
      - {id: draagvlak_weg, kind: stopcriterium, title: Draagvlak weg, explanation: Het draagvlak is weg.}
    items:
      - {id: g1, text: Er is geen gedeelde opgave., source: 003_c1.txt, criterion: geen_gedeelde_opgave}
      - {id: g2, text: Elke gemeente wil iets anders., source: 003_c2.txt, criterion: geen_gedeelde_opgave}
      - {id: b1, text: De baten blijven uit., source: 003_c3.txt, criterion: baten_uitgebleven}
      - {id: b2, text: Het levert niets op., source: 003_c4.txt, criterion: baten_uitgebleven}
      - {id: e1, text: Besparingen zijn niet ingeboekt., source: 003_c5.txt, criterion: efficiency_niet_ingeboekt}
      - {id: e2, text: De besparing is gehaald., source: 003_c6.txt, criterion: efficiency_niet_ingeboekt, reverse: true}
      - {id: w1, text: Het draagvlak is weg., source: 003_c7.txt, criterion: draagvlak_weg}
      - {id: w2, text: De raad wil eruit., source: 003_c8.txt, criterion: draagvlak_weg, skip_when_required: true}
  - id: signalen
    title: Signalen
    kind: stop
    explanation: Nog een stopsectie, om de reikwijdte van een sessie te testen.
    criteria:
      - {id: geen_grip, kind: signaal, title: Geen grip, explanation: De raad heeft geen grip.}
    items:
      - {id: x1, text: De raad heeft geen grip., source: 004_d1.txt, criterion: geen_grip}
      - {id: x2, text: Niemand stuurt., source: 004_d2.txt, criterion: geen_grip}
"""

CRITERIA = ["geen_gedeelde_opgave", "baten_uitgebleven", "efficiency_niet_ingeboekt", "draagvlak_weg", "geen_grip"]


def write_content(root: Path) -> Path:
    (root / "modules").mkdir(parents=True)
    shutil.copy(CONTENT_DIR / "questionnaire.yaml", root / "questionnaire.yaml")
    (root / "modules" / "basis.yaml").write_text(MODULE_BASIS, encoding="utf-8")
    (root / "modules" / "stop.yaml").write_text(MODULE_STOP, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def q(tmp_path_factory) -> Questionnaire:
    return load_questionnaire(write_content(tmp_path_factory.mktemp("content")))


def answers_df(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    """{participant: {item: value}} -> long-form answers."""
    return pd.DataFrame(
        [(p, i, v) for p, items in rows.items() for i, v in items.items()], columns=["participant", "item", "value"]
    )


def row(df: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(df), dtype=bool)
    for k, v in where.items():
        mask &= (df[k] == v).to_numpy()
    assert mask.sum() == 1, f"expected one row for {where}, got {mask.sum()}"
    return df[mask].iloc[0]


def test_settings_used_by_the_tests(q):
    # The hand-computed expectations below rely on these values of the real questionnaire.yaml.
    assert q.scoring.min_answered_share == 0.5
    assert [(b.id, b.min) for b in q.scoring.bands] == [("sterk", 4.0), ("aandachtspunt", 3.0), ("zorgpunt", 1.0)]
    assert [(s.id, s.min) for s in q.scoring.signals] == [("rood", 4.0), ("oranje", 3.0), ("groen", 1.0)]
    assert q.scoring.conversation_gap == 1.0
    assert q.scale.dont_know.code == 0


# ---------------------------------------------------------------- score_sections


def test_reverse_items_are_recoded(q):
    out = score_sections(answers_df({"p1": {"d1": 4, "d2": 2, "d3": 5}}), q)
    r = row(out, participant="p1", section="doel")
    assert r["score_raw"] == pytest.approx((4 + (6 - 2) + 5) / 3)  # 4.333...
    assert r["score"] == 4.3  # rounded once, half up, to one decimal
    assert (r["n_items"], r["n_answered"], r["band"], r["status"]) == (3, 3, "sterk", "ok")


def test_all_dont_know_gives_no_score(q):
    out = score_sections(answers_df({"p1": {"d1": 0, "d2": 0, "d3": 0}}), q)
    r = row(out, participant="p1", section="doel")
    assert (r["n_items"], r["n_answered"]) == (3, 0)
    assert math.isnan(r["score"])
    assert r["band"] is None
    assert r["status"] == "te_weinig_antwoorden"


def test_exactly_half_answered_is_scored(q):
    # sturing has 4 items; 2 answered = 0.5 * 4 -> scored. s4 is reverse: 6 - 1 = 5.
    out = score_sections(answers_df({"p1": {"s1": 3, "s4": 1, "s2": 0}}), q)
    r = row(out, participant="p1", section="sturing")
    assert (r["n_items"], r["n_answered"], r["status"]) == (4, 2, "ok")
    assert r["score"] == (3 + (6 - 1)) / 2  # = 4.0 exactly
    assert r["band"] == "sterk"


def test_less_than_half_answered_is_not_scored(q):
    # sturing: 1 of 4 answered (< 2); doel: 1 of 3 answered (< 1.5), 2 of 3 would be enough.
    out = score_sections(answers_df({"p1": {"s1": 5, "s2": 0, "s3": 0, "d1": 4}, "p2": {"d1": 4, "d3": 2}}), q)
    for section, p in [("sturing", "p1"), ("doel", "p1")]:
        r = row(out, participant=p, section=section)
        assert r["n_answered"] == 1
        assert math.isnan(r["score"]) and r["band"] is None and r["status"] == "te_weinig_antwoorden"
    r = row(out, participant="p2", section="doel")
    assert (r["n_answered"], r["status"], r["score"]) == (2, "ok", (4 + 2) / 2)


def test_every_participant_and_section_present(q):
    # p2 only answered an unknown item: still one row per section, unscored. Stop items are not scored here.
    out = score_sections(answers_df({"p1": {"d1": 3, "d3": 3, "g1": 5}, "p2": {"oud_item": 4}}), q)
    assert list(out.columns) == ["participant", "section", "n_items", "n_answered", "score", "band", "status", "score_raw"]
    assert list(zip(out["participant"], out["section"], strict=True)) == [
        ("p1", "doel"),
        ("p1", "sturing"),
        ("p2", "doel"),
        ("p2", "sturing"),
    ]
    assert row(out, participant="p1", section="doel")["score"] == (3 + 3) / 2
    assert out.loc[out["participant"] == "p2", "n_answered"].tolist() == [0, 0]


def test_section_ids_limit_the_scope(q):
    out = score_sections(answers_df({"p1": {"d1": 3, "d3": 3, "s1": 4, "s2": 4}}), q, section_ids=["sturing", "stopcriteria"])
    assert out["section"].tolist() == ["sturing"]
    with pytest.raises(ValueError, match="onbekende sectie"):
        score_sections(answers_df({"p1": {"d1": 3}}), q, section_ids=["bestaat_niet"])


def test_single_participant(q):
    out = score_sections(answers_df({"solo": {"d1": 1, "d2": 5, "d3": 1, "s1": 2, "s2": 2, "s3": 3, "s4": 4}}), q)
    assert len(out) == 2
    assert row(out, section="doel")["score"] == (1 + (6 - 5) + 1) / 3  # = 1.0
    assert row(out, section="sturing")["score_raw"] == pytest.approx((2 + 2 + 3 + (6 - 4)) / 4)  # = 2.25
    assert row(out, section="sturing")["score"] == 2.3  # half up, not half even (2.2)
    assert row(out, section="sturing")["band"] == "zorgpunt"
    agg = aggregate_sections(out, None, by=[], min_n=1)
    r = row(agg, section="sturing")
    assert (r["n"], r["mean"], r["median"], r["min"], r["max"]) == (1, 2.3, 2.3, 2.3, 2.3)
    # one person: no spread and no agreement to speak of (r_wg needs two)
    assert math.isnan(r["std"]) and math.isnan(r["agreement"]) and not r["suppressed"]
    assert row(aggregate_sections(out, None, by=[], min_n=3), section="sturing")["suppressed"]


def test_band_boundaries(q):
    # Section scores of exactly 3.0 and 4.0 from answers.
    out = score_sections(
        answers_df(
            {"drie": {"d1": 3, "d2": 3, "d3": 3}, "vier": {"d1": 4, "d2": 2, "d3": 4}, "net": {"d1": 3, "d2": 4, "d3": 3}}
        ),
        q,
    )
    assert row(out, participant="drie", section="doel")["band"] == "aandachtspunt"  # (3 + 3 + 3) / 3 = 3.0
    assert row(out, participant="vier", section="doel")["band"] == "sterk"  # (4 + (6 - 2) + 4) / 3 = 4.0
    assert row(out, participant="net", section="doel")["band"] == "zorgpunt"  # (3 + 2 + 3) / 3 = 2.67
    assert band_for(4.0, q) == "sterk"
    assert band_for(3.9999, q) == "aandachtspunt"
    assert band_for(3.0, q) == "aandachtspunt"
    assert band_for(2.9999, q) == "zorgpunt"
    assert band_for(1.0, q) == "zorgpunt"
    assert band_for(5.0, q) == "sterk"
    # Float noise below a threshold still lands in the band: 10 * 0.4 summed = 3.9999999999999996.
    noisy = sum([0.4] * 10)
    assert noisy < 4.0 and band_for(noisy, q) == "sterk"
    assert band_for(float("nan"), q) is None and band_for(None, q) is None
    assert signal_for(4.0, q) == "rood" and signal_for(3.0, q) == "oranje" and signal_for(2.5, q) == "groen"


def test_row_order_does_not_matter(q):
    a = answers_df({"p2": {"d1": 5, "d2": 1, "s1": 4}, "p1": {"d3": 2, "d1": 3, "s4": 5, "s2": 1}})
    base = score_sections(a, q)
    shuffled = score_sections(a.sample(frac=1, random_state=3).reset_index(drop=True), q)
    pd.testing.assert_frame_equal(base, shuffled)


def test_bad_input_raises(q):
    dup = pd.DataFrame({"participant": ["p1", "p1"], "item": ["d1", "d1"], "value": [3, 4]})
    with pytest.raises(ValueError, match="dubbel antwoord"):
        score_sections(dup, q)
    with pytest.raises(ValueError, match="ongeldige waarde"):
        score_sections(answers_df({"p1": {"d1": 6}}), q)
    with pytest.raises(ValueError, match="mist kolom"):
        score_sections(pd.DataFrame({"participant": ["p1"], "item": ["d1"]}), q)
    # A value on an unknown item is ignored, not checked.
    assert len(score_sections(answers_df({"p1": {"oud": 99}}), q)) == 2


def test_empty_answers(q):
    empty = pd.DataFrame(
        {"participant": pd.Series(dtype=object), "item": pd.Series(dtype=object), "value": pd.Series(dtype="int64")}
    )
    assert score_sections(empty, q).empty
    assert score_criteria(empty, q).empty
    assert advise_participants(score_criteria(empty, q), q).empty


# ---------------------------------------------------------------- score_criteria


def test_criteria_scores_and_signals(q):
    a = answers_df({"p1": {"g1": 5, "g2": 4, "b1": 3, "b2": 2, "e1": 1, "e2": 5, "w1": 4, "w2": 0}})
    out = score_criteria(a, q)
    assert list(out.columns) == [
        "participant", "section", "criterion", "n_items", "n_answered", "score", "signal", "status", "score_raw"
    ]
    assert out["criterion"].tolist() == CRITERIA
    assert out["section"].tolist() == ["stopcriteria"] * 4 + ["signalen"]
    assert row(out, criterion="geen_gedeelde_opgave")["score"] == (5 + 4) / 2  # 4.5 -> rood
    assert row(out, criterion="geen_gedeelde_opgave")["signal"] == "rood"
    assert row(out, criterion="baten_uitgebleven")["score"] == (3 + 2) / 2  # 2.5 -> groen
    assert row(out, criterion="baten_uitgebleven")["signal"] == "groen"
    assert row(out, criterion="efficiency_niet_ingeboekt")["score"] == (1 + (6 - 5)) / 2  # e2 reverse: 1.0
    r = row(out, criterion="draagvlak_weg")  # 1 of 2 answered = half -> scored
    assert (r["n_answered"], r["score"], r["signal"], r["status"]) == (1, 4.0, "rood", "ok")


def test_criteria_too_few(q):
    out = score_criteria(answers_df({"p1": {"g1": 0, "g2": 0, "b1": 3}}), q)
    r = row(out, criterion="geen_gedeelde_opgave")
    assert math.isnan(r["score"]) and r["signal"] is None and r["status"] == "te_weinig_antwoorden"
    assert row(out, criterion="baten_uitgebleven")["signal"] == "oranje"  # 1 of 2, score 3.0
    assert row(out, criterion="draagvlak_weg")["n_answered"] == 0


# ---------------------------------------------------------------- advice (real rules)


def sig(**kw) -> dict[str, str | None]:
    """All five criteria asked and green unless given."""
    out = {c: "groen" for c in CRITERIA}
    out.update(kw)
    return out


def test_advice_three_red_stoppen(q):
    res = advise(
        sig(geen_gedeelde_opgave="rood", baten_uitgebleven="rood", efficiency_niet_ingeboekt="rood", draagvlak_weg="rood"), q
    )
    assert isinstance(res, AdviceResult)
    assert (res.advice, res.label, res.reason) == ("stoppen", "Stoppen", "Drie of meer stopcriteria staan op rood.")
    assert res.meaning == q.advice_by_id["stoppen"].meaning
    # the rule counts stop criteria: the red signal (efficiency) neither counts nor drives it
    assert res.drivers == ("geen_gedeelde_opgave", "baten_uitgebleven", "draagvlak_weg")
    # two stop criteria and a signal red is not three stop criteria: baten red -> uitkleden
    res = advise(sig(baten_uitgebleven="rood", efficiency_niet_ingeboekt="rood", draagvlak_weg="rood"), q)
    assert (res.advice, res.drivers) == ("uitkleden", ("baten_uitgebleven",))


def test_advice_no_shared_task_plus_red_stoppen(q):
    # Signals given in reverse content order: drivers still in content order.
    res = advise({"draagvlak_weg": "rood", "baten_uitgebleven": "groen", "geen_gedeelde_opgave": "rood"}, q)
    assert res.advice == "stoppen"
    assert res.reason.startswith("Er is geen gedeelde opgave meer")
    assert res.drivers == ("geen_gedeelde_opgave", "draagvlak_weg")


def test_advice_no_shared_task_alone_is_herijken(q):
    # 1 red (rule 2 needs min_red 2; rule 3 lists other criteria) -> rule 4.
    res = advise(sig(geen_gedeelde_opgave="rood"), q)
    assert (res.advice, res.reason, res.drivers) == ("herijken", "Eén stopcriterium staat op rood.", ("geen_gedeelde_opgave",))


def test_advice_uitkleden(q):
    res = advise(sig(baten_uitgebleven="rood"), q)
    assert (res.advice, res.drivers) == ("uitkleden", ("baten_uitgebleven",))
    assert res.reason == "De beloofde opbrengst van de samenwerking blijft uit."
    # The red signal and the orange criterion do not drive it.
    res = advise(sig(baten_uitgebleven="rood", efficiency_niet_ingeboekt="rood", draagvlak_weg="oranje"), q)
    assert (res.advice, res.drivers) == ("uitkleden", ("baten_uitgebleven",))
    # The budgeted savings (a signal) alone never give uitkleden: one red signal -> herijken.
    res = advise(sig(efficiency_niet_ingeboekt="rood"), q)
    assert (res.advice, res.reason, res.drivers) == (
        "herijken", "Een signaal uit de praktijk staat op rood.", ("efficiency_niet_ingeboekt",)
    )


def test_advice_one_red_herijken(q):
    res = advise(sig(draagvlak_weg="rood", baten_uitgebleven="oranje"), q)
    assert (res.advice, res.drivers) == ("herijken", ("draagvlak_weg",))


def test_advice_two_orange_herijken(q):
    res = advise(sig(geen_gedeelde_opgave="oranje", draagvlak_weg="oranje"), q)
    assert (res.advice, res.reason) == ("herijken", "Twee of meer stopcriteria of signalen staan op oranje.")
    assert res.drivers == ("geen_gedeelde_opgave", "draagvlak_weg")


def test_advice_default_doorgaan(q):
    res = advise(sig(baten_uitgebleven="oranje"), q)
    assert (res.advice, res.label) == ("doorgaan", "Doorgaan")
    assert res.drivers == ("baten_uitgebleven",)  # the orange criterion
    assert advise(sig(), q).drivers == ()


def test_advice_too_few_signals(q):
    # 2 of 5 asked criteria have a signal: 2 < 0.5 * 5 -> no advice, even though one is red.
    nothing = {c: None for c in CRITERIA}
    res = advise({**nothing, "geen_gedeelde_opgave": "rood", "draagvlak_weg": "groen"}, q)
    assert res == AdviceResult(advice=None, label=None, meaning=None, reason=NO_ADVICE_REASON, drivers=())
    assert res.reason == "Te weinig stopcriteria beantwoord om een advies te geven."
    # 3 of 5 >= 2.5 -> an advice.
    res = advise({**nothing, "geen_gedeelde_opgave": "rood", "draagvlak_weg": "groen", "geen_grip": "groen"}, q)
    assert res.advice == "herijken"
    assert advise({}, q).advice is None
    assert advise(nothing, q).advice is None


def test_advice_counts_only_asked_criteria(q):
    # Only the criteria in the mapping were asked: 1 of 2 asked = exactly half -> an advice.
    res = advise({"baten_uitgebleven": "rood", "geen_grip": None}, q)
    assert (res.advice, res.drivers) == ("uitkleden", ("baten_uitgebleven",))
    # A session with only the "signalen" section: 1 criterion asked and answered.
    a = answers_df({"p1": {"x1": 4, "x2": 5}, "p2": {"x1": 0, "x2": 0}})
    out = advise_participants(score_criteria(a, q, section_ids=["signalen"]), q)
    assert out["advice"].tolist() == ["herijken", None]  # p1: (4 + 5) / 2 = 4.5 -> red -> one red
    assert out["drivers"].tolist() == ["geen_grip", ""]
    # The same answers with every stop section asked: 1 of 5 -> too few.
    assert advise_participants(score_criteria(a, q), q)["advice"].tolist() == [None, None]


def test_advice_rejects_unknown_ids(q):
    with pytest.raises(ValueError, match="criterium"):
        advise({"bestaat_niet": "rood"}, q)
    with pytest.raises(ValueError, match="signaal"):
        advise(sig(draagvlak_weg="paars"), q)


def test_advice_orange_or_red_any_of_rule(q):
    from questionnaire.models import AdviceRule

    rules = [
        AdviceRule(
            advice="herijken", reason="Draagvlak of baten wankelen.", orange_or_red_any_of=["draagvlak_weg", "baten_uitgebleven"]
        ),
        AdviceRule(advice="stoppen", reason="Twee of meer oranje of rood.", min_orange_or_red=2),
        AdviceRule(advice="doorgaan", reason="Anders."),
    ]
    q2 = Questionnaire(settings=q.settings.model_copy(update={"advice_rules": rules}), modules=q.modules)
    res = advise(sig(draagvlak_weg="oranje", baten_uitgebleven="rood", geen_gedeelde_opgave="rood"), q2)
    assert (res.advice, res.drivers) == ("herijken", ("baten_uitgebleven", "draagvlak_weg"))
    res = advise(sig(geen_gedeelde_opgave="oranje", efficiency_niet_ingeboekt="rood"), q2)
    assert (res.advice, res.drivers) == ("stoppen", ("geen_gedeelde_opgave", "efficiency_niet_ingeboekt"))


def test_advise_participants(q):
    a = answers_df(
        {
            "p1": {"g1": 5, "g2": 5, "w1": 4, "w2": 4, "b1": 1, "b2": 1},  # ggo + draagvlak red, 3 of 5 -> stoppen
            "p2": {"b1": 3, "b2": 3, "g1": 1, "g2": 2, "x1": 1},  # baten orange, ggo + grip green, 3 of 5 -> doorgaan
            "p3": {"g1": 5},  # 1 of 5 criteria -> no advice
        }
    )
    out = advise_participants(score_criteria(a, q), q)
    assert list(out.columns) == ["participant", "advice", "advice_label", "reason", "drivers"]
    assert out["participant"].tolist() == ["p1", "p2", "p3"]
    assert out["advice"].tolist() == ["stoppen", "doorgaan", None]
    assert out["drivers"].tolist() == ["geen_gedeelde_opgave; draagvlak_weg", "baten_uitgebleven", ""]
    assert out["advice_label"].tolist() == ["Stoppen", "Doorgaan", None]
    assert out["reason"].iloc[2] == NO_ADVICE_REASON


# ---------------------------------------------------------------- aggregation


PARTICIPANTS = pd.DataFrame(
    {
        "participant": ["p1", "p2", "p3", "p4", "p5"],
        "municipality": ["Aa", "Aa", "Aa", "Bee", "Bee"],
        "role": ["raadslid", "wethouder", "raadslid", "griffier", "ambtenaar"],
        "role_group": ["raad", "college", "raad", "raad", "ambtelijk"],
    }
)

GROUP_ANSWERS = {
    # doel scores: p1 (2 + (6-4) + 2)/3 = 2, p2 3, p3 (5 + (6-1) + 5)/3 = 5, p4 4, p5 1
    "p1": {"d1": 2, "d2": 4, "d3": 2, "s1": 4, "s2": 4},
    "p2": {"d1": 3, "d2": 3, "d3": 3, "s1": 0, "s2": 0, "s3": 0},
    "p3": {"d1": 5, "d2": 1, "d3": 5, "s1": 2, "s2": 3},
    "p4": {"d1": 4, "d2": 2, "d3": 4, "s1": 5, "s2": 5},
    "p5": {"d1": 1, "d2": 5, "d3": 1, "s1": 1, "s2": 1},
}


def test_aggregate_three_person_group_by_hand(q):
    scores = score_sections(answers_df(GROUP_ANSWERS), q)
    agg = aggregate_sections(scores, PARTICIPANTS, by=["municipality"], min_n=3, q=q)
    assert list(agg.columns) == [
        "municipality",
        "section",
        "n",
        "mean",
        "median",
        "std",
        "min",
        "max",
        "agreement",
        "agreement_level",
        "band",
        "suppressed",
    ]
    assert list(zip(agg["municipality"], agg["section"], strict=True)) == [
        ("Aa", "doel"),
        ("Aa", "sturing"),
        ("Bee", "doel"),
        ("Bee", "sturing"),
    ]
    r = row(agg, municipality="Aa", section="doel")  # scores 2, 3, 5
    mean = (2 + 3 + 5) / 3
    std = math.sqrt(((2 - mean) ** 2 + (3 - mean) ** 2 + (5 - mean) ** 2) / (3 - 1))  # sqrt(7/3)
    assert r["n"] == 3
    assert r["mean"] == 3.3  # 10 / 3 = 3.333..., rounded once
    assert r["median"] == 3
    assert r["std"] == pytest.approx(std) and std == pytest.approx(math.sqrt(7 / 3))
    assert (r["min"], r["max"]) == (2, 5)
    # r_wg = 1 - s^2 / 2 = 1 - (7/3) / 2 = -0.17 -> 0 (more spread than random answers)
    assert r["agreement"] == 0.0 and r["agreement_level"] == "weinig"
    assert r["band"] == "aandachtspunt" and not r["suppressed"]


def test_aggregate_two_person_group_is_suppressed(q):
    scores = score_sections(answers_df(GROUP_ANSWERS), q)
    agg = aggregate_sections(scores, PARTICIPANTS, by=["municipality"], min_n=3, q=q)
    for section in ["doel", "sturing"]:
        r = row(agg, municipality="Bee", section=section)
        assert r["suppressed"]
        for col in ["n", "mean", "median", "std", "min", "max", "agreement"]:
            assert math.isnan(r[col]), col
        assert r["band"] is None and r["agreement_level"] is None
    # Aa/sturing: p2 answered only "weet niet" -> no score -> n = 2 < 3 -> suppressed too.
    assert row(agg, municipality="Aa", section="sturing")["suppressed"]
    # With min_n 2 they show: Bee/doel scores 4 and 1.
    agg2 = aggregate_sections(scores, PARTICIPANTS, by=["municipality"], min_n=2)
    r = row(agg2, municipality="Bee", section="doel")
    assert (r["n"], r["mean"], r["median"], r["min"], r["max"]) == (2, (4 + 1) / 2, 2.5, 1, 4)
    assert r["std"] == pytest.approx(math.sqrt(((4 - 2.5) ** 2 + (1 - 2.5) ** 2) / 1))  # 2.12
    assert r["agreement"] == 0.0  # 1 - 4.5 / 2 < 0 -> 0
    r = row(agg2, municipality="Aa", section="sturing")  # p1 (4+4)/2 = 4, p3 (2+3)/2 = 2.5
    assert (r["n"], r["mean"]) == (2, 3.3)  # (4 + 2.5) / 2 = 3.25 -> 3.3 (half up)


def test_aggregate_everyone_and_two_columns(q):
    scores = score_sections(answers_df(GROUP_ANSWERS), q)
    everyone = aggregate_sections(scores, None, by=[], min_n=3)
    assert list(everyone.columns[:2]) == ["section", "n"] and len(everyone) == 2
    r = row(everyone, section="doel")  # 2, 3, 5, 4, 1
    assert (r["n"], r["mean"], r["median"]) == (5, (2 + 3 + 5 + 4 + 1) / 5, 3)
    r = row(everyone, section="sturing")  # 4, 2.5, 5, 1 (p2 unscored)
    assert (r["n"], r["mean"]) == (4, 3.1)  # 12.5 / 4 = 3.125 -> 3.1
    by2 = aggregate_sections(scores, PARTICIPANTS, by=["municipality", "role_group"], min_n=1)
    r = row(by2, municipality="Aa", role_group="raad", section="doel")  # p1, p3
    assert (r["n"], r["mean"]) == (2, (2 + 5) / 2)


def test_aggregate_identical_scores_agree_fully(q):
    scores = pd.DataFrame({"participant": ["a", "b", "c"], "section": "doel", "score": [3.5, 3.5, 3.5]})
    r = aggregate_sections(scores, None, by=[], min_n=3).iloc[0]
    assert (r["std"], r["agreement"]) == (0.0, 1.0)


def test_aggregate_validates(q):
    scores = score_sections(answers_df(GROUP_ANSWERS), q)
    with pytest.raises(ValueError, match="min_n"):
        aggregate_sections(scores, PARTICIPANTS, by=["municipality"], min_n=0)
    with pytest.raises(ValueError, match="meer dan eens"):
        aggregate_sections(pd.concat([scores, scores]), PARTICIPANTS, by=["municipality"], min_n=3)
    with pytest.raises(ValueError, match="mist kolom"):
        aggregate_sections(scores, PARTICIPANTS, by=["bestaat_niet"], min_n=3)


def test_aggregate_criteria(q):
    a = answers_df(
        {
            "p1": {"g1": 5, "g2": 4, "b1": 1, "b2": 1},  # ggo 4.5
            "p2": {"g1": 4, "g2": 4, "b1": 2, "b2": 2},  # ggo 4.0
            "p3": {"g1": 2, "g2": 3, "b1": 3, "b2": 3},  # ggo 2.5
        }
    )
    agg = aggregate_criteria(score_criteria(a, q), PARTICIPANTS, by=["municipality"], min_n=3, q=q)
    assert list(agg.columns) == [
        "municipality",
        "section",
        "criterion",
        "n",
        "mean",
        "median",
        "std",
        "min",
        "max",
        "agreement",
        "agreement_level",
        "signal",
        "suppressed",
    ]
    r = row(agg, municipality="Aa", criterion="geen_gedeelde_opgave")
    assert (r["section"], r["n"], r["median"]) == ("stopcriteria", 3, 4.0)
    assert r["mean"] == 3.7  # (4.5 + 4.0 + 2.5) / 3 = 3.67 -> 3.7 -> oranje
    assert r["signal"] == "oranje"
    assert row(agg, municipality="Aa", criterion="draagvlak_weg")["suppressed"]  # nobody answered
    assert row(agg, municipality="Bee", criterion="geen_gedeelde_opgave")["suppressed"]  # no one in Bee answered


def test_option_shares(q):
    a = answers_df({"p1": {"d1": 4}, "p2": {"d1": 4}, "p3": {"d1": 0}, "p4": {"d1": 5}, "p5": {"d1": 5}})
    out = option_shares(a, PARTICIPANTS, q, by=["municipality"], min_n=3)
    assert list(out.columns) == ["municipality", "item", "option", "count", "share", "n", "suppressed"]
    aa = out[(out["municipality"] == "Aa") & (out["item"] == "d1")]
    assert aa["option"].tolist() == [1, 2, 3, 4, 5, 0]
    assert aa["count"].tolist() == [0, 0, 0, 2, 0, 1]
    assert aa["share"].tolist() == pytest.approx([0, 0, 0, 2 / 3, 0, 1 / 3])
    assert set(aa["n"]) == {3} and not aa["suppressed"].any()
    bee = out[(out["municipality"] == "Bee") & (out["item"] == "d1")]
    assert len(bee) == 6 and bee["suppressed"].all()
    assert bee[["count", "share", "n"]].isna().all().all()
    # Items nobody answered are there, suppressed (n = 0).
    assert out[(out["municipality"] == "Aa") & (out["item"] == "s1")]["suppressed"].all()
    everyone = option_shares(a, None, q, by=[], min_n=3)
    r = row(everyone, item="d1", option=5)
    assert (r["count"], r["n"], r["share"]) == (2, 5, 2 / 5)


def test_advice_distribution(q):
    adv = pd.DataFrame(
        {
            "participant": ["p1", "p2", "p3", "p4", "p5"],
            "advice": ["doorgaan", "herijken", "doorgaan", "stoppen", None],
        }
    )
    out = advice_distribution(adv, PARTICIPANTS, by=["municipality"], min_n=3, q=q)
    assert list(out.columns) == ["municipality", "advice", "n", "count", "share", "suppressed"]
    aa = out[out["municipality"] == "Aa"]
    assert aa["advice"].tolist() == ["doorgaan", "herijken", "uitkleden", "wettelijk_bijsturen", "stoppen"]
    assert aa["count"].tolist() == [2, 1, 0, 0, 0]
    assert aa["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 0, 0, 0])
    bee = out[out["municipality"] == "Bee"]  # 1 with an advice (p5 has none) -> suppressed
    assert bee["suppressed"].all() and bee[["n", "count", "share"]].isna().all().all()
    everyone = advice_distribution(adv, None, by=[], min_n=3)
    assert everyone["advice"].tolist() == ["doorgaan", "herijken", "stoppen"]  # without q: those that occur
    assert everyone["count"].tolist() == [2, 1, 1] and set(everyone["n"]) == {4}


def gaps_input(rows: list[tuple[str, str, float, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["municipality", "section", "mean", "suppressed"])


def test_section_gaps_with_ties(q):
    agg = gaps_input(
        [
            ("Cee", "doel", 4.0, False),
            ("Bee", "doel", 2.0, False),
            ("Aa", "doel", 4.0, False),  # ties Cee for highest -> Aa (alphabetical)
            ("Aa", "sturing", 3.0, False),
            ("Bee", "sturing", 3.5, False),
            ("Cee", "sturing", 3.0, False),  # ties Aa for lowest -> Aa
            ("Aa", "samen", 3.0, False),
            ("Bee", "samen", 3.0, False),  # everybody equal -> high Aa, low Bee, gap 0
            ("Aa", "klein", 4.0, False),
            ("Bee", "klein", np.nan, True),  # only one unsuppressed group -> no row
        ]
    )
    out = section_gaps(agg, "municipality", q)
    assert list(out.columns) == ["section", "high_group", "high_mean", "low_group", "low_mean", "gap", "topic"]
    assert out["section"].tolist() == ["doel", "sturing", "samen"]
    r = row(out, section="doel")
    assert (r["high_group"], r["high_mean"], r["low_group"], r["low_mean"]) == ("Aa", 4.0, "Bee", 2.0)
    assert (r["gap"], r["topic"]) == (4.0 - 2.0, True)
    r = row(out, section="sturing")
    assert (r["high_group"], r["low_group"], r["gap"], r["topic"]) == ("Bee", "Aa", 3.5 - 3.0, False)
    r = row(out, section="samen")
    assert (r["high_group"], r["low_group"], r["gap"], r["topic"]) == ("Aa", "Bee", 0.0, False)
    # Order of the rows does not matter.
    pd.testing.assert_frame_equal(
        section_gaps(agg.iloc[::-1], "municipality", q).sort_values("section").reset_index(drop=True),
        out.sort_values("section").reset_index(drop=True),
    )


def test_section_gaps_threshold_exactly(q):
    # 3.7 - 2.7 = 1.0000000000000004 in floating point; the gap is exactly the threshold 1.0.
    out = section_gaps(gaps_input([("Aa", "doel", 3.7, False), ("Bee", "doel", 2.7, False)]), "municipality", q)
    assert out["gap"].tolist() == [1.0] and out["topic"].tolist() == [True]
    out = section_gaps(gaps_input([("Aa", "doel", 3.6, False), ("Bee", "doel", 2.7, False)]), "municipality", q)
    assert out["topic"].tolist() == [False]
    assert section_gaps(gaps_input([("Aa", "doel", 3.0, False)]), "municipality", q).empty


def test_section_gaps_from_aggregate(q):
    scores = score_sections(answers_df(GROUP_ANSWERS), q)
    agg = aggregate_sections(scores, PARTICIPANTS, by=["municipality"], min_n=2)
    out = section_gaps(agg, "municipality", q)
    r = row(out, section="doel")  # Aa (2+3+5)/3 = 3.33 -> 3.3, Bee (4+1)/2 = 2.5
    assert (r["high_group"], r["low_group"]) == ("Aa", "Bee")
    assert r["gap"] == 0.8 and not r["topic"]  # the gap of the rounded means, as shown: 3,3 - 2,5
    with pytest.raises(ValueError, match="meer dan eens"):
        section_gaps(aggregate_sections(scores, PARTICIPANTS, by=["municipality", "role_group"], min_n=1), "municipality", q)


def test_add_role_group(q):
    parts = PARTICIPANTS.drop(columns="role_group").set_index(pd.Index([10, 11, 12, 13, 14]))
    out = add_role_group(parts, q)
    assert out["role_group"].tolist() == ["raad", "college", "raad", "raad", "ambtelijk"]
    assert "role_group" not in parts.columns


def test_section_gaps_marks_at_most_the_largest_three(q):
    """Only gaps of at least conversation_gap (1.0) are topics, and of those only the largest
    conversation_max_topics (3); an equal gap goes to the section that comes first."""
    assert q.scoring.conversation_gap == 1.0 and q.scoring.conversation_max_topics == 3
    gaps = {"a": 1.5, "b": 2.5, "c": 0.99, "d": 1.5, "e": 1.5, "f": 3.0}
    rows = []
    for sec, g in gaps.items():
        rows += [("Aa", sec, 1.0 + g, False), ("Bee", sec, 1.0, False)]
    out = section_gaps(gaps_input(rows), "municipality", q).set_index("section")
    # f 3.0 and b 2.5, then a/d/e tie at 1.5: only a (first) fits in the top three; c is below 1.0.
    assert sorted(out.index[out["topic"]]) == ["a", "b", "f"]
    assert out["topic"].sum() <= 3
    # Five sections all far apart: still three marks.
    rows = [(m, sec, v, False) for sec in "vwxyz" for m, v in (("Aa", 5.0), ("Bee", 1.0))]
    assert section_gaps(gaps_input(rows), "municipality", q)["topic"].sum() == 3
    # Nothing reaches 1.0: no mark at all, however few sections there are.
    assert not section_gaps(gaps_input([("Aa", "doel", 3.9, False), ("Bee", "doel", 3.0, False)]), "municipality", q)[
        "topic"
    ].any()


def test_conversation_max_topics_is_content(q):
    import dataclasses

    scoring_rules = q.settings.scoring.model_copy(update={"conversation_max_topics": 1})
    changed = dataclasses.replace(q, settings=q.settings.model_copy(update={"scoring": scoring_rules}))
    rows = [(m, sec, v, False) for sec in "xyz" for m, v in (("Aa", 5.0 if sec != "y" else 4.5), ("Bee", 1.0))]
    out = section_gaps(gaps_input(rows), "municipality", changed)
    assert out.loc[out["topic"], "section"].tolist() == ["x"]


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None)
def test_topics_are_the_largest_gaps_of_at_least_the_threshold(q, tenths):
    """Whatever the gaps: at most conversation_max_topics topics, each at least conversation_gap,
    and no unmarked gap (of at least the threshold) is larger than a marked one."""
    rows = []
    for k, t in enumerate(tenths):
        rows += [("Aa", f"s{k:02d}", 1.0 + t / 10, False), ("Bee", f"s{k:02d}", 1.0, False)]
    out = section_gaps(gaps_input(rows), "municipality", q)
    marked, unmarked = out[out["topic"]], out[~out["topic"]]
    assert len(marked) <= q.scoring.conversation_max_topics
    assert (marked["gap"] >= q.scoring.conversation_gap).all()
    eligible = out[out["gap"] >= q.scoring.conversation_gap]
    assert len(marked) == min(len(eligible), q.scoring.conversation_max_topics)
    if len(marked) and len(unmarked):
        assert unmarked["gap"].max() <= marked["gap"].min()
