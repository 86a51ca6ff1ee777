"""Agreement (r_wg) and the one rounding rule, on hand-computed cases (issue 12, items 7 and 8).

r_wg = 1 - s^2 / sigma^2_EU (James, Demaree & Wolf 1984), s^2 the sample variance of the scores of
a group, sigma^2_EU = (A^2 - 1) / 12 = 2 for A = 5 options; negative values count as 0; rounded
half up to two decimals; levels from questionnaire.yaml (>= 0.70 grote, >= 0.50 redelijke).
Scores: rounded once, half up, to one decimal; band and signal come from the rounded number.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import scoring
from charts.style import fmt_number
from questionnaire.loader import CONTENT_DIR, load_questionnaire
from scoring.groups import expected_variance


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(CONTENT_DIR)


def group(scores: list[float], section: str = "eerlijk") -> pd.DataFrame:
    return pd.DataFrame({"participant": [f"p{k}" for k in range(len(scores))], "section": section, "score": scores})


def test_expected_variance_of_five_options():
    # uniform over 1..5: mean 3, E[(x-3)^2] = (4 + 1 + 0 + 1 + 4) / 5 = 2 = (5^2 - 1) / 12
    assert expected_variance(5) == 2.0
    assert expected_variance(7) == 4.0


@pytest.mark.parametrize(
    ("scores", "rwg", "level"),
    [
        ([4, 4, 4], 1.0, "groot"),  # s^2 = 0
        ([3, 4], 0.75, "groot"),  # s^2 = 0.5 -> 1 - 0.25
        ([3, 3, 4, 4], 0.83, "groot"),  # s^2 = 1/3 -> 1 - 1/6 = 0.833
        ([2, 3, 3, 4], 0.67, "redelijk"),  # s^2 = 2/3 -> 1 - 1/3 = 0.667
        ([3, 4, 5], 0.5, "redelijk"),  # s^2 = 1 -> 0.5, exactly on the threshold
        ([2, 4, 4], 0.33, "weinig"),  # mean 10/3, s^2 = (16 + 4 + 4) / 9 / 2 = 4/3 -> 1 - 2/3 = 0.333
        ([2, 4], 0.0, "weinig"),  # s^2 = 2: as spread as random answers
        ([1, 5], 0.0, "weinig"),  # s^2 = 8 -> -3 -> 0
    ],
)
def test_rwg_by_hand(q, scores, rwg, level):
    r = scoring.aggregate_sections(group(scores), None, by=[], min_n=1, q=q).iloc[0]
    assert r["agreement"] == rwg
    assert r["agreement_level"] == level


def test_one_person_has_no_agreement(q):
    r = scoring.aggregate_sections(group([4.0]), None, by=[], min_n=1, q=q).iloc[0]
    assert math.isnan(r["agreement"]) and r["agreement_level"] is None


def test_agreement_levels_are_data(q):
    levels = [(lv.id, lv.label, lv.min) for lv in q.scoring.agreement.levels]
    assert levels == [
        ("groot", "Grote overeenstemming", 0.70),
        ("redelijk", "Redelijke overeenstemming", 0.50),
        ("weinig", "Weinig overeenstemming", 0.0),
    ]
    from scoring._common import classify

    assert list(classify([0.70, 0.69, 0.5, 0.49, 0.0], q.scoring.agreement.levels)) == [
        "groot",
        "redelijk",
        "redelijk",
        "weinig",
        "weinig",
    ]


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(3.95, 4.0), (3.25, 3.3), (2.25, 2.3), (2.95, 3.0), (4.75, 4.8), (3.04, 3.0), (10 / 3, 3.3), (11 / 3, 3.7), (1.05, 1.1)],
)
def test_half_up_to_one_decimal(value, rounded):
    assert scoring.round_score(value) == rounded
    # and the display shows that same number
    assert fmt_number(scoring.round_score(value)) == fmt_number(value) == f"{rounded:.1f}".replace(".", ",")


def test_band_and_signal_come_from_the_rounded_group_mean(q):
    # (4 + 4 + 4 + 3.8) / 4 = 3.95 -> 4.0 -> sterk (not aandachtspunt from the unrounded 3.95)
    r = scoring.aggregate_sections(group([4.0, 4.0, 4.0, 3.8]), None, by=[], min_n=1, q=q).iloc[0]
    assert (r["mean"], r["band"]) == (4.0, "sterk")
    # the same for a stop criterion: 3.95 -> 4.0 -> rood
    crit = group([4.0, 4.0, 4.0, 3.8]).assign(section="stopcriteria", criterion="baten_uitgebleven")
    r = scoring.aggregate_criteria(crit, None, by=[], min_n=1, q=q).iloc[0]
    assert (r["mean"], r["signal"]) == (4.0, "rood")
    # (3 + 3 + 2.8 + 3) / 4 = 2.95 -> 3.0 -> aandachtspunt, as the 2,95 / 2.9 / 3,0 case
    r = scoring.aggregate_sections(group([3.0, 3.0, 2.8, 3.0]), None, by=[], min_n=1, q=q).iloc[0]
    assert (r["mean"], r["band"], fmt_number(r["mean"])) == (3.0, "aandachtspunt", "3,0")


def test_a_group_mean_is_rounded_once_from_the_unrounded_scores(q):
    # Two people. a: eerlijk answers 4, 4, 3 and the reverse one 2 (-> 6 - 2 = 4): 15 / 4 = 3.75 -> 3.8.
    # b: 4, 3, 3 and reverse 4 (-> 2): 12 / 4 = 3.0.
    ids = [i.id for i in q.section_by_id["eerlijk"].items]
    assert ids[-1] == "eerlijk_verborgen_bedoelingen"  # the reverse one
    answers = pd.DataFrame(
        [("a", i, v) for i, v in zip(ids, [4, 4, 3, 2], strict=True)]
        + [("b", i, v) for i, v in zip(ids, [4, 3, 3, 4], strict=True)],
        columns=["participant", "item", "value"],
    )
    scores = scoring.score_sections(answers, q, ["eerlijk"])
    assert scores["score_raw"].tolist() == [3.75, 3.0]
    assert scores["score"].tolist() == [3.8, 3.0]
    assert scores["band"].tolist() == ["aandachtspunt", "aandachtspunt"]
    r = scoring.aggregate_sections(scores, None, by=[], min_n=1, q=q).iloc[0]
    # (3.75 + 3.0) / 2 = 3.375 -> 3.4 (mean and median of two are the same).
    assert (r["mean"], r["median"], r["min"], r["max"]) == (3.4, 3.4, 3.0, 3.8)
    # r_wg: s^2 = (0.375^2 * 2) / 1 = 0.28125 -> 1 - 0.140625 = 0.86 -> grote overeenstemming
    assert (r["agreement"], r["agreement_level"]) == (0.86, "groot")


def test_double_rounding_would_differ_and_does_not_happen(q):
    # Raw scores 3.45 and 3.44: mean 3.445 -> 3.4. Rounding twice (first 3.5 and 3.4, then their
    # mean 3.45 -> 3.5) would give another number; the group mean comes from the raw scores.
    frame = group([3.5, 3.4]).assign(score_raw=[3.45, 3.44])
    r = scoring.aggregate_sections(frame, None, by=[], min_n=1, q=q).iloc[0]
    assert r["mean"] == 3.4
