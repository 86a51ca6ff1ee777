"""Charts of a region's portfolio: how many cooperations each municipality is in, and the advice of each cooperation's latest round."""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.style import NEUTRAL, configure, inline, sizes, title_params
from charts.trend import advice_colours


def memberships(counts: pd.DataFrame, *, size: str = "normal", title: str = "Aantal samenwerkingen per gemeente") -> alt.Chart:
    """Horizontal bars, most cooperations on top, the number at the end of each bar (so on the
    projector the x axis, which nobody reads from the back, is left out)."""
    s = sizes(size)
    frame = counts[["Gemeente", "Aantal samenwerkingen"]].rename(columns={"Aantal samenwerkingen": "n"})
    order = list(frame["Gemeente"])
    row = max(22, s["row"] * 2 // 5)
    axis = None if size == "projector" else alt.Axis(tickMinStep=1, format="d")
    base = alt.Chart(inline(frame)).encode(
        y=alt.Y("Gemeente:N", sort=order, title=None),
        x=alt.X("n:Q", title=None if axis is None else "Aantal samenwerkingen", axis=axis),
    )
    bars = base.mark_bar(color=NEUTRAL)
    text = base.mark_text(align="left", dx=6, fontSize=s["label"]).encode(text=alt.Text("n:Q", format="d"))
    chart = (bars + text).properties(height=row * max(1, len(frame)), title=title_params(title, None, size))
    return configure(chart, size=size)


def advice_bars(
    spread: pd.DataFrame, advice_order: list[str], *, size: str = "normal", title: str = "Advies in de laatste ronde"
) -> alt.Chart:
    """How many cooperations got each advice in their latest round (``spread``: advice, label, n), in
    the app's advice colours (``advice_order``: the content's advice ids, mildest first); no advice in grey."""
    s = sizes(size)
    colour_of = dict(zip(advice_order, advice_colours(advice_order), strict=True))
    colours = [colour_of.get(a, NEUTRAL) for a in spread["advice"]]
    base = alt.Chart(inline(spread)).encode(
        y=alt.Y("label:N", sort=list(spread["label"]), title=None),
        x=alt.X("n:Q", title="Aantal samenwerkingen", axis=alt.Axis(tickMinStep=1, format="d")),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("label:N", scale=alt.Scale(domain=list(spread["label"]), range=colours), legend=None)
    )
    text = base.mark_text(align="left", dx=6, fontSize=s["label"]).encode(text=alt.Text("n:Q", format="d"))
    chart = (bars + text).properties(height=max(22, s["row"] // 2) * max(1, len(spread)), title=title_params(title, None, size))
    return configure(chart, size=size)
