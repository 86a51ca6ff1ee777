"""The stop-criteria figures: the stoplicht per criterion and municipality, and the advice per municipality."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from charts.parts import SUPPRESSED_INK, empty_chart, ink
from charts.style import INK, NEUTRAL, SIGNAL_COLOUR, configure, fmt_number, inline, sizes, title_params
from questionnaire.loader import Questionnaire

# Advice, from the mildest (doorgaan) to the strongest (stoppen): blue is good news as everywhere,
# amber (like the aandachtspunt band) for herijken,
# orange a warning, stoppen in the signal colour rood.
ADVICE_COLOURS = ["#2166AC", "#F6D27A", "#E08214", SIGNAL_COLOUR[0]]
ADVICE_INK = ["white", INK, INK, "white"]
HIDDEN_FILL = "#E6E6E6"


def stop_lights(
    crit_agg: pd.DataFrame,
    colours: Mapping[str, str],
    q: Questionnaire,
    min_n: int,
    size: str = "normal",
    *,
    title: str = "Stopcriteria per gemeente",
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Criteria (rows, content order) x municipalities (columns, order of ``colours``), each cell
    in the colour of the signal of the group mean, with the mean and the signal in words.

    ``crit_agg`` is ``scoring.aggregate_criteria(..., by=['municipality'])``. Suppressed cells
    are light grey with "te weinig deelnemers". A thin strip in the municipality's colour tops each column.
    """
    s = sizes(size)
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
    big = size == "projector"
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
                    "label": "te weinig\ndeelnemers",
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
                    "inkt": "white" if k in (0, 1) else INK,
                    "gemiddelde": round(float(r.mean), 2),
                }
            )
    data = pd.DataFrame(rows)
    fills = [SIGNAL_COLOUR.get(k, NEUTRAL) for k in range(len(signals))] + [HIDDEN_FILL]
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
        alt.Chart(inline(data))
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
        alt.Chart(inline(data))
        .mark_text(fontSize=s["label"], fontWeight="bold", lineBreak="\n", lineHeight=s["label"] + 4)
        .encode(x=x, y=y, text="label:N", color=ink())
    )
    strip_data = pd.DataFrame({"gemeente": names, "kleur": [colours.get(m, NEUTRAL) for m in names]})
    strip = (
        alt.Chart(inline(strip_data))
        .mark_rect()
        .encode(x=x, y=alt.value(-16 if big else -12), y2=alt.value(-4 if big else -3), color=alt.Color("kleur:N", scale=None))
    )
    subtitle = "Score = hoe sterk de groep het waarschuwingssignaal herkent (1 = niet, 5 = helemaal)."
    chart = (
        alt.layer(cells, text, strip)
        .resolve_scale(color="independent")
        .properties(width="container", height=height or s["row"] * len(titles), title=title_params(title, subtitle, size))
    )
    return configure(chart, size=size)


# ---------------------------------------------------------------- advice


def advice_colours(advice_ids: Sequence[str]) -> list[str]:
    """The colour of each advice shown, mildest first: ADVICE_COLOURS, the strongest (stoppen, or its
    stand-in in a legally required cooperation) always in the last colour. A cooperation can get four
    advices (``scoring.advice.possible_advices``); a fifth gets a dark purple (at least 20 CIEDE2000
    from the four, also under deuteranopia). Every advice chart takes its colours from here."""
    if len(advice_ids) <= len(ADVICE_COLOURS):
        return ADVICE_COLOURS[: len(advice_ids) - 1] + [ADVICE_COLOURS[-1]] if advice_ids else []
    extra = len(advice_ids) - len(ADVICE_COLOURS)
    return ADVICE_COLOURS[:-1] + ["#40004B"] * extra + [ADVICE_COLOURS[-1]]


