"""The statements chart: per statement the answers as diverging bars, read by what they mean for the cooperation."""

from __future__ import annotations

import math
import textwrap

import altair as alt
import pandas as pd

from charts.parts import empty_chart
from charts.style import (
    DONT_KNOW_COLOUR,
    INK,
    NEUTRAL,
    POLARITY_COLOURS,
    TOO_FEW,
    configure,
    inline,
    sizes,
    title_params,
)
from questionnaire.loader import Questionnaire

# Legend words for the five answer positions, from bad to good news for the cooperation.
POLARITY_LABELS = ["Heel negatief", "Negatief", "Neutraal", "Positief", "Heel positief"]


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words (a longer word stays whole)."""
    return textwrap.wrap(" ".join(str(text).split()), width=width, break_long_words=False) or [""]


def statement_lines(text: str, reverse: bool, width: int, head: str | None = None) -> list[str]:
    """The label of one statement as lines: an optional head (section), the wrapped text, and for a
    reverse statement a last line that says agreeing is bad news."""
    lines = [head] if head else []
    lines += wrap_lines(text, width)
    if reverse:
        lines.append("(negatief gesteld: eens = negatief)")
    return lines


def likert(
    shares: pd.DataFrame,
    q: Questionnaire,
    size: str = "normal",
    *,
    title: str = "Antwoorden per stelling",
    min_n: int | None = None,
    width: int | None = None,
    height: int | None = None,
    section_heads: bool = True,
) -> alt.TopLevelMixin:
    """Diverging stacked bars per statement for the whole group, "weet niet" as its own bar.

    ``shares`` is ``scoring.option_shares(..., by=[])`` limited to the statements to show (content
    order). Bars are ordered by what an answer means for the cooperation: negative to the left of 0,
    neutral split around 0, positive to the right. For a reverse statement ("Ik heb het gevoel dat
    doelen ons worden opgelegd") agreeing is negative, so its "eens" bars go left and orange.
    ``width`` is the pixel width of the main bars; ``height`` the plot height (default: by lines).
    A statement answered by fewer than ``min_n`` people says so instead of showing bars.
    """
    s = sizes(size)
    big = size == "projector"
    if shares.empty:
        return empty_chart("Nog geen antwoorden.", title=title, size=size)
    scale = q.scale
    values = list(scale.values)
    dk = scale.dont_know.code
    dk_label = scale.dont_know.label
    labels = POLARITY_LABELS if len(values) == len(POLARITY_LABELS) else [o.label for o in scale.options]
    section_of = {i.id: sec for sec in q.sections for i in sec.items}
    item_order = [i for i in dict.fromkeys(shares["item"]) if i in section_of]
    if not item_order:
        return empty_chart("Nog geen antwoorden.", title=title, size=size)

    main_width = width or (760 if big else 400)
    line_chars = s["wrap_chars"]
    keys, lines_of = [], {}
    for item_id in item_order:
        item = q.item_by_id[item_id]
        lines = statement_lines(item.text, item.reverse, line_chars, section_of[item_id].title if section_heads else None)
        key = "\n".join(lines)
        while key in keys:  # keys must be unique
            key += "\u200b"
        keys.append(key)
        lines_of[key] = len(lines)
    mid = len(values) // 2
    min_label_pct = (62 if big else 30) * 200 / main_width  # a % is written only where it fits
    rows, dk_rows, hidden_rows = [], [], []
    for item_id, key in zip(item_order, keys, strict=True):
        part = shares[shares["item"] == item_id].set_index("option")
        suppressed = bool(part["suppressed"].astype(bool).any()) or part["share"].isna().all()
        if suppressed:
            hidden_rows.append({"stelling": key, "tekst": TOO_FEW})
            continue
        pct = {int(o): float(part.loc[o, "share"]) * 100 if o in part.index else 0.0 for o in values + [dk]}
        n = int(part["n"].dropna().iloc[0])
        # From bad to good news: the answer values in scale order, reversed for a reverse statement.
        ordered = values[::-1] if q.item_by_id[item_id].reverse else values
        start = -(sum(pct[v] for v in ordered[:mid]) + pct[ordered[mid]] / 2)
        for k, v in enumerate(ordered):
            end = start + pct[v]
            rows.append(
                {
                    "stelling": key,
                    "betekenis": labels[k],
                    "antwoord": scale.options[values.index(v)].label,
                    "van": round(start, 3),
                    "tot": round(end, 3),
                    "procent": round(pct[v], 1),
                    "tekst": f"{pct[v]:.0f}%" if pct[v] >= min_label_pct else "",
                    "inkt": "white" if k in (0, len(values) - 1) else INK,
                    "n": n,
                }
            )
            start = end
        dk_rows.append(
            {
                "stelling": key,
                "betekenis": dk_label,
                "antwoord": dk_label,
                "procent": round(pct[dk], 1),
                "tekst": f"{pct[dk]:.0f}%",
                "n": n,
            }
        )

    if not rows:
        return empty_chart("Nog geen stelling is door genoeg deelnemers beantwoord.", title=title, size=size)

    colour = alt.Color(
        "betekenis:N",
        scale=alt.Scale(domain=labels + [dk_label], range=POLARITY_COLOURS[: len(labels)] + [DONT_KNOW_COLOUR]),
        legend=alt.Legend(
            title="Wat het antwoord zegt over de samenwerking:",
            orient="top",
            direction="horizontal",
            symbolType="square",
            symbolSize=s["dot"],
            columns=len(labels) + 1,
            labelLimit=600,
            titleLimit=1600,
        ),
        sort=labels + [dk_label],
    )
    line_height = s["label"] + (6 if big else 3)
    max_lines = max(lines_of.values())
    row_step = max_lines * line_height + (30 if big else 18)
    plot_height = height or row_step * len(keys)
    label_limit = s["label_limit"]
    y = alt.Y(
        "stelling:N",
        sort=keys,
        title=None,
        scale=alt.Scale(domain=keys, paddingInner=0.3),
        axis=alt.Axis(
            labelExpr="split(datum.value, '\\n')",
            labelLimit=label_limit,
            labelLineHeight=line_height,
            labelFontWeight="normal",
            domain=False,
            ticks=False,
            labelPadding=s["pad"],
        ),
    )
    main_x = alt.X(
        "van:Q",
        scale=alt.Scale(domain=[-100, 100], nice=False),
        title="← negatief  ·  % van de antwoorden  ·  positief →",
        axis=alt.Axis(values=[-100, -50, 0, 50, 100], labelExpr="abs(datum.value) + '%'", grid=True, gridColor="#E3E3E3"),
    )
    base = alt.Chart(inline(pd.DataFrame(rows)))
    tooltip = [
        alt.Tooltip("stelling:N", title="Stelling"),
        alt.Tooltip("antwoord:N", title="Antwoord"),
        alt.Tooltip("betekenis:N", title="Betekenis"),
        alt.Tooltip("procent:Q", title="Procent", format=".0f"),
        alt.Tooltip("n:Q", title="Beantwoord door"),
    ]
    bars = base.mark_bar(height={"band": 1}, stroke="white", strokeWidth=1).encode(
        y=y, x=main_x, x2="tot:Q", color=colour, tooltip=tooltip
    )
    ink = alt.condition("datum.inkt == 'white'", alt.value("white"), alt.value(INK))
    bar_text = (
        base.transform_calculate(midden="(datum.van + datum.tot) / 2")
        .mark_text(fontSize=s["label"], fontWeight="bold")
        .encode(y=y, x=alt.X("midden:Q", scale=alt.Scale(domain=[-100, 100])), text="tekst:N", color=ink)
    )
    zero = (
        alt.Chart(inline(pd.DataFrame({"nul": [0]})))
        .mark_rule(color=INK, strokeWidth=2)
        .encode(x=alt.X("nul:Q", scale=alt.Scale(domain=[-100, 100])))
    )
    layers = [zero, bars, bar_text]
    if hidden_rows:
        layers.append(
            alt.Chart(inline(pd.DataFrame(hidden_rows)))
            .mark_text(fontSize=s["label"], color=NEUTRAL, fontStyle="italic", align="center")
            .encode(y=y, x=alt.datum(0), text="tekst:N")
        )
    main = alt.layer(*layers).properties(width=main_width, height=plot_height)

    # "weet niet" on the same pixels-per-percent as the main bars, so the lengths compare honestly.
    dk_max = max([r["procent"] for r in dk_rows] + [0])
    min_domain = (190 if big else 110) * 200 / main_width
    dk_domain = max(math.ceil(max(dk_max + 12, min_domain) / 20) * 20, 20)
    dk_width = int(main_width * dk_domain / 200)
    dk_frame = (
        pd.DataFrame(dk_rows) if dk_rows else pd.DataFrame(columns=["stelling", "betekenis", "antwoord", "procent", "tekst", "n"])
    )
    dk_base = alt.Chart(inline(dk_frame))
    dk_x = alt.X(
        "procent:Q",
        scale=alt.Scale(domain=[0, dk_domain], nice=False),
        title="weet niet",
        axis=alt.Axis(values=[0, dk_domain], labelExpr="datum.value + '%'", grid=True, gridColor="#E3E3E3"),
    )
    dk_y = alt.Y("stelling:N", sort=keys, title=None, scale=alt.Scale(domain=keys, paddingInner=0.3), axis=None)
    dk_bars = dk_base.mark_bar(height={"band": 1}).encode(y=dk_y, x=dk_x, color=colour, tooltip=tooltip)
    dk_text = dk_base.mark_text(align="left", dx=6, fontSize=s["label"], color=INK).encode(y=dk_y, x="procent:Q", text="tekst:N")
    dont_know = alt.layer(dk_bars, dk_text).properties(width=dk_width, height=plot_height)

    subtitle = [
        "Rechts en blauw = goed nieuws voor de samenwerking; links en oranje = zorgelijk.",
        "Bij een negatief gestelde stelling telt ‘eens’ als negatief. Grijs rechts = weet niet.",
    ]
    chart = (
        alt.hconcat(main, dont_know, spacing=30 if big else 12)
        .resolve_scale(color="shared", y="shared")
        .properties(title=title_params(title, subtitle, size))
    )
    return configure(chart, size=size)
