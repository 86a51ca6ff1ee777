"""One place for the visual language of the charts: palette, type sizes, band colours."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import pandas as pd

# Okabe-Ito: a palette that stays distinguishable for the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Extra distinguishable tones for sessions with more than eight municipalities (up to 20).
EXTRA = ["#882255", "#44AA99", "#117733", "#999933", "#AA4499", "#332288", "#DDCC77", "#88CCEE", "#661100", "#6699CC", "#888888", "#AA4466"]

# Band and signal colours (light fills behind bars, strong fills for traffic lights).
BAND_FILL = {0: "#CDEBDD", 1: "#FCE8B2", 2: "#F6C9B8"}  # by position in the band list: top, middle, bottom
SIGNAL_COLOUR = {0: "#C0392B", 1: "#E69F00", 2: "#009E73"}  # by position in the signal list: rood, oranje, groen
NEUTRAL = "#6B6B6B"
INK = "#1A1A1A"

FONT = "Source Sans Pro, Arial, sans-serif"


def fmt_number(value, decimals: int = 1, missing: str = "") -> str:
    """A number the Dutch way: decimal comma (4,2). None/NaN gives ``missing``."""
    if value is None or pd.isna(value):
        return missing
    # Half up, as people round by hand (4,25 -> 4,3), not binary-float half-even (4.25 -> 4.2).
    exact = Decimal(repr(round(float(value), 9)))
    return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)).replace(".", ",")


def municipality_colours(names: Sequence[str]) -> dict[str, str]:
    """One fixed colour per municipality, by its position in the session's list."""
    palette = OKABE_ITO + EXTRA
    return {n: palette[i % len(palette)] for i, n in enumerate(names)}


def configure(chart, *, size: str = "normal"):
    """Type sizes that stay readable on a phone ('normal') or from the back of a room ('projector')."""
    big = size == "projector"
    # Fit the width to the container but keep the declared height for the plot itself: with
    # Streamlit's default ("fit" in both directions) the title and legend eat into the rows.
    # (Concatenated charts cannot be fitted; they keep their own widths.)
    if not isinstance(chart, alt.HConcatChart | alt.VConcatChart | alt.ConcatChart):
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return (
        chart.configure_axis(
            labelFontSize=22 if big else 13,
            titleFontSize=22 if big else 13,
            labelFont=FONT,
            titleFont=FONT,
            labelColor=INK,
            titleColor=INK,
            labelLimit=420 if big else 220,
        )
        .configure_legend(labelFontSize=20 if big else 13, titleFontSize=20 if big else 13, labelLimit=400)
        .configure_header(labelFontSize=22 if big else 13, titleFontSize=22 if big else 13)
        .configure_title(fontSize=26 if big else 15, font=FONT, anchor="start")
        .configure_view(stroke=None)
    )
