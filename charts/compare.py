"""Comparison charts for the workshop dashboard: municipalities and roles side by side.

Every builder takes the output of a ``scoring`` group function (suppression already applied:
a suppressed row has NaN numbers and ``suppressed`` True) and returns an Altair chart that the
page (or the PNG export) draws. Numbers in the charts use a decimal comma. Suppressed cells are
drawn grey with the text "n < {min_n}" and never carry a number.

The visual rules: fixed colour per municipality (``charts.style.municipality_colours``),
colour-blind-safe scales (blue-orange for scores, ColorBrewer RdBu for the answer options,
the signal colours of ``charts.style``), and ``charts.style.configure`` applied last.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from charts.style import INK, NEUTRAL, SIGNAL_COLOUR, configure, fmt_number
from questionnaire.loader import Questionnaire

# Score scale (1-5), diverging around 3 (the lower edge of the middle band): dark brown-orange
# (weak) through near-white to dark blue (strong), steep enough that 2,6 and 3,4 read as orange
# and blue. Blue-orange stays distinguishable for the common colour-vision deficits.
SCORE_DOMAIN = [1.0, 2.0, 3.0, 4.0, 5.0]
SCORE_RANGE = ["#7F3B08", "#E08214", "#F7F7F7", "#4393C3", "#053061"]
# Cells darker than this (towards either end) get white text; in between dark text.
WHITE_TEXT_BELOW, WHITE_TEXT_FROM = 1.65, 4.35
SUPPRESSED_FILL = "#D4D4D4"
SUPPRESSED_INK = "#333333"
# Answer options 1..5 (ColorBrewer RdBu, 5 classes; neutral a light grey so it shows on white)
# and "weet niet" (a darker grey).
OPTION_COLOURS = ["#CA0020", "#F4A582", "#D9D9D9", "#92C5DE", "#0571B0"]
DONT_KNOW_COLOUR = "#7F7F7F"
# Advice, from the mildest (doorgaan) to the strongest (stoppen): ColorBrewer RdBu 4 classes.
ADVICE_COLOURS = ["#2166AC", "#92C5DE", "#F4A582", "#B2182B"]
ADVICE_INK = ["white", INK, INK, "white"]
TOPIC_MARK = "⚑"

MAX_STATEMENT_CHARS = 60


# ---------------------------------------------------------------- helpers


def too_small(min_n: int) -> str:
    return f"n < {int(min_n)}"


def short_text(text: str, limit: int = MAX_STATEMENT_CHARS) -> str:
    """Cut a statement at a word boundary to at most ``limit`` characters (with an ellipsis)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def _s(size: str) -> dict:
    """Sizes that go with charts.style.configure: projector (room) or normal (laptop, phone, PNG)."""
    if size == "projector":
        return {"text": 22, "small": 18, "row": 78, "dot": 420, "rule": 5, "pad": 10, "label_limit": 720}
    return {"text": 13, "small": 11, "row": 50, "dot": 140, "rule": 3, "pad": 6, "label_limit": 360}


def _title(title: str, subtitle: str | Sequence[str] | None, size: str) -> alt.TitleParams:
    big = size == "projector"
    return alt.TitleParams(
        text=title,
        subtitle=subtitle or "",
        subtitleFontSize=19 if big else 12,
        subtitleColor="#333333",
        subtitlePadding=8 if big else 4,
        offset=14 if big else 8,
    )


def _js(value) -> str:
    """A value as a Vega expression literal."""
    return json.dumps(value, ensure_ascii=False)


def empty_chart(message: str, *, title: str = "", size: str = "normal") -> alt.TopLevelMixin:
    """A chart with only a message, for when there is nothing to draw yet."""
    s = _s(size)
    chart = (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(fontSize=s["text"], color=NEUTRAL, align="left", x=0, baseline="middle", lineBreak="\n")
        .encode(text="message:N")
        .properties(width="container", height=120 if size == "projector" else 70, title=_title(title, None, size))
    )
    return configure(chart, size=size)


