"""One place for the visual language of the charts: palette, type sizes, band colours."""

from __future__ import annotations

import copy
import math
import threading
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import pandas as pd

# Signal colours (stoplicht) by position in the signal list: rood, oranje, groen. Darker than the
# usual traffic light so each has 3:1 contrast on white, and chosen so that the three stay at least
# 20 CIEDE2000 apart also under simulated deuteranopia (see tests/test_colours.py).
SIGNAL_COLOUR = {0: "#A50F15", 1: "#E06C00", 2: "#009E73"}
# Band fills (light, behind the personal profile bars) by position in the band list: sterk, aandachtspunt,
# zorgpunt; light tones of the score ramp's hues, so sterk is blue and zorgpunt orange everywhere.
BAND_FILL = {0: "#D6E6F4", 1: "#FCE8B2", 2: "#FBD3B5"}
# Scores and answers share one meaning per hue: blue = good for the cooperation (sterk, a positive
# answer), orange-brown = bad news (zorgpunt, a negative answer). Score ramp 1..5 for the heatmap:
SCORE_DOMAIN = [1.0, 2.0, 3.0, 4.0, 5.0]
SCORE_RANGE = ["#7F3B08", "#E08214", "#F7F7F7", "#4393C3", "#053061"]
# Answers by what they mean for the cooperation, from very negative to very positive (a reverse
# statement's "helemaal eens" is very negative). The two ends have 3:1 contrast on white; the light
# middle tones always sit between them and carry a printed percentage when there is room.
POLARITY_COLOURS = ["#B35806", "#F1A862", "#D9D9D9", "#92C5DE", "#2166AC"]
# Grey means "no number": too few participants, weet niet.
DONT_KNOW_COLOUR = "#7F7F7F"
SUPPRESSED_FILL = "#D4D4D4"
# Municipality identity colours, in the order municipalities get them. Picked greedily (most distinct
# first) from the sRGB colours with 3:1 to 13:1 contrast on white that stay at least 25 CIEDE2000
# from every signal, band and grey colour (12 under deuteranopia) and 12 from the score ramp: that
# leaves blues, violets, magentas, a dark olive and a dark green. The first eight are at least 12
# apart from each other, all twenty at least 6.9 (both normal and deuteranopia); tests/test_colours.py
# checks it. With more than eight, position in the chart and the legend carry identity too.
IDENTITY = [
    "#0000BB", "#443300", "#FF44BB", "#661144", "#5566FF", "#AA2288", "#FF5577", "#5544AA",
    "#DD55FF", "#442266", "#5500FF", "#005533", "#DD00BB", "#663366", "#9944AA", "#004433",
    "#551199", "#BB4499", "#8822DD", "#2233CC",
]  # fmt: skip
# Colours that carry a meaning of their own: an identity colour must never look like one of these.
MEANING_COLOURS = [*SIGNAL_COLOUR.values(), *BAND_FILL.values(), DONT_KNOW_COLOUR, SUPPRESSED_FILL, "#6B6B6B"]
NEUTRAL = "#6B6B6B"
INK = "#1A1A1A"

FONT = "Source Sans Pro, Arial, sans-serif"

# A group below the anonymity minimum, in charts (long form) and in table cells that hold a value.
TOO_FEW = "te weinig deelnemers om te tonen"
TOO_FEW_SHORT = "te weinig deelnemers"


def too_small(min_n: int) -> str:
    """A count below the anonymity minimum: 'minder dan 3'."""
    return f"minder dan {int(min_n)}"


# Type sizes in pixels. 'projector' is for a 1920x1080 screen seen from the back of a room (labels
# and legends at least 28 px, titles bigger, the sentences under the title at 28 px); 'normal' for a
# laptop, a phone and the images.
SIZES = {
    "projector": {
        "label": 28, "title": 40, "subtitle": 28, "pad": 12, "row": 96, "dot": 700, "rule": 5,
        "label_limit": 760, "wrap_chars": 44, "gradient": 520,
    },
    "normal": {
        "label": 13, "title": 15, "subtitle": 12, "pad": 6, "row": 50, "dot": 140, "rule": 3,
        "label_limit": 440, "wrap_chars": 56, "gradient": 220,
    },
}  # fmt: skip


