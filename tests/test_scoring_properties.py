"""Property tests (hypothesis) for scoring/ on a small synthetic questionnaire."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaire.loader import CONTENT_DIR, load_questionnaire
from scoring import (
    advise,
    advise_participants,
    aggregate_criteria,
    aggregate_sections,
    option_shares,
    round_half_up,
    score_criteria,
    score_sections,
    section_gaps,
)

MODULE = """
id: basis
title: Basis
order: 1
sections:
  - id: doel
    title: Doel
    kind: thema
    explanation: Of de samenwerking een doel heeft.
    items:
      - {id: d1, text: Stelling een., source: 001_a1.txt}
      - {id: d2, text: Stelling twee., source: 001_a2.txt, reverse: true}
      - {id: d3, text: Stelling drie., source: 001_a3.txt}
  - id: sturing
    title: Sturing
    kind: thema
    explanation: Of de raad kan sturen.
    items:
      - {id: s1, text: Stelling een., source: 002_b1.txt}
      - {id: s2, text: Stelling twee., source: 002_b2.txt, reverse: true}
  - id: stopcriteria
    title: Stopcriteria
    kind: stop
    explanation: Signalen om te stoppen.
    criteria:
      - {id: geen_gedeelde_opgave, kind: stopcriterium, title: Opgave, explanation: Geen gedeelde opgave.}
      - {id: baten_uitgebleven, kind: stopcriterium, title: Baten, explanation: Baten blijven uit.}
      - {id: efficiency_niet_ingeboekt, kind: signaal, title: Efficiency, explanation: Niet ingeboekt.}
    items:
      - {id: g1, text: Stelling., source: 003_c1.txt, criterion: geen_gedeelde_opgave}
      - {id: g2, text: Stelling., source: 003_c2.txt, criterion: geen_gedeelde_opgave, skip_when_required: true}
      - {id: b1, text: Stelling., source: 003_c3.txt, criterion: baten_uitgebleven}
      - {id: b2, text: Stelling., source: 003_c4.txt, criterion: baten_uitgebleven, reverse: true}
      - {id: e1, text: Stelling., source: 003_c5.txt, criterion: efficiency_niet_ingeboekt}
      - {id: e2, text: Stelling., source: 003_c6.txt, criterion: efficiency_niet_ingeboekt}