def _section_titles(ids: Sequence[str], q: Questionnaire) -> list[str]:
    wanted = set(ids)
    return [s.title for s in q.sections if s.id in wanted]


def _ink():
    """Text colour from the row's 'inkt' ('white' or dark), without a colour scale of its own
    (a second colour scale in a layer would clash with the chart's real one)."""
    return alt.condition("datum.inkt == 'white'", alt.value("white"), alt.value(INK))


def _score_axis() -> alt.Axis:
    return alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=True, gridColor="#E3E3E3", tickCount=5)


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
) -> alt.TopLevelMixin:
    """Sections (rows, content order) x groups (columns, ``group_order``), coloured by the mean.

    ``agg`` is ``scoring.aggregate_sections(..., by=[group_col])`` (group values as they should
    be shown). Groups or sections without a row are drawn as suppressed. Each cell says
    "4,2" and "n=5"; a suppressed cell is grey and says "n < {min_n}".
    """
    s = _s(size)
    sec_ids = [x for x in dict.fromkeys(agg["section"])] if len(agg) else []
    titles = _section_titles(sec_ids, q)
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

    rows = []
    for (t, g), m, k, sup in zip(full, mean, n, suppressed, strict=True):
        if sup:
            rows.append(
                {
                    "onderdeel": t,
                    "groep": g,
                    "gemiddelde": None,
                    "n": None,
                    "verborgen": True,
                    "label": too_small(min_n),
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
                    "label": f"{fmt_number(m)}\nn={int(k)}",
                    "inkt": "white" if dark else INK,
                }
            )
    data = pd.DataFrame(rows)

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
                    title="Gemiddelde (1 = zwak, 5 = sterk)",
                    orient="bottom",
                    direction="horizontal",
                    values=[1, 2, 3, 4, 5],
                    format="d",
                    gradientLength=420 if size == "projector" else 220,
                    gradientThickness=22 if size == "projector" else 12,
                    titleLimit=800,
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
    text = base.mark_text(fontSize=s["text"], lineBreak="\n", fontWeight="bold", lineHeight=s["text"] + 4).encode(
        text="label:N", color=_ink()
    )
    chart = alt.layer(shown, hidden, text).properties(
        width="container",
        height=s["row"] * len(titles),
        title=_title(
            title,
            f"Grijs = minder dan {min_n} deelnemers met een score; die groep wordt niet getoond.",
            size,
        ),
    )
    return configure(chart, size=size)


# ---------------------------------------------------------------- spread (dumbbell)


