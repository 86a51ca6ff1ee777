"""The personal profile: one horizontal bar per section on the 1-5 scale, bands visible behind it."""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.style import BAND_FILL, INK, configure
from questionnaire.loader import Questionnaire


def band_ranges(q: Questionnaire) -> pd.DataFrame:
    """The bands as [start, end) ranges on the scale, lowest first."""
    bands = q.scoring.bands
    top = float(q.scale.max_value)
    rows = []
    for pos, b in enumerate(bands):
        end = top if pos == 0 else bands[pos - 1].min
        rows.append({"band": b.label, "start": b.min, "end": end, "fill": BAND_FILL.get(pos, "#EEEEEE")})
    return pd.DataFrame(rows[::-1])


def profile_chart(sections: pd.DataFrame, q: Questionnaire, *, size: str = "normal") -> alt.Chart:
    """``sections``: rows with title, score (NaN = no score), band_label, in questionnaire order."""
    data = sections[sections["score"].notna()].copy()
    data["score_text"] = data["score"].map(lambda v: f"{v:.1f}".replace(".", ","))
    order = list(data["title"])
    lo, hi = q.scale.min_value, q.scale.max_value
    x = alt.X("score:Q", scale=alt.Scale(domain=[lo, hi], nice=False), title="Score (1 = zwak, 5 = sterk)")
    y = alt.Y("title:N", sort=order, title=None)
    bands = band_ranges(q)
    background = (
        alt.Chart(bands)
        .mark_rect(opacity=1)
        .encode(
            x=alt.X("start:Q", scale=alt.Scale(domain=[lo, hi], nice=False)),
            x2="end:Q",
            color=alt.Color(
                "band:N",
                scale=alt.Scale(domain=list(bands["band"]), range=list(bands["fill"])),
                legend=alt.Legend(title="Band", orient="bottom"),
            ),
        )
    )
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0072B2", height={"band": 0.55})
        .encode(
            x=x,
            x2=alt.datum(lo),
            y=y,
            tooltip=[alt.Tooltip("title:N", title="Onderdeel"), alt.Tooltip("score_text:N", title="Score"), alt.Tooltip("band_label:N", title="Band")],
        )
    )
    labels = bars.mark_text(align="left", dx=6, color=INK, fontSize=20 if size == "projector" else 14, fontWeight="bold").encode(
        text="score_text:N"
    )
    chart = alt.layer(background, bars, labels).properties(
        height=max(160, 48 * len(data)) if size == "normal" else max(300, 80 * len(data)),
        width="container",
    )
    return configure(chart, size=size)
