"""Comparison charts for the workshop dashboard: the shared helpers, the heatmap, and one import
place for every figure (``compare.heatmap``, ``compare.spread``, ``compare.likert``,
``compare.stop_lights``, ``compare.advice_spread``).

Every builder takes the output of a ``scoring`` group function (suppression already applied:
a suppressed row has NaN numbers and ``suppressed`` True) and returns an Altair chart that the
page (or the image export) draws. Numbers in the charts use a decimal comma. Suppressed cells are
drawn grey with the words "te weinig deelnemers" and never carry a number. Chart data is inline
(``charts.style.inline``) so a spec can be made in any thread.

The visual rules: fixed colour per municipality (``charts.style.municipality_colours``), one
meaning per hue (blue = good news, orange-brown = bad news, the signal colours only for the
stoplicht), and ``charts.style.configure`` applied last.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.parts import (
    MAX_STATEMENT_CHARS,
    SUPPRESSED_INK,
    TOPIC_MARK,
    WHITE_TEXT_BELOW,
    WHITE_TEXT_FROM,
    empty_chart,
    ink,
    section_titles,
    short_text,
)
from charts.spread import spread
from charts.statements import likert
from charts.stoplights import ADVICE_COLOURS, advice_spread, stop_lights
from charts.style import (
    INK,
    SCORE_DOMAIN,
    SCORE_RANGE,
    SUPPRESSED_FILL,
    TOO_FEW,
    TOO_FEW_SHORT,
    configure,
    fmt_number,
    inline,
    sizes,
    title_params,
    too_small,
)
from questionnaire.loader import Questionnaire

__all__ = [
    "ADVICE_COLOURS",
    "MAX_STATEMENT_CHARS",
    "TOO_FEW",
    "TOO_FEW_SHORT",
    "TOPIC_MARK",
    "advice_spread",
    "empty_chart",
    "fmt_number",
    "heatmap",
    "likert",
    "short_text",
    "spread",
    "stop_lights",
    "too_small",
]


# ---------------------------------------------------------------- heatmap


def heatmap(
    agg: pd.DataFrame,
    group_col: str,
    group_order: Sequence[str],
    q: Questionnaire,
    min_n: int,
    size: str = "normal",
    *,
    title: str = "Gemiddelde score per onderdeel",
    group_title: str | None = None,
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Sections (rows, content order) x groups (columns, ``group_order``), coloured by the mean.

    ``agg`` is ``scoring.aggregate_sections(..., by=[group_col])`` (group values as they should
    be shown). Groups or sections without a row are drawn as suppressed. Each cell says
    "4,2" and "5 deelnemers"; a suppressed cell is grey and says "te weinig deelnemers".
    """
    s = sizes(size)
    big = size == "projector"
    sec_ids = list(dict.fromkeys(agg["section"])) if len(agg) else []
    titles = section_titles(sec_ids, q)
    groups = [str(g) for g in group_order]
    if not titles or not groups:
        return empty_chart("Nog geen gegevens om te tonen.", title=title, size=size)

    title_of = {sec.id: sec.title for sec in q.sections}
    have = agg.assign(_g=agg[group_col].astype(str), _t=agg["section"].map(title_of))
    have = have[have["_g"].isin(groups)].set_index(["_t", "_g"])
    full = pd.MultiIndex.from_product([titles, groups], names=["_t", "_g"])
    have = have.reindex(full)
    suppressed = have["suppressed"].fillna(True).astype(bool).to_numpy()
    mean = have["mean"].astype(float).where(~suppressed).to_numpy()
    n = have["n"].astype(float).where(~suppressed).to_numpy()

    narrow = len(groups) > 6  # cells too narrow for "12 deelnemers": the count in brackets

    def count_text(k: int) -> str:
        return f"({k})" if narrow else f"{k} {'deelnemer' if k == 1 else 'deelnemers'}"

    rows = []
    for (t, g), m, k, sup in zip(full, mean, n, suppressed, strict=True):
        if sup:
            label = "te weinig\ndeelnemers"
            rows.append(
                {
                    "onderdeel": t,
                    "groep": g,
                    "gemiddelde": None,
                    "n": None,
                    "verborgen": True,
                    "label": label,
                    "inkt": SUPPRESSED_INK,
                }
            )
        else:
            dark = m < WHITE_TEXT_BELOW or m >= WHITE_TEXT_FROM
            rows.append(
                {
                    "onderdeel": t,
                    "groep": g,
                    "gemiddelde": round(float(m), 2),
                    "n": int(k),
                    "verborgen": False,
                    "label": f"{fmt_number(m)}\n{count_text(int(k))}",
                    "inkt": "white" if dark else INK,
                }
            )
    data = inline(pd.DataFrame(rows))

    x = alt.X(
        "groep:N",
        sort=groups,
        title=group_title,
        axis=alt.Axis(
            orient="top",
            labelAngle=0 if len(groups) <= 6 else -35,
            labelAlign="center" if len(groups) <= 6 else "left",
            domain=False,
            ticks=False,
            labelPadding=s["pad"],
            labelFontWeight="bold",
        ),
    )
    y = alt.Y("onderdeel:N", sort=titles, title=None, axis=alt.Axis(domain=False, ticks=False, labelPadding=s["pad"]))
    base = alt.Chart(data).encode(x=x, y=y)
    shown = (
        base.transform_filter("!datum.verborgen")
        .mark_rect(stroke="white", strokeWidth=3)
        .encode(
            color=alt.Color(
                "gemiddelde:Q",
                scale=alt.Scale(domain=SCORE_DOMAIN, range=SCORE_RANGE, interpolate="lab", clamp=True),
                legend=alt.Legend(
                    title="Gemiddelde score: 1 = zwak (oranje), 5 = sterk (blauw)",
                    orient="bottom",
                    direction="horizontal",
                    values=[1, 2, 3, 4, 5],
                    format="d",
                    gradientLength=s["gradient"],
                    gradientThickness=26 if big else 12,
                    titleLimit=1600,
                ),
            ),
            tooltip=[
                alt.Tooltip("onderdeel:N", title="Onderdeel"),
                alt.Tooltip("groep:N", title=group_title or "Groep"),
                alt.Tooltip("label:N", title="Gemiddelde"),
            ],
        )
    )
    hidden = base.transform_filter("datum.verborgen").mark_rect(stroke="white", strokeWidth=3, color=SUPPRESSED_FILL)
    text = base.mark_text(fontSize=s["label"], lineBreak="\n", fontWeight="bold", lineHeight=s["label"] + 4).encode(
        text="label:N", color=ink()
    )
    chart = alt.layer(shown, hidden, text).properties(
        width="container",
        height=height or s["row"] * len(titles),
        title=title_params(
            title,
            f"Grijs = minder dan {min_n} deelnemers; zo'n groep wordt niet getoond."
            + (" Tussen haakjes: het aantal deelnemers." if narrow else ""),
            size,
        ),
    )
    return configure(chart, size=size)
