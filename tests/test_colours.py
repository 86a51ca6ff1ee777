"""The palette: one meaning per colour (CIEDE2000, also under simulated deuteranopia) and 3:1 contrast."""

from __future__ import annotations

import itertools

import pytest

from charts import compare
from charts.colour import contrast_ratio, delta_e2000, lab, simulate_deuteranopia
from charts.style import (
    IDENTITY,
    MEANING_COLOURS,
    POLARITY_COLOURS,
    SCORE_RANGE,
    SIGNAL_COLOUR,
    municipality_colours,
)

# Thresholds (CIEDE2000): about 2 is just noticeable; 10+ reads as another colour at a glance.
TO_MEANING = 25  # an identity colour vs a signal / band / grey colour, normal vision
TO_MEANING_DEUTAN = 12  # the same under deuteranopia
TO_RAMP = 12  # an identity colour vs the score ramp (blue = sterk, orange = zorgpunt)
BETWEEN_FIRST_EIGHT = 12  # identity colours among themselves, the first eight (normal and deuteranopia)
BETWEEN_ALL = 6.5  # all twenty (the palette reaches 6.99: twenty distinct dark colours for deuteranopes is near the limit)
SIGNALS_APART = 20  # rood / oranje / groen among themselves, normal and deuteranopia


def both(a: str, b: str) -> float:
    """The smaller of the normal and the deuteranopia distance."""
    return min(delta_e2000(a, b), delta_e2000(simulate_deuteranopia(a), simulate_deuteranopia(b)))


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), test data pairs 1, 7, 17, 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_data(monkeypatch, lab1, lab2, expected):
    import charts.colour as colour

    monkeypatch.setattr(colour, "lab", lambda c: {"a": lab1, "b": lab2}[c])
    assert colour.delta_e2000("a", "b") == pytest.approx(expected, abs=1e-4)


def test_conversions_on_known_colours():
    assert lab("#FFFFFF") == pytest.approx((100, 0, 0), abs=0.01)
    assert contrast_ratio("#000000") == pytest.approx(21)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    # Deuteranopia keeps blue-yellow and loses red-green: pure red and green end up close.
    assert delta_e2000("#FF0000", "#00FF00") > 80
    assert simulate_deuteranopia("#FFFFFF") == "#FFFFFF"
    assert both("#D55E00", "#009E73") < both("#0000BB", "#E06C00")


@pytest.mark.parametrize("count", [2, 4, 8, 12, 20])
def test_identity_colours_never_look_like_a_signal_band_or_each_other(count):
    names = [f"Gemeente {k}" for k in range(count)]
    colours = list(municipality_colours(names).values())
    assert len(set(colours)) == count
    for c, m in itertools.product(colours, MEANING_COLOURS):
        assert delta_e2000(c, m) >= TO_MEANING, (c, m, delta_e2000(c, m))
        d = delta_e2000(simulate_deuteranopia(c), simulate_deuteranopia(m))
        assert d >= TO_MEANING_DEUTAN, (c, m, "deuteranopia", d)
    for c, m in itertools.product(colours, SCORE_RANGE + POLARITY_COLOURS):
        assert delta_e2000(c, m) >= TO_RAMP, (c, m)
    floor = BETWEEN_FIRST_EIGHT if count <= 8 else BETWEEN_ALL
    worst = min(both(a, b) for a, b in itertools.combinations(colours, 2))
    assert worst >= floor, (count, worst)


def test_signal_colours_stay_apart_for_everyone():
    for a, b in itertools.combinations(SIGNAL_COLOUR.values(), 2):
        assert both(a, b) >= SIGNALS_APART, (a, b)


def test_marks_have_three_to_one_contrast_on_white():
    strong = [
        *IDENTITY,
        *SIGNAL_COLOUR.values(),
        POLARITY_COLOURS[0],
        POLARITY_COLOURS[-1],
        compare.ADVICE_COLOURS[0],
        compare.ADVICE_COLOURS[-1],
    ]
    for c in strong:
        assert contrast_ratio(c) >= 3, (c, contrast_ratio(c))


def test_one_hue_one_meaning_across_heatmap_and_statements():
    """Blue is good news and orange-brown bad news in both the score heatmap and the statements
    chart: the positive end of one sits near the positive end of the other, never near its negative."""
    weak, strong = SCORE_RANGE[0], SCORE_RANGE[-1]
    negative, positive = POLARITY_COLOURS[0], POLARITY_COLOURS[-1]
    assert delta_e2000(positive, strong) < delta_e2000(positive, weak)
    assert delta_e2000(negative, weak) < delta_e2000(negative, strong)
    assert delta_e2000(positive, SIGNAL_COLOUR[0]) > 30 and delta_e2000(negative, SIGNAL_COLOUR[2]) > 30