def spread(
    agg: pd.DataFrame,
    gaps: pd.DataFrame,
    colours: Mapping[str, str],
    q: Questionnaire,
    size: str = "normal",
    *,
    title: str = "Verschillen tussen gemeenten per onderdeel",
    min_n: int | None = None,
) -> alt.TopLevelMixin:
    """Per section a dot per municipality at its mean (fixed colour) with a thin line mean ± std,
    and a grey bar from the lowest to the highest municipality mean.

    ``agg``: ``aggregate_sections(..., by=['municipality'])``; ``gaps``: ``section_gaps(agg,
    'municipality', q)``. Sections whose gap reaches ``q.scoring.conversation_gap`` get a second
    label line "⚑ gespreksonderwerp" in bold. Suppressed municipalities are left out.
    """
    s = _s(size)
    sec_ids = list(dict.fromkeys(agg["section"])) if len(agg) else []
    titles = _section_titles(sec_ids, q)
    title_of = {sec.id: sec.title for sec in q.sections}
    shown = agg[~agg["suppressed"].astype(bool) & agg["mean"].notna()] if len(agg) else agg
    if not titles or shown.empty:
        return empty_chart("Nog geen gemeente met genoeg deelnemers om te vergelijken.", title=title, size=size)

    names = [m for m in colours if m in set(shown["municipality"])]
    names += sorted(set(shown["municipality"]) - set(names))
    palette = [colours.get(m, NEUTRAL) for m in names]
    hidden = [m for m in colours if m not in set(shown["municipality"])]

    dots = pd.DataFrame(
        {
            "onderdeel": shown["section"].map(title_of).to_numpy(),
            "gemeente": shown["municipality"].astype(str).to_numpy(),
            "gemiddelde": shown["mean"].astype(float).round(3).to_numpy(),
            "van": (shown["mean"] - shown["std"]).clip(lower=1, upper=5).round(3).to_numpy(),
            "tot": (shown["mean"] + shown["std"]).clip(lower=1, upper=5).round(3).to_numpy(),
            "n": shown["n"].astype(int).to_numpy(),
        }
    )
    dots["gemiddelde_tekst"] = dots["gemiddelde"].map(fmt_number)
    dots["spreiding_tekst"] = shown["std"].map(fmt_number).to_numpy()

    gap_rows = gaps[gaps["section"].isin(sec_ids)] if len(gaps) else gaps
    ranges = pd.DataFrame(
        {
            "onderdeel": gap_rows["section"].map(title_of).to_numpy() if len(gap_rows) else [],
            "laagste": gap_rows["low_mean"].astype(float).round(3).to_numpy() if len(gap_rows) else [],
            "hoogste": gap_rows["high_mean"].astype(float).round(3).to_numpy() if len(gap_rows) else [],
        }
    )
    topic_rows = gap_rows[gap_rows["gap"] >= q.scoring.conversation_gap] if len(gap_rows) else gap_rows
    topic_label = {
        title_of[r.section]: f"{TOPIC_MARK} gespreksonderwerp (verschil {fmt_number(r.gap)})" for r in topic_rows.itertuples()
    }
    test = f"indexof({_js(list(topic_label))}, datum.value) >= 0"
    label_expr = f"{test} ? [datum.value, {_js(topic_label)}[datum.value]] : datum.value" if topic_label else "datum.value"

    y = alt.Y(
        "onderdeel:N",
        sort=titles,
        title=None,
        scale=alt.Scale(domain=titles, paddingInner=0.25, paddingOuter=0.1),
        axis=alt.Axis(
            labelExpr=label_expr,
            labelFontWeight={"condition": {"test": test, "value": "bold"}, "value": "normal"},
            labelColor={"condition": {"test": test, "value": "#8A3B00"}, "value": INK},
            labelLineHeight=s["text"] + 6,
            labelLimit=s["label_limit"],
            domain=False,
            ticks=False,
            grid=False,
            labelPadding=s["pad"] * 2,
        ),
    )
    x_scale = alt.Scale(domain=[1, 5], nice=False, clamp=True)
    x = alt.X("gemiddelde:Q", scale=x_scale, title="Gemiddelde score (1 = zwak, 5 = sterk)", axis=_score_axis())
    colour = alt.Color(
        "gemeente:N",
        scale=alt.Scale(domain=names, range=palette),
        legend=alt.Legend(title="Gemeente", orient="bottom", direction="horizontal", symbolSize=s["dot"], symbolStrokeWidth=0),
    )
    y_offset = alt.YOffset("gemeente:N", sort=names, scale=alt.Scale(domain=names, paddingInner=0.2))

    band = (
        alt.Chart(ranges)
        .mark_bar(color="#BDBDBD", opacity=0.55, height={"band": 0.9})
        .encode(
            y=y,
            x=alt.X("laagste:Q", scale=x_scale, axis=_score_axis(), title="Gemiddelde score (1 = zwak, 5 = sterk)"),
            x2="hoogste:Q",
        )
    )
    whisker = (
        alt.Chart(dots)
        .transform_filter("isValid(datum.van) && isValid(datum.tot)")
        .mark_rule(strokeWidth=s["rule"], opacity=0.9)
        .encode(y=y, yOffset=y_offset, x=alt.X("van:Q", scale=x_scale), x2="tot:Q", color=colour)
    )
    points = (
        alt.Chart(dots)
        .mark_point(filled=True, opacity=1, stroke="white", strokeWidth=1.5, size=s["dot"], shape="circle")
        .encode(
            y=y,
            yOffset=y_offset,
            x=x,
            color=colour,
            tooltip=[
                alt.Tooltip("onderdeel:N", title="Onderdeel"),
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("gemiddelde_tekst:N", title="Gemiddelde"),
                alt.Tooltip("spreiding_tekst:N", title="Spreiding (sd)"),
                alt.Tooltip("n:Q", title="Deelnemers"),
            ],
        )
    )
    per_row = max(len(names), 1)
    row_height = max(s["row"], (34 if size == "projector" else 20) * per_row + 24)
    subtitle = [
        "Stip = gemiddelde van een gemeente; lijn = spreiding (± 1 standaardafwijking); "
        "grijze balk = van laagste tot hoogste gemeente.",
    ]
    gap_text = fmt_number(q.scoring.conversation_gap)
    subtitle.append(f"{TOPIC_MARK} = verschil van {gap_text} punt of meer: een onderwerp voor het gesprek.")
    if hidden:
        limit = f" (minder dan {min_n} deelnemers)" if min_n else ""
        subtitle.append(f"Niet getoond{limit}: {', '.join(hidden)}.")
    layers = [band, whisker, points]
    empty_rows = [t for t in titles if t not in set(dots["onderdeel"])]
    if empty_rows:
        note = f"geen gemeente met {min_n} of meer deelnemers" if min_n else "geen gemeente met genoeg deelnemers"
        layers.append(
            alt.Chart(pd.DataFrame({"onderdeel": empty_rows, "tekst": note}))
            .mark_text(align="left", dx=8, fontSize=s["small"], fontStyle="italic", color=SUPPRESSED_INK)
            .encode(y=y, x=alt.datum(1, scale=x_scale), text="tekst:N")
        )
    chart = alt.layer(*layers).properties(width="container", height=row_height * len(titles), title=_title(title, subtitle, size))
    return configure(chart, size=size)


