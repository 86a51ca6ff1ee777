"""The spread figure: per section a dot per municipality at its mean, and the range from lowest to highest."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from charts.parts import SUPPRESSED_INK, TOPIC_MARK, _js, empty_chart, score_axis, section_titles
from charts.style import INK, NEUTRAL, configure, fmt_number, inline, sizes, title_params
from questionnaire.loader import Questionnaire

MAX_PLOT_HEIGHT = 720
TOPIC_INK = "#7A3300"  # dark brown: 9:1 on white, and not a signal colour


def topic_line(gap: float) -> str:
    """The second label line of a section that is a topic for the conversation."""
    return f"{TOPIC_MARK} gespreksonderwerp (verschil {fmt_number(gap)})"


def spread(
    agg: pd.DataFrame,
    gaps: pd.DataFrame,
    colours: Mapping[str, str],
    q: Questionnaire,
    size: str = "normal",
    *,
    title: str = "Verschillen tussen gemeenten per onderdeel",
    min_n: int | None = None,
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Per section a dot per municipality at its mean (fixed colour) and a grey bar from the lowest
    to the highest municipality mean.

    ``agg``: ``aggregate_sections(..., by=['municipality'])``; ``gaps``: ``section_gaps(agg,
    'municipality', q)``. Sections whose ``topic`` is set (the largest gaps, see
    ``scoring.section_gaps``) get a second label line "⚑ gespreksonderwerp" in bold.
    Suppressed municipalities are left out and named in the subtitle.
    """
    s = sizes(size)
    big = size == "projector"
    sec_ids = list(dict.fromkeys(agg["section"])) if len(agg) else []
    titles = section_titles(sec_ids, q)
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
            "n": shown["n"].astype(int).to_numpy(),
        }
    )
    dots["gemiddelde_tekst"] = dots["gemiddelde"].map(fmt_number)

    gap_rows = gaps[gaps["section"].isin(sec_ids)] if len(gaps) else gaps
    ranges = pd.DataFrame(
        {
            "onderdeel": gap_rows["section"].map(title_of).to_numpy() if len(gap_rows) else [],
            "laagste": gap_rows["low_mean"].astype(float).round(3).to_numpy() if len(gap_rows) else [],
            "hoogste": gap_rows["high_mean"].astype(float).round(3).to_numpy() if len(gap_rows) else [],
        }
    )
    topic_rows = gap_rows[gap_rows["topic"].astype(bool)] if len(gap_rows) else gap_rows
    topic_label = {title_of[r.section]: topic_line(r.gap) for r in topic_rows.itertuples()}
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
            labelColor={"condition": {"test": test, "value": TOPIC_INK}, "value": INK},
            labelLineHeight=s["label"] + 6,
            labelLimit=s["label_limit"],
            domain=False,
            ticks=False,
            grid=False,
            labelPadding=s["pad"] * 2,
        ),
    )
    x_scale = alt.Scale(domain=[1, 5], nice=False, clamp=True)
    x_title = "Gemiddelde score (1 = zwak, 5 = sterk)"
    x = alt.X("gemiddelde:Q", scale=x_scale, title=x_title, axis=score_axis())
    colour = alt.Color(
        "gemeente:N",
        scale=alt.Scale(domain=names, range=palette),
        legend=alt.Legend(
            title="Gemeente",
            orient="bottom",
            direction="horizontal",
            symbolSize=s["dot"],
            symbolStrokeWidth=0,
            columns=min(len(names), 6),
        ),
    )
    y_offset = alt.YOffset("gemeente:N", sort=names, scale=alt.Scale(domain=names, paddingInner=0.2))

    per_row = max(len(names), 1)
    row_height = max(s["row"] if not big else 0, (28 if big else 20) * per_row + (26 if big else 24), 2 * (s["label"] + 6) + 16)
    # On a projector the plot stays within MAX_PLOT_HEIGHT (a 1080-pixel slide with title and legend);
    # with many municipalities the dots get smaller instead of the chart taller.
    plot_height = height or (min(row_height * len(titles), MAX_PLOT_HEIGHT) if big else row_height * len(titles))
    sub_row = plot_height / max(len(titles), 1) * 0.75 / per_row  # pixels per municipality
    dot = min(s["dot"], max(250 if big else 60, int((sub_row * 1.1) ** 2)))
    # Pixels, not a share of the band: with a yOffset in the other layers a band share would be a
    # share of one municipality's sub-band.
    band_px = max(4, int(plot_height / max(len(titles), 1) * 0.72))
    band = (
        alt.Chart(inline(ranges))
        .mark_bar(color="#BDBDBD", opacity=0.55, height=band_px)
        .encode(y=y, x=alt.X("laagste:Q", scale=x_scale, axis=score_axis(), title=x_title), x2="hoogste:Q")
    )
    points = (
        alt.Chart(inline(dots))
        .mark_point(filled=True, opacity=1, stroke="white", strokeWidth=2, size=dot, shape="circle")
        .encode(
            y=y,
            yOffset=y_offset,
            x=x,
            color=colour,
            tooltip=[
                alt.Tooltip("onderdeel:N", title="Onderdeel"),
                alt.Tooltip("gemeente:N", title="Gemeente"),
                alt.Tooltip("gemiddelde_tekst:N", title="Gemiddelde"),
                alt.Tooltip("n:Q", title="Deelnemers"),
            ],
        )
    )
    gap_text = fmt_number(q.scoring.conversation_gap)
    subtitle = [
        "Stip = gemiddelde score van een gemeente; grijze balk = van de laagste tot de hoogste gemeente.",
        f"{TOPIC_MARK} = de grootste verschillen (vanaf {gap_text} punt, hooguit {q.scoring.conversation_max_topics}): "
        "onderwerp voor het gesprek.",
    ]
    if hidden:
        subtitle.append(f"Niet getoond (te weinig deelnemers): {', '.join(hidden)}.")
    layers = [band, points]
    empty_rows = [t for t in titles if t not in set(dots["onderdeel"])]
    if empty_rows:
        note = "geen gemeente met genoeg deelnemers"
        layers.append(
            alt.Chart(inline(pd.DataFrame({"onderdeel": empty_rows, "tekst": note})))
            .mark_text(align="left", dx=8, fontSize=s["label"], fontStyle="italic", color=SUPPRESSED_INK)
            .encode(y=y, x=alt.datum(1, scale=x_scale), text="tekst:N")
        )
    chart = alt.layer(*layers).properties(width="container", height=plot_height, title=title_params(title, subtitle, size))
    return configure(chart, size=size)