"""


def _load():
    root = Path(tempfile.mkdtemp(prefix="scoring_props_"))
    (root / "modules").mkdir()
    shutil.copy(CONTENT_DIR / "questionnaire.yaml", root / "questionnaire.yaml")
    (root / "modules" / "basis.yaml").write_text(MODULE, encoding="utf-8")
    try:
        return load_questionnaire(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


Q = _load()
ITEMS = Q.item_table["item"].tolist() + ["onbekend"]
PEOPLE = [f"p{n}" for n in range(9)]
TOWNS = ["Aa", "Bee", "Cee"]
VALUES = [Q.scale.dont_know.code, *Q.scale.values]

answer_sets = st.dictionaries(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(ITEMS)), st.sampled_from(VALUES), max_size=90)
town_of = st.fixed_dictionaries({p: st.sampled_from(TOWNS) for p in PEOPLE})
PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY = settings(PROPS, max_examples=60)  # several pandas calls per example


def to_frame(d: dict) -> pd.DataFrame:
    return pd.DataFrame([(p, i, v) for (p, i), v in d.items()], columns=["participant", "item", "value"])


def participants_frame(towns: dict) -> pd.DataFrame:
    return pd.DataFrame({"participant": list(towns), "municipality": list(towns.values()), "role_group": "raad"})


def canon(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys).reset_index(drop=True)


@PROPS
@given(answer_sets)
def test_scores_in_range_or_nan(d):
    a = to_frame(d)
    for out in (score_sections(a, Q), score_criteria(a, Q)):
        s = out["score"].to_numpy(dtype=float)
        assert np.all(np.isnan(s) | ((s >= 1) & (s <= 5)))
        # NaN exactly when too few answered.
        assert (np.isnan(s) == (out["n_answered"] < 0.5 * out["n_items"]).to_numpy()).all()


@HEAVY
@given(answer_sets, town_of, st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(d, towns, rnd):
    a = to_frame(d)
    order = list(range(len(a)))
    rnd.shuffle(order)
    b = a.iloc[order].reset_index(drop=True)
    parts = participants_frame(towns)
    parts_b = parts.iloc[::-1].reset_index(drop=True)

    ss_a, ss_b = score_sections(a, Q), score_sections(b, Q)
    pd.testing.assert_frame_equal(canon(ss_a, ["participant", "section"]), canon(ss_b, ["participant", "section"]))
    sc_a, sc_b = score_criteria(a, Q), score_criteria(b, Q)
    pd.testing.assert_frame_equal(canon(sc_a, ["participant", "criterion"]), canon(sc_b, ["participant", "criterion"]))
    pd.testing.assert_frame_equal(advise_participants(sc_a, Q), advise_participants(sc_b.iloc[::-1], Q))

    shuffled_scores = ss_b.sample(frac=1, random_state=rnd.randint(0, 10**6))
    ag_a = aggregate_sections(ss_a, parts, ["municipality"], 2, Q)
    ag_b = aggregate_sections(shuffled_scores, parts_b, ["municipality"], 2, Q)
    pd.testing.assert_frame_equal(canon(ag_a, ["municipality", "section"]), canon(ag_b, ["municipality", "section"]))
    pd.testing.assert_frame_equal(
        canon(option_shares(a, parts, Q, ["municipality"], 2), ["municipality", "item", "option"]),
        canon(option_shares(b, parts_b, Q, ["municipality"], 2), ["municipality", "item", "option"]),
    )
    pd.testing.assert_frame_equal(
        canon(section_gaps(ag_a, "municipality", Q), ["section"]),
        canon(section_gaps(ag_b, "municipality", Q), ["section"]),
    )


@HEAVY
@given(answer_sets, town_of, st.integers(min_value=1, max_value=5))
def test_small_groups_never_leak_numbers(d, towns, min_n):
    a = to_frame(d)
    parts = participants_frame(towns)
    numbers = ["n", "mean", "median", "std", "min", "max", "agreement"]
    for scores, unit, agg in (
        (score_sections(a, Q), "section", aggregate_sections(score_sections(a, Q), parts, ["municipality"], min_n)),
        (score_criteria(a, Q), "criterion", aggregate_criteria(score_criteria(a, Q), parts, ["municipality"], min_n, Q)),
    ):
        # Independent oracle: plain pandas over the scored participants per town x unit.
        # The group mean is the mean of the unrounded scores, rounded once (half up, one decimal).
        merged = scores.merge(parts, on="participant")
        expected = (
            merged[merged["score"].notna()]
            .groupby(["municipality", unit])
            .agg(size=("score", "size"), mean=("score_raw", "mean"), min=("score", "min"), max=("score", "max"))
            .add_prefix("exp_")
        )
        expected["exp_mean"] = round_half_up(expected["exp_mean"])
        both = agg.merge(expected, left_on=["municipality", unit], right_index=True, how="left")
        size = both["exp_size"].fillna(0)
        small = (size < min_n).to_numpy()
        assert (both["suppressed"].to_numpy() == small).all()
        assert both.loc[small, numbers].isna().all().all()
        big = both[~small]
        assert (big["n"] == big["exp_size"]).all()
        assert np.allclose(big["mean"], big["exp_mean"])
        assert (big["min"] == big["exp_min"]).all() and (big["max"] == big["exp_max"]).all()
        assert big["agreement"].dropna().between(0, 1).all()
        assert (big["agreement"].isna() == (big["n"] < 2)).all()  # r_wg needs two people

    shares = option_shares(a, parts, Q, ["municipality"], min_n)
    merged = a[a["item"].isin(Q.item_table["item"])].merge(parts, on="participant")
    answered = merged.groupby(["municipality", "item"]).size().rename("exp_n")
    both = shares.merge(answered, left_on=["municipality", "item"], right_index=True, how="left")
    small = (both["exp_n"].fillna(0) < min_n).to_numpy()
    assert (both["suppressed"].to_numpy() == small).all()
    assert both.loc[small, ["count", "share", "n"]].isna().all().all()
    assert (both.loc[~small, "n"] == both.loc[~small, "exp_n"]).all()


@PROPS
@given(answer_sets, town_of, st.integers(min_value=1, max_value=3))
def test_option_shares_sum_to_one(d, towns, min_n):
    shares = option_shares(to_frame(d), participants_frame(towns), Q, ["municipality"], min_n)
    assert len(shares) == len(set(towns.values())) * len(Q.item_table) * (len(Q.scale.values) + 1)
    shown = shares[~shares["suppressed"]]
    for _, grp in shown.groupby(["municipality", "item"]):
        assert grp["share"].sum() == pytest.approx(1.0)
        assert grp["count"].sum() == grp["n"].iloc[0]
        assert (grp["count"] >= 0).all()


@PROPS
@given(answer_sets, st.booleans())
def test_advise_participants_matches_advise(d, required):
    crit = score_criteria(to_frame(d), Q, required=required)
    out = advise_participants(crit, Q, required=required).set_index("participant")
    if required:
        assert "stoppen" not in set(out["advice"].dropna())
    for p, grp in crit.groupby("participant"):
        res = advise(dict(zip(grp["criterion"], grp["signal"], strict=True)), Q, required=required)
        r = out.loc[p]
        assert r["advice"] == res.advice
        assert r["reason"] == res.reason
        assert r["drivers"] == "; ".join(res.drivers)
