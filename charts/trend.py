"""The trend figures: per section and group a dumbbell of the score per round, and the advice spread per round."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import altair as alt
import pandas as pd

from charts.parts import SUPPRESSED_INK, empty_chart
from charts.stoplights import ADVICE_COLOURS, advice_colours, advice_ink, share_labels  # noqa: F401 - ADVICE_COLOURS for callers
from charts.style import INK, POLARITY_COLOURS, TOO_FEW, TOO_FEW_SHORT, configure, fmt_number, inline, sizes, title_params

# A change of at least the threshold, by direction. Every scored section reads "higher is better", so a
# rise is good news (blue) and a fall bad news (orange-brown), the two ends of the answer colours; they
# stay far apart under deuteranopia too, and the sign in "+0,6" / "−0,6" says it without colour.
UP = POLARITY_COLOURS[-1]
DOWN = POLARITY_COLOURS[0]
SMALL_CHANGE = "#9A9A9A"  # the line of a change below the threshold: a connector, the points carry it
# The rounds: the latest a solid dark point, the one before hollow and dark, older ones hollow and lighter.
LATEST_INK = INK
EARLIER_INK = "#8A8A8A"  # 3.4:1 on white
MINUS = "\u2212"  # a real minus sign: on a projector a hyphen is easily missed
ALONE = "niet vergeleken"  # under the title of a section that has no earlier round to compare with

# The slide: the chart must fit 1920x1080 below the slide's caption at about its natural size.
PROJECTOR_WIDTH = 1780  # pixels for the whole figure (labels + panels)
# Pixels for the plots of all panel rows together: with title, a two-line subtitle, both legends, the
# panel titles and axes (about 370 px) the figure stays within the ~810 px a slide gives a chart.
PROJECTOR_PLOT_BUDGET = 430
SUBTITLE_LINE = 34  # each further subtitle line (a note) takes this from the budget
ROW_PX = {"projector": (34, 50), "normal": (18, 26)}  # pixels per group row: (least, most)
MAX_COLUMNS = 4


def signed(delta: float) -> str:
    """'+0,6', '−0,6' (a real minus), '0,0'."""
    text = fmt_number(abs(delta))
    if text == fmt_number(0):
        return text
    return ("+" if delta > 0 else MINUS) + text


def layout(n_sections: int) -> tuple[int, int]:
    """(columns, rows) of section panels: one row up to four sections, then two rows, then more."""
    if n_sections <= 0:
        return 1, 1
    rows = 1 if n_sections <= 4 else max(2, math.ceil(n_sections / MAX_COLUMNS))
    return math.ceil(n_sections / rows), rows


def _grid(sections: Sequence[str], groups: Sequence[str], size: str, n_notes: int, width: int | None = None) -> dict:
    """The geometry of the panels: columns, rows, label and panel widths, title wrap, pixels per group row,
    and whether that row height is at least the legible minimum on a slide."""
    s = sizes(size)
    big = size == "projector"
    cols, rows = layout(len(sections))
    total = width or (PROJECTOR_WIDTH if big else 900)
    label_px = int(max([len(g) for g in groups] or [1]) * s["label"] * 0.56) + s["pad"] * 2
    spacing = 40 if big else 20
    panel_w = int((total - label_px - spacing * (cols - 1)) / cols)
    wrap = max(12, int(panel_w / (s["label"] * 0.56)))
    # A panel row is as tall as its longest title: a title on two lines takes a row of text from the plots.
    title_lines = [
        max(len(textwrap.wrap(t, wrap)) for t in sections[r * cols : (r + 1) * cols])
        for r in range(rows)
        if sections[r * cols : (r + 1) * cols]
    ]
    least, most = ROW_PX["projector" if big else "normal"]
    budget = PROJECTOR_PLOT_BUDGET - SUBTITLE_LINE * (n_notes + sum(title_lines) - len(title_lines))
    n_groups = max(1, len(groups))
    row_px = int(max(least, min(most, budget / (n_groups * rows)))) if big else most
    return {
        "cols": cols,
        "rows": rows,
        "total": total,
        "label_px": label_px,
        "spacing": spacing,
        "panel_w": panel_w,
        "wrap": wrap,
        "row_px": row_px,
        "fits": not big or n_groups * least * rows <= budget,
    }


def fits(sections: Sequence[str], groups: Sequence[str], size: str, n_notes: int = 0) -> bool:
    """Whether a row per group in ``groups`` (labels) fits every panel of ``sections`` (titles) on a slide
    at a legible row height, with ``n_notes`` extra subtitle lines. Off the projector everything fits
    (a report page grows)."""
    return _grid(sections, groups, size, n_notes)["fits"]


def wrap_lines(lines: Sequence[str], width_px: int, size: str) -> list[str]:
    """Subtitle lines wrapped to ``width_px`` (Vega never wraps a title line by itself)."""
    chars = max(20, int(width_px / (0.52 * sizes(size)["subtitle"])))
    return [part for line in lines if line for part in textwrap.wrap(line, chars)]


def _direction_labels(threshold: float) -> list[str]:
    t = fmt_number(threshold)
    return [f"{t} of meer gestegen", f"{t} of meer gedaald", f"minder dan {t} veranderd"]


def dumbbells(
    cells: pd.DataFrame,
    changes: pd.DataFrame,
    round_labels: Sequence[str],
    sections: Sequence[str],
    groups: Sequence[str],
    threshold: float,
    size: str = "normal",
    *,
    title: str = "Verandering sinds de vorige ronde",
    notes: Sequence[str] = (),
    round_names: Sequence[str] | None = None,
    width: int | None = None,
) -> alt.TopLevelMixin:
    """One panel per section (content order, in columns), one row per group (``groups``, everyone first),
    a point per round on the 1-5 scale: earlier rounds hollow (older ones lighter), the latest solid, a
    line from the previous round to the latest. A change of at least ``threshold`` has a coloured line and
    its value beside the latest point ("+0,6").

    ``cells``: section, group, round (labels as shown), mean (NaN when suppressed), suppressed; only the
    compared cells; ``round_names`` the rounds in a sentence ("ronde 3"), by default the labels. ``changes``: section, group, delta (``scoring.trend``: at least ``threshold``).
    ``round_labels``: the rounds drawn, oldest first; the last is the latest. A group whose latest cell is
    suppressed says "te weinig deelnemers" in its row and has no line. ``notes``: extra subtitle lines."""
    s = sizes(size)
    big = size == "projector"
    rounds = list(round_labels)
    sections = [t for t in sections if t in set(cells["section"])] if len(cells) else []
    if not sections or not groups or len(rounds) < 1:
        return empty_chart("Nog geen ronde om mee te vergelijken.", title=title, size=size)
    latest = rounds[-1]
    previous = rounds[-2] if len(rounds) > 1 else None
    groups = list(groups)
    names = dict(zip(rounds, round_names or rounds, strict=True))
    latest_number = names[latest]
    notes = wrap_lines(notes, width or (PROJECTOR_WIDTH if big else 900), size)

    cells = cells[cells["group"].isin(groups)]
    shown = cells[~cells["suppressed"].astype(bool) & cells["mean"].notna()]
    # A row whose latest round is suppressed has no change to show: it says so instead of points.
    has_latest = set(
        zip(shown.loc[shown["round"] == latest, "section"], shown.loc[shown["round"] == latest, "group"], strict=True)
    )
    shown = shown[[(a, b) in has_latest for a, b in zip(shown["section"], shown["group"], strict=True)]]
    # An earlier round whose group was suppressed simply has no point; the subtitle says why.
    gaps = cells[cells["suppressed"].astype(bool) & (cells["round"] != latest)]
    missing_earlier = any((a, b) in has_latest for a, b in zip(gaps["section"], gaps["group"], strict=True))
    points = pd.DataFrame(
        {
            "onderdeel": shown["section"].to_numpy(),
            "groep": shown["group"].to_numpy(),
            "ronde": shown["round"].to_numpy(),
            "score": shown["mean"].astype(float).round(2).to_numpy(),
        }
    )
    points["tekst"] = points["score"].map(fmt_number)
    g = _grid(sections, groups, size, len(notes) + int(missing_earlier), width)
    cols, row_px, panel_w, wrap, spacing = g["cols"], g["row_px"], g["panel_w"], g["wrap"], g["spacing"]
    # Later rounds drawn last, so the latest point sits on top of an earlier one at the same score.
    points["_k"] = points["ronde"].map({r: k for k, r in enumerate(rounds)})
    points = points.sort_values("_k", kind="stable").drop(columns="_k")

    labels = _direction_labels(threshold)
    delta_of = {(r.section, r.group): float(r.delta) for r in changes.itertuples()} if len(changes) else {}
    lines, marks = [], []
    if previous is not None:
        wide = points.pivot_table(index=["onderdeel", "groep"], columns="ronde", values="score", aggfunc="first")
        for (sec, grp), row in wide.iterrows():
            a, b = row.get(previous), row.get(latest)
            if pd.isna(a) or pd.isna(b):
                continue
            delta = delta_of.get((sec, grp))
            direction = labels[2] if delta is None else labels[0] if delta > 0 else labels[1]
            lines.append({"onderdeel": sec, "groep": grp, "van": float(a), "tot": float(b), "richting": direction})
            if delta is not None:
                marks.append(
                    {
                        "onderdeel": sec,
                        "groep": grp,
                        "score": float(b),
                        "richting": direction,
                        "tekst": signed(delta),
                        "op": delta > 0,
                    }
                )
    lines_df = pd.DataFrame(lines, columns=["onderdeel", "groep", "van", "tot", "richting"])
    marks_df = pd.DataFrame(marks, columns=["onderdeel", "groep", "score", "richting", "tekst", "op"])
    hidden_df = pd.DataFrame(
        [
            {"onderdeel": sec, "groep": g, "tekst": f"{latest_number}: {TOO_FEW_SHORT}"}
            for sec in sections
            for g in groups
            if (sec, g) not in has_latest
        ],
        columns=["onderdeel", "groep", "tekst"],
    )

    x_scale = alt.Scale(domain=[0.4, 5.6], nice=False, zero=False)
    y_scale = alt.Scale(domain=groups, paddingInner=0.0, paddingOuter=0.1)
    n_rounds = len(rounds)
    fills = ["white"] * (n_rounds - 1) + [LATEST_INK]
    strokes = [EARLIER_INK] * max(0, n_rounds - 2) + ([LATEST_INK] if n_rounds > 1 else []) + [LATEST_INK]
    dot = int(min(s["dot"], (row_px * 0.62) ** 2))
    round_legend = alt.Legend(
        title=None,
        orient="top",
        direction="horizontal",
        symbolSize=dot,
        symbolStrokeWidth=3 if big else 2,
        columns=min(n_rounds, 3),
        labelLimit=900,
    )
    fill = alt.Fill("ronde:N", sort=rounds, scale=alt.Scale(domain=rounds, range=fills), legend=round_legend)
    stroke = alt.Stroke("ronde:N", sort=rounds, scale=alt.Scale(domain=rounds, range=strokes), legend=round_legend)
    direction_scale = alt.Scale(domain=labels, range=[UP, DOWN, SMALL_CHANGE])
    colour = alt.Color(
        "richting:N",
        scale=direction_scale,
        legend=alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            symbolType="stroke",
            symbolStrokeWidth=s["rule"] + 1,
            symbolSize=s["dot"],
            labelLimit=900,
        ),
    )

    # A section with points only for the latest round could not be compared (the subtitle says why).
    compared = set(points.loc[points["ronde"] != latest, "onderdeel"])

    def panel(k: int, sec: str) -> alt.LayerChart:
        first = k % cols == 0
        y = alt.Y(
            "groep:N",
            sort=groups,
            scale=y_scale,
            title=None,
            axis=alt.Axis(
                labels=first,
                domain=False,
                ticks=False,
                labelPadding=s["pad"],
                labelFontWeight={"condition": {"test": f"datum.value == {groups[0]!r}", "value": "bold"}, "value": "normal"},
                grid=True,
                gridColor="#EFEFEF",
                bandPosition=0.5,
            ),
        )
        x = alt.X(
            "score:Q",
            scale=x_scale,
            title=None,
            axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=True, gridColor="#DDDDDD", domain=False, ticks=False),
        )

        def of(frame: pd.DataFrame) -> alt.Chart:
            return alt.Chart(inline(frame[frame["onderdeel"] == sec]))

        layers = [
            # an empty layer so every panel has its axes and rows, whatever its data
            alt.Chart(inline(pd.DataFrame({"groep": groups, "score": [3.0] * len(groups)})))
            .mark_point(opacity=0)
            .encode(x=x, y=y),
            of(lines_df)
            .mark_rule(strokeWidth=s["rule"], strokeCap="round")
            .encode(x=alt.X("van:Q", scale=x_scale, title=None), x2="tot:Q", y=y, color=colour),
            of(points)
            .mark_point(shape="circle", opacity=1, strokeWidth=3 if big else 2, size=dot)
            .encode(
                x=x,
                y=y,
                fill=fill,
                stroke=stroke,
                tooltip=[
                    alt.Tooltip("onderdeel:N", title="Onderdeel"),
                    alt.Tooltip("groep:N", title="Groep"),
                    alt.Tooltip("ronde:N", title="Ronde"),
                    alt.Tooltip("tekst:N", title="Score"),
                ],
            ),
        ]
        pad = int(math.sqrt(dot) / 2) + s["pad"]
        for up, align, dx in ((True, "left", pad), (False, "right", -pad)):
            layers.append(
                of(marks_df[marks_df["op"] == up])
                .mark_text(align=align, dx=dx, baseline="middle", fontSize=s["label"], fontWeight="bold")
                .encode(x=x, y=y, text="tekst:N", color=alt.Color("richting:N", scale=direction_scale, legend=None))
            )
        layers.append(
            of(hidden_df)
            .mark_text(
                align="left", baseline="middle", fontSize=s["label"] - (4 if big else 1), fontStyle="italic", color=SUPPRESSED_INK
            )
            .encode(x=alt.datum(0.5, scale=x_scale), y=y, text="tekst:N")
        )
        return alt.layer(*layers).properties(
            width=panel_w,
            height=row_px * len(groups),
            title=alt.TitleParams(
                textwrap.wrap(sec, wrap),
                subtitle=ALONE if previous is not None and sec not in compared else "",
                subtitleFontSize=s["label"] - (4 if big else 1),
                subtitleFontStyle="italic",
                subtitleColor=SUPPRESSED_INK,
                subtitlePadding=2,
                fontSize=s["label"],
                fontWeight="bold",
                anchor="start",
                color=INK,
                offset=s["pad"],
            ),
        )

    panels = [panel(k, sec) for k, sec in enumerate(sections)]
    # A wrapped concat is a grid: its columns line up from one row of panels to the next, whatever
    # sticks out of a panel (a "+1,6" beside a point near 5, a title on two lines).
    grid = alt.concat(*panels, columns=cols, align="each", spacing=alt.RowColnumber(column=spacing, row=s["pad"] * 2))
    scale_line = "Score van 1 (zwak) tot 5 (sterk)"
    if previous is not None:
        scale_line += f"; de lijn loopt van {names[previous]} naar {latest_number}"
    subtitle = [scale_line + "."]
    if missing_earlier:
        subtitle.append("Geen open rondje: in die ronde te weinig deelnemers om te tonen.")
    subtitle += notes
    chart = grid.properties(title=title_params(title, subtitle, size)).resolve_scale(x="shared")
    return configure(chart, size=size)


# ---------------------------------------------------------------- advice per round


def advice_rounds(
    dist: pd.DataFrame,
    round_labels: Sequence[str],
    advices: Sequence[tuple[str, str]],
    size: str = "normal",
    *,
    title: str = "Advies per ronde",
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Per round (oldest on top) one 100% bar split by the share of each advice (mildest first).

    ``dist``: round (label), advice (id), count, n, share (0..1, NaN when the round's advice is
    suppressed); ``advices``: (id, label) of the advices to show, mildest first."""
    s = sizes(size)
    big = size == "projector"
    rounds = list(round_labels)
    if not rounds or not advices:
        return empty_chart("Nog geen advies om te tonen.", title=title, size=size)
    labels = [lab for _, lab in advices]
    palette = advice_colours([a for a, _ in advices])
    rows, hidden, name = [], [], {}
    for r in rounds:
        part = dist[dist["round"] == r].set_index("advice") if len(dist) else pd.DataFrame()
        n = part["n"].dropna().max() if len(part) else float("nan")
        if part.empty or pd.isna(n) or not n or part["share"].isna().all():
            name[r] = r
            hidden.append({"ronde": r, "tekst": TOO_FEW})
            continue
        name[r] = f"{r}: {int(n)} deelnemers"
        start = 0.0
        for k, (aid, lab) in enumerate(advices):
            share = float(part.loc[aid, "share"]) * 100 if aid in part.index and pd.notna(part.loc[aid, "share"]) else 0.0
            count = int(part.loc[aid, "count"]) if aid in part.index and pd.notna(part.loc[aid, "count"]) else 0
            rows.append(
                {
                    "ronde": name[r],
                    "advies": lab,
                    "van": round(start, 3),
                    "tot": round(start + share, 3),
                    "procent": round(share, 1),
                    "aantal": count,
                    "tekst": fmt_number(share, 0) + "%" if share >= (12 if big else 8) else "",
                    "inkt": advice_ink(k, len(advices)),
                }
            )
            start += share
    order = [name[r] for r in rounds]
    for h in hidden:
        h["ronde"] = name[h["ronde"]]
    y = alt.Y(
        "ronde:N",
        sort=order,
        title=None,
        scale=alt.Scale(domain=order, paddingInner=0.3),
        # "Ronde 1 (3 juni 2026)" over "12 deelnemers": two short lines instead of one long one
        axis=alt.Axis(
            domain=False,
            ticks=False,
            labelPadding=s["pad"],
            labelLimit=s["label_limit"],
            labelExpr="split(datum.value, ': ')",
            labelLineHeight=s["label"] + 6,
        ),
    )
    x_scale = alt.Scale(domain=[0, 100], nice=False)
    columns = ["ronde", "advies", "van", "tot", "procent", "aantal", "tekst", "inkt"]
    bars_df = pd.DataFrame(rows, columns=columns)
    bars = (
        alt.Chart(inline(bars_df))
        .mark_bar(stroke="white", strokeWidth=1.5)
        .encode(
            y=y,
            x=alt.X(
                "van:Q",
                scale=x_scale,
                title="% van de deelnemers met een advies",
                axis=alt.Axis(values=[0, 25, 50, 75, 100], labelExpr="datum.value + '%'", grid=True, gridColor="#E3E3E3"),
            ),
            x2="tot:Q",
            color=alt.Color(
                "advies:N",
                scale=alt.Scale(domain=labels, range=palette),
                sort=labels,
                legend=alt.Legend(
                    title="Advies",
                    orient="bottom",
                    direction="horizontal",
                    symbolType="square",
                    symbolSize=s["dot"],
                    labelLimit=700,
                ),
            ),
            tooltip=[
                alt.Tooltip("ronde:N", title="Ronde"),
                alt.Tooltip("advies:N", title="Advies"),
                alt.Tooltip("aantal:Q", title="Aantal"),
                alt.Tooltip("procent:Q", title="Procent", format=".0f"),
            ],
        )
    )
    layers = [bars, *share_labels(bars_df, hidden, y, x_scale, s)]
    subtitle = "Het advies volgt uit de stopcriteria van elke deelnemer; een startpunt voor het gesprek, geen oordeel."
    chart = alt.layer(*layers).properties(
        width="container", height=height or s["row"] * len(order), title=title_params(title, subtitle, size)
    )
    return configure(chart, size=size)
