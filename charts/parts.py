"""Small pieces the figure modules share: the empty chart, text helpers, the score axis."""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.style import INK, NEUTRAL, configure, inline, sizes, title_params
from questionnaire.loader import Questionnaire

# Cells darker than this (towards either end of charts.style.SCORE_RANGE) get white text.
WHITE_TEXT_BELOW, WHITE_TEXT_FROM = 1.65, 4.35
SUPPRESSED_INK = "#333333"
TOPIC_MARK = "⚑"
MAX_STATEMENT_CHARS = 60


def short_text(text: str, limit: int = MAX_STATEMENT_CHARS) -> str:
    """Cut a statement at a word boundary to at most ``limit`` characters (with an ellipsis), for
    a sentence that quotes it; charts wrap statements instead."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def _js(value) -> str:
    """A value as a Vega expression literal."""
    return json.dumps(value, ensure_ascii=False)


def empty_chart(message: str, *, title: str = "", size: str = "normal") -> alt.TopLevelMixin:
    """A chart with only a message, for when there is nothing to draw yet."""
    s = sizes(size)
    chart = (
        alt.Chart(inline(pd.DataFrame({"message": [message]})))
        .mark_text(fontSize=s["label"], color=NEUTRAL, align="left", x=0, baseline="middle", lineBreak="\n")
        .encode(text="message:N")
        .properties(width="container", height=120 if size == "projector" else 70, title=title_params(title, None, size))
    )
    return configure(chart, size=size)


def section_titles(ids: Sequence[str], q: Questionnaire) -> list[str]:
    wanted = set(ids)
    return [s.title for s in q.sections if s.id in wanted]


def ink():
    """Text colour from the row's 'inkt' ('white' or dark), without a colour scale of its own
    (a second colour scale in a layer would clash with the chart's real one)."""
    return alt.condition("datum.inkt == 'white'", alt.value("white"), alt.value(INK))


def score_axis() -> alt.Axis:
    return alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=True, gridColor="#E3E3E3", tickCount=5)