def share_labels(rows_df: pd.DataFrame, hidden_rows: list[dict], y, x_scale, s: dict) -> list:
    """The layers on top of a 100 % advice bar: each segment's share in its middle (column ``tekst``,
    coloured by ``inkt``), and for a group too small to show a grey bar with its words instead."""
    layers = [
        alt.Chart(inline(rows_df))
        .transform_calculate(midden="(datum.van + datum.tot) / 2")
        .mark_text(fontSize=s["label"], fontWeight="bold")
        .encode(y=y, x=alt.X("midden:Q", scale=x_scale), text="tekst:N", color=ink())
    ]
    if hidden_rows:
        hidden_df = pd.DataFrame(hidden_rows)
        layers.append(alt.Chart(inline(hidden_df)).mark_bar(color=HIDDEN_FILL).encode(y=y, x=alt.datum(0), x2=alt.datum(100)))
        layers.append(
            alt.Chart(inline(hidden_df))
            .mark_text(fontSize=s["label"], color=SUPPRESSED_INK, fontStyle="italic")
            .encode(y=y, x=alt.datum(50), text="tekst:N")
        )
    return layers


def advice_ink(k: int, n: int) -> str:
    """Text colour on the k-th of n advice colours (contrast with the fill)."""
    if n == len(ADVICE_INK):
        return ADVICE_INK[k]
    return "white" if k == 0 or k == n - 1 else INK


def advice_spread(
    dist: pd.DataFrame,
    colours: Mapping[str, str],
    q: Questionnaire,
    size: str = "normal",
    *,
    title: str = "Advies per gemeente",
    min_n: int | None = None,
    height: int | None = None,
    advice_ids: Sequence[str] | None = None,
) -> alt.TopLevelMixin:
    """Per municipality one horizontal bar split by the share of each advice (content order of
    ``q.settings.advices``, mildest first; only ``advice_ids`` when given: the advices the cooperation
    can get). ``dist`` is ``scoring.advice_distribution(..., by=['municipality'])``. A suppressed
    municipality gets a grey bar with "te weinig deelnemers om te tonen"."""
    s = sizes(size)
    big = size == "projector"
    names = list(colours) + (sorted(set(dist["municipality"].astype(str)) - set(colours)) if len(dist) else [])
    if not names:
        return empty_chart("Nog geen gegevens om te tonen.", title=title, size=size)
    advices = [a for a in q.settings.advices if advice_ids is None or a.id in set(advice_ids)]
    labels = [a.label for a in advices]
    ramp = advice_colours([a.id for a in advices])
    inks = [advice_ink(k, len(advices)) for k in range(len(advices))]
    rows, hidden_rows, name_label = [], [], {}
    for m in names:
        part = dist[dist["municipality"].astype(str) == m].set_index("advice") if len(dist) else pd.DataFrame()
        sup = part.empty or bool(part["suppressed"].astype(bool).any()) or part["n"].isna().all()
        if sup:
            name_label[m] = m
            hidden_rows.append({"gemeente": m, "tekst": "te weinig deelnemers om te tonen"})
            continue
        n = int(part["n"].dropna().iloc[0])
        name_label[m] = f"{m} ({n} deelnemers)"
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
                    "tekst": f"{share:.0f}%" if share >= (12 if big else 8) else "",
                    "inkt": inks[k],
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
        axis=alt.Axis(domain=False, ticks=False, labelPadding=s["pad"] + (40 if big else 18)),
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
        alt.Chart(inline(rows_df))
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
    layers = [bars, *share_labels(rows_df, hidden_rows, y, x_scale, s)]
    marker = pd.DataFrame({"gemeente": order, "kleur": [colours.get(m, NEUTRAL) for m in names]})
    layers.append(
        alt.Chart(inline(marker))
        .mark_point(filled=True, opacity=1, shape="circle", size=s["dot"])
        .encode(y=y, x=alt.value(-20 if big else -9), color=alt.Color("kleur:N", scale=None))
    )
    subtitle = "Het advies volgt uit de stopcriteria van elke deelnemer; een startpunt voor het gesprek, geen oordeel."
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(width="container", height=height or (s["row"] - 8) * len(order), title=title_params(title, subtitle, size))
    )
    return configure(chart, size=size)