# ---------------------------------------------------------------- likert


def likert(
    shares: pd.DataFrame,
    q: Questionnaire,
    size: str = "normal",
    *,
    title: str = "Antwoorden per stelling",
    min_n: int | None = None,
    width: int | None = None,
) -> alt.TopLevelMixin:
    """Diverging stacked bars per statement for the whole group, "weet niet" as its own bar.

    ``shares`` is ``scoring.option_shares(..., by=[])`` limited to the statements to show
    (content order). Disagreement to the left of 0, neutral split around 0, agreement to the
    right; the share "weet niet / n.v.t." is a separate bar on the right on the same % scale.
    A statement answered by fewer than ``min_n`` people says "n < {min_n}".
    """
    s = _s(size)
    if shares.empty:
        return empty_chart("Nog geen antwoorden.", title=title, size=size)
    scale = q.scale
    values = list(scale.values)
    dk = scale.dont_know.code
    labels = [o.label for o in scale.options]
    dk_label = scale.dont_know.label
    section_of = {i.id: sec for sec in q.sections for i in sec.items}
    item_order = [i for i in dict.fromkeys(shares["item"]) if i in section_of]
    if not item_order:
        return empty_chart("Nog geen antwoorden.", title=title, size=size)

    big = size == "projector"
    line_chars = 76 if big else 60

    def label_of(item_id: str) -> str:
        sec = section_of[item_id]
        item = q.item_by_id[item_id]
        head = sec.title + (" · negatief gesteld" if item.reverse else "")
        return head + "\n" + short_text(item.text, line_chars)

    keys = []
    for item_id in item_order:  # keys must be unique: two cut-off texts could read the same
        key = label_of(item_id)
        while key in keys:
            key += "\u200b"
        keys.append(key)
    mid = len(values) // 2  # index of the neutral option (3 on a 1-5 scale)
    main_width = width or (860 if big else 400)
    # A percentage is written in a segment only when the segment is wide enough for the text.
    min_label_pct = (46 if big else 30) * 200 / main_width
    rows, dk_rows, hidden_rows = [], [], []
    min_text = too_small(min_n) if min_n else "te weinig antwoorden"
    for item_id, key in zip(item_order, keys, strict=True):
        part = shares[shares["item"] == item_id].set_index("option")
        suppressed = bool(part["suppressed"].astype(bool).any()) or part["share"].isna().all()
        if suppressed:
            hidden_rows.append({"stelling": key, "tekst": min_text})
            continue
        pct = {int(o): float(part.loc[o, "share"]) * 100 if o in part.index else 0.0 for o in values + [dk]}
        n = int(part["n"].dropna().iloc[0])
        left = -(sum(pct[v] for v in values[:mid]) + pct[values[mid]] / 2)
        start = left
        for k, v in enumerate(values):
            end = start + pct[v]
            rows.append(
                {
                    "stelling": key,
                    "antwoord": labels[k],
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
                "antwoord": dk_label,
                "procent": round(pct[dk], 1),
                "tekst": f"{pct[dk]:.0f}%" if pct[dk] >= 1 else "",
                "n": n,
            }
        )

    if not rows:
        limit = f"{min_n} of meer" if min_n else "genoeg"
        return empty_chart(f"Nog geen stelling is door {limit} deelnemers beantwoord.", title=title, size=size)

    colour = alt.Color(
        "antwoord:N",
        scale=alt.Scale(domain=labels + [dk_label], range=OPTION_COLOURS[: len(labels)] + [DONT_KNOW_COLOUR]),
        legend=alt.Legend(
            title=None,
            orient="top",
            direction="horizontal",
            symbolType="square",
            symbolSize=s["dot"],
            columns=len(labels) + 1,
            labelLimit=400,
        ),
        sort=labels + [dk_label],
    )
    y = alt.Y(
        "stelling:N",
        sort=keys,
        title=None,
        scale=alt.Scale(domain=keys, paddingInner=0.25),
        axis=alt.Axis(
            labelExpr="split(datum.value, '\\n')",
            labelLimit=s["label_limit"],
            labelFontSize=s["small"] + (1 if big else 0),
            labelLineHeight=s["small"] + (6 if big else 3),
            labelFontWeight="normal",
            domain=False,
            ticks=False,
            labelPadding=s["pad"],
        ),
    )
    main_x = alt.X(
        "van:Q",
        scale=alt.Scale(domain=[-100, 100], nice=False),
        title="← oneens  ·  % van de antwoorden  ·  eens →",
        axis=alt.Axis(values=[-100, -50, 0, 50, 100], labelExpr="abs(datum.value) + '%'", grid=True, gridColor="#E3E3E3"),
    )
    base = alt.Chart(pd.DataFrame(rows))
    tooltip = [
        alt.Tooltip("stelling:N", title="Stelling"),
        alt.Tooltip("antwoord:N", title="Antwoord"),
        alt.Tooltip("procent:Q", title="Procent", format=".0f"),
        alt.Tooltip("n:Q", title="Beantwoord door"),
    ]
    bars = base.mark_bar(height={"band": 1}, stroke="white", strokeWidth=1).encode(
        y=y, x=main_x, x2="tot:Q", color=colour, tooltip=tooltip
    )
    bar_text = (
        base.transform_calculate(midden="(datum.van + datum.tot) / 2")
        .mark_text(fontSize=s["small"], fontWeight="bold")
        .encode(y=y, x=alt.X("midden:Q", scale=alt.Scale(domain=[-100, 100])), text="tekst:N", color=_ink())
    )
    zero = (
        alt.Chart(pd.DataFrame({"nul": [0]}))
        .mark_rule(color=INK, strokeWidth=2)
        .encode(x=alt.X("nul:Q", scale=alt.Scale(domain=[-100, 100])))
    )
    layers = [zero, bars, bar_text]  # the zero line shows between the bars, never through a label
    if hidden_rows:
        layers.append(
            alt.Chart(pd.DataFrame(hidden_rows))
            .mark_text(fontSize=s["small"], color=SUPPRESSED_INK, fontStyle="italic", align="left", dx=8)
            .encode(y=y, x=alt.datum(0), text="tekst:N")
        )
    height = (64 if big else 34) * len(keys)
    main = alt.layer(*layers).properties(width=main_width, height=height)

    # "weet niet" on the same pixels-per-percent as the main bars, so the lengths compare honestly.
    dk_max = max([r["procent"] for r in dk_rows] + [0])
    # At least wide enough for its axis labels: widen the domain rather than stretch the scale.
    min_domain = (160 if big else 110) * 200 / main_width
    dk_domain = max(math.ceil(max(dk_max + 8, min_domain) / 20) * 20, 20)
    dk_width = int(main_width * dk_domain / 200)
    dk_base = alt.Chart(
        pd.DataFrame(dk_rows) if dk_rows else pd.DataFrame({"stelling": [], "antwoord": [], "procent": [], "tekst": [], "n": []})
    )
    dk_x = alt.X(
        "procent:Q",
        scale=alt.Scale(domain=[0, dk_domain], nice=False),
        title="weet niet",
        axis=alt.Axis(values=[0, dk_domain], labelExpr="datum.value + '%'", grid=True, gridColor="#E3E3E3"),
    )
    dk_y = alt.Y("stelling:N", sort=keys, title=None, scale=alt.Scale(domain=keys, paddingInner=0.25), axis=None)
    dk_bars = dk_base.mark_bar(height={"band": 1}).encode(y=dk_y, x=dk_x, color=colour, tooltip=tooltip)
    dk_text = dk_base.mark_text(align="left", dx=4, fontSize=s["small"], color=INK).encode(y=dk_y, x="procent:Q", text="tekst:N")
    dont_know = alt.layer(dk_bars, dk_text).properties(width=dk_width, height=height)

    subtitle = "Per stelling: links (on)eens, in het midden neutraal, rechts (helemaal) eens; grijs rechts = weet niet / n.v.t."
    chart = (
        alt.hconcat(main, dont_know, spacing=30 if big else 12)
        .resolve_scale(color="shared", y="shared")
        .properties(title=_title(title, subtitle, size))
    )
    return configure(chart, size=size)