def sizes(size: str) -> dict:
    return SIZES["projector" if size == "projector" else "normal"]


def title_params(title: str, subtitle: str | Sequence[str] | None, size: str) -> alt.TitleParams:
    s = sizes(size)
    return alt.TitleParams(
        text=title,
        subtitle=subtitle or "",
        subtitleFontSize=s["subtitle"],
        subtitleColor="#333333",
        subtitleFont=FONT,
        subtitlePadding=s["pad"],
        offset=s["pad"] + 6,
    )


def _plain(value):
    """A cell as plain JSON: numpy scalars to Python, NaN/NaT to None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def inline(frame: pd.DataFrame) -> alt.InlineData:
    """The rows of ``frame`` as inline chart data. Altair passes a DataFrame through its global data
    transformer, which Streamlit swaps (for its own Arrow datasets) while it draws a chart in another
    thread; a spec made at that moment has references to data it does not carry, and the image comes
    out empty. Inline values never touch the transformer."""
    rows = tuple({str(k): _plain(v) for k, v in r.items()} for r in frame.to_dict("records"))
    # A tuple, not a list: Altair deep-copies lists (every row, at every layer and configure step,
    # ~200 ms per set of figures) but passes a tuple by reference; the rows are never changed.
    return alt.InlineData(values=rows)


_SPEC_LOCK = threading.Lock()


def spec_of(chart) -> dict:
    """The Vega-Lite spec of a chart, safe to call from any thread: built under one lock, and without
    what the global Altair theme adds (Streamlit switches the theme while it draws), so the same
    chart gives the same spec whatever other threads are doing."""
    if isinstance(chart, dict):
        return copy.deepcopy(chart)
    with _SPEC_LOCK:
        spec = chart.to_dict()
    view = spec.get("config", {}).get("view", {})
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    return spec


def fmt_number(value, decimals: int = 1, missing: str = "") -> str:
    """A number the Dutch way: decimal comma (4,2). None/NaN gives ``missing``."""
    if value is None or pd.isna(value):
        return missing
    # Half up, as people round by hand (4,25 -> 4,3), not binary-float half-even (4.25 -> 4.2).
    exact = Decimal(repr(round(float(value), 9)))
    return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)).replace(".", ",")


def municipality_colours(names: Sequence[str]) -> dict[str, str]:
    """One fixed colour per municipality, by its position in the session's list (distinct up to 20)."""
    return {n: IDENTITY[i % len(IDENTITY)] for i, n in enumerate(names)}


def configure(chart, *, size: str = "normal"):
    """Type sizes that stay readable on a phone ('normal') or from the back of a room ('projector')."""
    s = sizes(size)
    # Fit the width to the container but keep the declared height for the plot itself: with
    # Streamlit's default ("fit" in both directions) the title and legend eat into the rows.
    # (Concatenated charts cannot be fitted; they keep their own widths.)
    if not isinstance(chart, alt.HConcatChart | alt.VConcatChart | alt.ConcatChart):
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return (
        chart.configure_axis(
            labelFontSize=s["label"],
            titleFontSize=s["label"],
            labelFont=FONT,
            titleFont=FONT,
            labelColor=INK,
            titleColor=INK,
            labelLimit=s["label_limit"],
            titleLimit=1600,
        )
        .configure_legend(
            labelFontSize=s["label"],
            titleFontSize=s["label"],
            labelFont=FONT,
            titleFont=FONT,
            labelLimit=600,
            titleLimit=1600,
            labelColor=INK,
            titleColor=INK,
        )
        .configure_header(labelFontSize=s["label"], titleFontSize=s["label"])
        .configure_title(fontSize=s["title"], font=FONT, anchor="start", color=INK, subtitleFontSize=s["subtitle"])
        .configure_text(font=FONT)
        .configure_view(stroke=None)
    )
