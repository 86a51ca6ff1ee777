"""The personal profile chart: the fast spec (template + named dataset) draws exactly what Altair draws."""

from __future__ import annotations

import random

import pytest
import vl_convert as vlc

from charts.profile import profile_chart, profile_spec
from questionnaire.loader import load_questionnaire
from services import scan


@pytest.fixture(scope="module")
def q():
    return load_questionnaire()


def _answers(q, seed: int, skip_section: int | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    return {
        i.id: rng.choice([*q.scale.values, q.scale.dont_know.code])
        for n, s in enumerate(q.sections)
        if n != skip_section
        for i in s.items
    }


@pytest.mark.parametrize(
    ("seed", "skip", "size"),
    [(1, None, "normal"), (2, 0, "normal"), (3, 2, "projector"), (4, None, "projector")],
)
def test_fast_spec_renders_the_same_picture_as_the_altair_chart(q, seed, skip, size):
    sections = scan.personal_result(q, _answers(q, seed, skip)).sections
    expected = vlc.vegalite_to_svg(profile_chart(sections, q, size=size).to_dict())
    assert vlc.vegalite_to_svg(profile_spec(sections, q, size=size)) == expected


def test_fast_spec_carries_this_persons_scores_not_the_previous_ones(q):
    first = scan.personal_result(q, {i.id: 5 for i in q.items}).sections
    second = scan.personal_result(q, {i.id: 1 for i in q.items}).sections
    a, b = profile_spec(first, q), profile_spec(second, q)  # same titles: the same template
    rows_a, rows_b = a["datasets"]["profile"], b["datasets"]["profile"]
    assert [r["title"] for r in rows_a] == [r["title"] for r in rows_b]
    assert {r["score_text"] for r in rows_a} != {r["score_text"] for r in rows_b}
    assert a["datasets"]["profile"] is rows_a  # the first spec was not changed by the second call