# ---------------------------------------------------------------- stop criteria


def stop_lights(
    crit_agg: pd.DataFrame,
    colours: Mapping[str, str],
    q: Questionnaire,
    min_n: int,
    size: str = "normal",
    *,
    title: str = "Stopcriteria per gemeente",
) -> alt.TopLevelMixin:
    """Criteria (rows, content order) x municipalities (columns, order of ``colours``), each cell
    in the colour of the signal of the group mean, with the mean and the signal in words.

    ``crit_agg`` is ``scoring.aggregate_criteria(..., by=['municipality'])``. Suppressed cells
    are light grey with "n < {min_n}". A thin strip in the municipality's colour tops each column.
    """
    s = _s(size)
    crit_ids = list(dict.fromkeys(crit_agg["criterion"])) if len(crit_agg) else []
    crit_title = {c.id: c.title for c in q.criteria}
    titles = [crit_title[c.id] for c in q.criteria if c.id in set(crit_ids)]
    names = list(colours) + sorted(set(crit_agg["municipality"].astype(str)) - set(colours)) if len(crit_agg) else list(colours)
    if not titles or not names:
        return empty_chart("Geen stopcriteria in deze sessie.", title=title, size=size)

    signals = q.scoring.signals
    pos = {sig.id: k for k, sig in enumerate(signals)}
    legend_labels = []
    for k, sig in enumerate(signals):
        if k == 0:
            legend_labels.append(f"{sig.label} (vanaf {fmt_number(sig.min)})")
        elif k < len(signals) - 1:
            legend_labels.append(f"{sig.label} ({fmt_number(sig.min)} tot {fmt_number(signals[k - 1].min)})")
        else:
            legend_labels.append(f"{sig.label} (onder {fmt_number(signals[k - 1].min)})")
    hidden_label = f"Minder dan {min_n} deelnemers"
    have = crit_agg.assign(_t=crit_agg["criterion"].map(crit_title), _g=crit_agg["municipality"].astype(str)).set_index(
        ["_t", "_g"]
    )
    full = pd.MultiIndex.from_product([titles, names])
    have = have.reindex(full)
    rows = []
    for (t, g), r in zip(full, have.itertuples(), strict=True):
        sup = pd.isna(r.suppressed) or bool(r.suppressed)
        if sup or pd.isna(r.mean) or r.signal not in pos:
            rows.append(
                {
                    "criterium": t,
                    "gemeente": g,
                    "signaal": hidden_label,
                    "label": too_small(min_n),
                    "inkt": SUPPRESSED_INK,
                    "gemiddelde": None,
                }
            )
        else:
            k = pos[r.signal]
            rows.append(
                {
                    "criterium": t,
                    "gemeente": g,
                    "signaal": legend_labels[k],
                    "label": f"{fmt_number(r.mean)}\n{signals[k].label.lower()}",
                    "inkt": "white" if k == 0 else INK,
                    "gemiddelde": round(float(r.mean), 2),
                }
            )
    data = pd.DataFrame(rows)
    fills = [SIGNAL_COLOUR.get(k, NEUTRAL) for k in range(len(signals))] + ["#E6E6E6"]
    x = alt.X(
        "gemeente:N",
        sort=names,
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=0 if len(names) <= 6 else -35,
            domain=False,
            ticks=False,
            labelPadding=s["pad"] + 12,
            labelFontWeight="bold",
        ),
    )
    y = alt.Y("criterium:N", sort=titles, title=None, axis=alt.Axis(domain=False, ticks=False, labelPadding=s["pad"]))
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=3)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "signaal:N",
                scale=alt.Scale(domain=legend_labels + [hidden_label], range=fills),
                legend=alt.Legend(
                    title="Signaal",
                    orient="bottom",
                    direction="horizontal",
                    symbolType="square",
                    symbolSize=s["dot"],
                    labelLimit=500,
                ),
            ),
            tooltip=[
                alt.Tooltip("criterium:N", title="Criterium"),
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("label:N", title="Score"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(fontSize=s["text"], fontWeight="bold", lineBreak="\n", lineHeight=s["text"] + 4)
        .encode(x=x, y=y, text="label:N", color=_ink())
    )
    strip_data = pd.DataFrame({"gemeente": names, "kleur": [colours.get(m, NEUTRAL) for m in names]})
    strip = (
        alt.Chart(strip_data).mark_rect().encode(x=x, y=alt.value(-12), y2=alt.value(-3), color=alt.Color("kleur:N", scale=None))
    )
    subtitle = "Score = hoe sterk de groep het waarschuwingssignaal herkent (1 = niet, 5 = helemaal)."
    chart = (
        alt.layer(cells, text, strip)
        .resolve_scale(color="independent")
        .properties(width="container", height=s["row"] * len(titles), title=_title(title, subtitle, size))
    )
    return configure(chart, size=size)


# ---------------------------------------------------------------- advice


def advice_spread(
    dist: pd.DataFrame,
    colours: Mapping[str, str],
    q: Questionnaire,
    size: str = "normal",
    *,
    title: str = "Advies per gemeente",
    min_n: int | None = None,
) -> alt.TopLevelMixin:
    """Per municipality one horizontal bar split by the share of each advice (content order of
    ``q.settings.advices``, mildest first). ``dist`` is ``scoring.advice_distribution(...,
    by=['municipality'])``. A suppressed municipality gets a grey bar with "n < {min_n}"."""
    s = _s(size)
    names = list(colours) + (sorted(set(dist["municipality"].astype(str)) - set(colours)) if len(dist) else [])
    if not names:
        return empty_chart("Nog geen gegevens om te tonen.", title=title, size=size)
    advices = q.settings.advices
    labels = [a.label for a in advices]
    ramp = ADVICE_COLOURS if len(advices) == len(ADVICE_COLOURS) else alt.Scale(scheme="redblue", reverse=True)
    ink = ADVICE_INK if len(advices) == len(ADVICE_INK) else [INK] * len(advices)
    rows, hidden_rows, name_label = [], [], {}
    for m in names:
        part = dist[dist["municipality"].astype(str) == m].set_index("advice") if len(dist) else pd.DataFrame()
        sup = part.empty or bool(part["suppressed"].astype(bool).any()) or part["n"].isna().all()
        if sup:
            name_label[m] = m
            hidden_rows.append({"gemeente": m, "tekst": too_small(min_n) if min_n else "te weinig deelnemers"})
            continue
        n = int(part["n"].dropna().iloc[0])
        name_label[m] = f"{m} (n={n})"
        start = 0.0
        for k, a in enumerate(advices):
            share = float(part.loc[a.id, "share"]) * 100 if a.id in part.index and pd.notna(part.loc[a.id, "share"]) else 0.0
            count = int(part.loc[a.id, "count"]) if a.id in part.index and pd.notna(part.loc[a.id, "count"]) else 0
            rows.append(
                {
                    "gemeente": name_label[m],
                    "advies": labels[k],
                    "van": round(start, 3),
                    "tot": round(start + share, 3),
                    "procent": round(share, 1),
                    "aantal": count,
                    "tekst": f"{share:.0f}%" if share >= 8 else "",
                    "inkt": ink[k],
                }
            )
            start += share
    order = [name_label[m] for m in names]
    for r in hidden_rows:
        r["gemeente"] = name_label[r["gemeente"]]
    y = alt.Y(
        "gemeente:N",
        sort=order,
        title=None,
        scale=alt.Scale(domain=order, paddingInner=0.3),
        axis=alt.Axis(domain=False, ticks=False, labelPadding=s["pad"] + (30 if size == "projector" else 18)),
    )
    x_scale = alt.Scale(domain=[0, 100], nice=False)
    colour = alt.Color(
        "advies:N",
        scale=alt.Scale(domain=labels, range=ramp) if isinstance(ramp, list) else ramp,
        sort=labels,
        legend=alt.Legend(title="Advies", orient="bottom", direction="horizontal", symbolType="square", symbolSize=s["dot"]),
    )
    rows_df = (
        pd.DataFrame(rows)
        if rows
        else pd.DataFrame(
            {"gemeente": [], "advies": [], "van": [], "tot": [], "procent": [], "aantal": [], "tekst": [], "inkt": []}
        )
    )
    bars = (
        alt.Chart(rows_df)
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
            color=colour,
            tooltip=[
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("advies:N", title="Advies"),
                alt.Tooltip("aantal:Q", title="Aantal"),
                alt.Tooltip("procent:Q", title="Procent", format=".0f"),
            ],
        )
    )
    text = (
        alt.Chart(rows_df)
        .transform_calculate(midden="(datum.van + datum.tot) / 2")
        .mark_text(fontSize=s["text"], fontWeight="bold")
        .encode(y=y, x=alt.X("midden:Q", scale=x_scale), text="tekst:N", color=_ink())
    )
    layers = [bars, text]
    if hidden_rows:
        hidden_df = pd.DataFrame(hidden_rows)
        layers.append(alt.Chart(hidden_df).mark_bar(color="#E6E6E6").encode(y=y, x=alt.datum(0), x2=alt.datum(100)))
        layers.append(
            alt.Chart(hidden_df)
            .mark_text(fontSize=s["text"], color=SUPPRESSED_INK, fontStyle="italic")
            .encode(y=y, x=alt.datum(50), text="tekst:N")
        )
    marker = pd.DataFrame({"gemeente": order, "kleur": [colours.get(m, NEUTRAL) for m in names]})
    layers.append(
        alt.Chart(marker)
        .mark_point(filled=True, opacity=1, shape="circle", size=s["dot"])
        .encode(y=y, x=alt.value(-14 if size == "projector" else -9), color=alt.Color("kleur:N", scale=None))
    )
    subtitle = "Het advies volgt uit de stopcriteria van elke deelnemer; een startpunt voor het gesprek, geen oordeel."
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(width="container", height=(s["row"] - 8) * len(order), title=_title(title, subtitle, size))
    )
    return configure(chart, size=size)
