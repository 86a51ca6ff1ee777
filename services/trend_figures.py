"""The trend figures of a cooperation (``scoring.trend.Trend``) as ``workshop.Figure``: chart, sentence and table."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

import findings
from charts import trend as trend_chart
from charts.parts import empty_chart
from charts.style import TOO_FEW_SHORT, fmt_number
from findings import trend as trend_words
from questionnaire.loader import Questionnaire
from scoring import trend as trends
from scoring._common import round_half_up
from services import workshop

TREND_TITLES: dict[str, str] = {
    "trend_onderdelen": "Verandering sinds de vorige ronde",
    "trend_advies": "Advies per ronde",
}
NOT_COMPARED = "niet vergeleken"  # a table cell of a round whose section was asked differently (or not)


def trend_figures(
    trend: trends.Trend,
    q: Questionnaire,
    *,
    size: str = "projector",
    municipalities: Sequence[str] | None = None,
    show: Sequence[str] | None = None,
) -> list[workshop.Figure]:
    """The trend per section and group, and the advice spread per round, in the order of ``TREND_TITLES``.
    ``municipalities``: the order of the municipalities (the cooperation's partners); by default the
    order in which they appear in the trend. ``show``: the municipalities to draw beside everyone (a
    selector on the console); by default all that fit (``chart_groups``)."""
    return [sections_figure(trend, q, size=size, municipalities=municipalities, show=show), advice_figure(trend, q, size=size)]


# ---------------------------------------------------------------- which rows and groups


def _section_order(trend: trends.Trend, q: Questionnaire) -> list[str]:
    have = set(trend.table["section"]) if len(trend.table) else set()
    order = [s.id for s in q.scored_sections() if s.id in have]
    return order + sorted(have - set(order))


def _group_order(trend: trends.Trend, municipalities: Sequence[str] | None) -> list[str]:
    """Everyone first, then the municipalities (given order, then any other in order of appearance)."""
    present = list(dict.fromkeys(g for g in trend.table["group"] if g != trends.ALL)) if len(trend.table) else []
    listed = [m for m in (municipalities or []) if m in set(present)]
    return [trends.ALL, *listed, *[m for m in present if m not in set(listed)]]


def _shown_groups(trend: trends.Trend, order: list[str]) -> list[str]:
    """The groups with at least one number in the trend (a group suppressed everywhere has no row)."""
    t = trend.table
    with_number = set(t.loc[~t["suppressed"].astype(bool) & t["mean"].notna(), "group"]) if len(t) else set()
    return [g for g in order if g in with_number]


def chart_groups(
    trend: trends.Trend, groups: list[str], titles: list[str], size: str, threshold: float, n_notes: int = 0
) -> tuple[list[str], str]:
    """The groups the chart draws, and a note when that is not all of them. Everyone and every
    municipality when they fit the slide; else everyone and the municipalities with a change of at least
    ``threshold`` (largest change first, as many as fit). ``n_notes``: the subtitle lines the chart has
    besides this note."""

    def fit(gs: list[str], notes: int) -> bool:
        return trend_chart.fits(titles, [trend_words.group_label(g) for g in gs], size, notes)

    if fit(groups, n_notes):
        return groups, ""
    changed = trend.changes[trend.changes["group"] != trends.ALL] if len(trend.changes) else trend.changes
    by_size = (
        changed.assign(_a=changed["delta"].abs())
        .groupby("group", sort=False)["_a"]
        .max()
        .sort_values(ascending=False, kind="stable")
        if len(changed)
        else pd.Series(dtype=float)
    )
    keep = [trends.ALL]
    for g in by_size.index:
        if g not in groups or not fit([*keep, g], n_notes + 1):
            break
        keep.append(g)
    limit = fmt_number(threshold)
    if len(keep) == 1:
        note = f"Hier alleen alle gemeenten samen: geen gemeente is {limit} of meer veranderd. De tabel heeft elke gemeente."
    elif len(keep) - 1 < len(by_size):
        note = f"Hier alle gemeenten samen en de {len(keep) - 1} gemeenten die het meest veranderd zijn; de tabel heeft elke gemeente."
    else:
        note = f"Hier alle gemeenten samen en de gemeenten die {limit} of meer veranderd zijn; de tabel heeft elke gemeente."
    return [g for g in groups if g in set(keep)], note


# ---------------------------------------------------------------- the sections figure


def _delta(after: float, before: float) -> float:
    return float(round_half_up(after - before))


def sections_figure(
    trend: trends.Trend,
    q: Questionnaire,
    *,
    size: str = "projector",
    municipalities: Sequence[str] | None = None,
    show: Sequence[str] | None = None,
) -> workshop.Figure:
    key, title = "trend_onderdelen", TREND_TITLES["trend_onderdelen"]
    threshold = q.scoring.trend_change
    caption = findings.trend_sentence(trend, q)
    notes = findings.not_compared_sentences(trend, q)
    sec_ids = _section_order(trend, q)
    latest = trend_words.latest_round(trend)
    # The rounds with data that were compared on at least one section (a round too small to show
    # anything counts: its cells say so), and always the latest.
    left_out = {(n.section, n.round) for n in trend.not_compared}
    round_numbers = [
        r for r in trend_words.rounds_with_data(trend) if r == latest or any((s, r) not in left_out for s in sec_ids)
    ]
    labels = {r: trend.labels.get(r, f"Ronde {r}") for r in round_numbers}
    order = _group_order(trend, municipalities)
    table_groups = [g for g in order if len(trend.table) and g in set(trend.table["group"])]
    groups = _shown_groups(trend, order)
    numbers = _sections_table(trend, q, sec_ids, table_groups, labels)
    if not sec_ids or not groups:
        msg = "Er zijn nog geen onderdelen met genoeg deelnemers om met een eerdere ronde te vergelijken."
        return workshop.Figure(key, title, caption, empty_chart(msg, title=title, size=size), _dutch(numbers), numbers)

    title_of = {s: trend_words.section_title(q, s) for s in sec_ids}
    n_notes = len(trend_chart.wrap_lines(notes, trend_chart.PROJECTOR_WIDTH, size))
    if show is not None:
        drawn = [g for g in groups if g == trends.ALL or g in set(show)]
        named = [g for g in drawn if g != trends.ALL]
        note = (
            ""
            if len(drawn) == len(groups)
            else (
                f"Hier alle gemeenten samen en {findings.join(named)}; de tabel heeft elke gemeente."
                if named
                else "Hier alleen alle gemeenten samen; de tabel heeft elke gemeente."
            )
        )
    else:
        drawn, note = chart_groups(trend, groups, [title_of[s] for s in sec_ids], size, threshold, n_notes)
    t = trend.table[trend.table["group"].isin(drawn) & trend.table["round"].isin(round_numbers)]
    cells = pd.DataFrame(
        {
            "section": t["section"].map(title_of).to_numpy(),
            "group": t["group"].map(trend_words.group_label).to_numpy(),
            "round": t["round"].map(labels).to_numpy(),
            "mean": t["mean"].astype(float).to_numpy(),
            "suppressed": t["suppressed"].astype(bool).to_numpy(),
        }
    )
    ch = trend.changes[trend.changes["group"].isin(drawn)] if len(trend.changes) else trend.changes
    changes = pd.DataFrame(
        {
            "section": ch["section"].map(title_of).to_numpy() if len(ch) else [],
            "group": ch["group"].map(trend_words.group_label).to_numpy() if len(ch) else [],
            "delta": ch["delta"].astype(float).to_numpy() if len(ch) else [],
        }
    )
    chart = trend_chart.dumbbells(
        cells,
        changes,
        list(labels.values()),
        [title_of[s] for s in sec_ids],
        [trend_words.group_label(g) for g in drawn],
        threshold,
        size,
        title=title,
        notes=[*([note] if note else []), *notes],
        round_names=[f"ronde {r}" for r in labels],
    )
    return workshop.Figure(key, title, caption, chart, _dutch(numbers), numbers)


def _sections_table(
    trend: trends.Trend, q: Questionnaire, sec_ids: list[str], groups: list[str], labels: dict[int, str]
) -> pd.DataFrame:
    """Per section x group: the score per round as shown, 'te weinig deelnemers' where a round suppressed
    the group, 'niet vergeleken' where a round asked the section differently, and the latest minus the
    compared round."""
    t = trend.table.set_index(["section", "group", "round"])
    left_out = {(n.section, n.round) for n in trend.not_compared}
    before, latest = trend_words.compared_round(trend), trend_words.latest_round(trend)
    # A compared round without a single row for a section published nothing for it: too few people.
    with_rows = set(zip(trend.table["section"], trend.table["round"], strict=True))
    rows = []
    for sec in sec_ids:
        for g in groups:
            if not any((sec, g, r) in t.index for r in labels):
                continue
            row = {"Onderdeel": trend_words.section_title(q, sec), "Gemeente": trend_words.group_label(g)}
            shown: dict[int, float] = {}
            for r, lab in labels.items():
                if (sec, g, r) in t.index:
                    cell = t.loc[(sec, g, r)]
                    if bool(cell["suppressed"]) or pd.isna(cell["mean"]):
                        row[lab] = TOO_FEW_SHORT
                    else:
                        shown[r] = float(cell["mean"])
                        row[lab] = shown[r]
                elif (sec, r) in left_out:
                    row[lab] = NOT_COMPARED
                elif (sec, r) not in with_rows:
                    row[lab] = TOO_FEW_SHORT
                else:
                    row[lab] = None  # the municipality did not take part in that round
            row["Verschil"] = _delta(shown[latest], shown[before]) if before in shown and latest in shown else None
            rows.append(row)
    return pd.DataFrame(rows, columns=["Onderdeel", "Gemeente", *labels.values(), "Verschil"])


def _signed(value) -> str:
    """'+0,6', '-0,6', '0,0' for a table (a plain hyphen: it pastes into a spreadsheet as a number)."""
    if value is None or pd.isna(value):
        return ""
    text = fmt_number(abs(value))
    return text if text == fmt_number(0) else ("+" if value > 0 else "-") + text


def _dutch(numbers: pd.DataFrame) -> pd.DataFrame:
    out = workshop.dutch_table(numbers)
    out["Verschil"] = pd.Series([_signed(v) for v in numbers["Verschil"]], index=out.index, dtype=object)
    return out


# ---------------------------------------------------------------- the advice figure


def advice_ids(trend: trends.Trend, q: Questionnaire) -> list[str]:
    """The advices the trend shows, mildest first: an advice and its legally required variant never both,
    unless both occur (a cooperation is either legally required or not)."""
    adv = trend.advice
    present = set(adv.loc[adv["count"].fillna(0) > 0, "advice"]) if len(adv) else set()
    drop = set()
    for a in q.settings.advices:
        variant = getattr(a, "when_required", None)
        if not variant:
            continue
        if variant in present and a.id not in present:
            drop.add(a.id)
        elif variant not in present:
            drop.add(variant)
    return [a.id for a in q.settings.advices if a.id not in drop]


def advice_figure(trend: trends.Trend, q: Questionnaire, *, size: str = "projector") -> workshop.Figure:
    key, title = "trend_advies", TREND_TITLES["trend_advies"]
    caption = findings.trend_advice_sentence(trend, q)
    label = {a.id: a.label for a in q.settings.advices}
    ids = advice_ids(trend, q)
    adv = trend.advice
    round_numbers = sorted({int(r) for r in adv["round"]} | {trend_words.latest_round(trend)})
    labels = {r: trend.labels.get(r, f"Ronde {r}") for r in round_numbers}
    dist = adv.assign(round=adv["round"].map(labels)) if len(adv) else adv
    chart = trend_chart.advice_rounds(dist, list(labels.values()), [(a, label[a]) for a in ids], size, title=title)
    rows = []
    for r, lab in labels.items():
        part = adv[adv["round"] == r].set_index("advice")
        for a in ids:
            hidden = a not in part.index or pd.isna(part.loc[a, "share"])
            rows.append(
                {
                    "Ronde": lab,
                    "Advies": label[a],
                    "Aantal": None if hidden else int(part.loc[a, "count"]),
                    "Aandeel": None if hidden else float(part.loc[a, "share"]) * 100,
                    "_hidden": hidden,
                }
            )
    numbers = pd.DataFrame(rows, columns=["Ronde", "Advies", "Aantal", "Aandeel", "_hidden"])
    table = pd.DataFrame(
        {
            "Ronde": numbers["Ronde"],
            "Advies": numbers["Advies"],
            "Aantal": [TOO_FEW_SHORT if h else str(int(v)) for v, h in zip(numbers["Aantal"], numbers["_hidden"], strict=True)],
            "Aandeel": [
                TOO_FEW_SHORT if h else fmt_number(v, 0) + "%"
                for v, h in zip(numbers["Aandeel"], numbers["_hidden"], strict=True)
            ],
        },
        dtype=object,
    )
    numbers = numbers.drop(columns="_hidden")
    for col in ("Aantal", "Aandeel"):
        numbers[col] = pd.Series([TOO_FEW_SHORT if pd.isna(v) else v for v in numbers[col]], index=numbers.index, dtype=object)
    return workshop.Figure(key, title, caption, chart, table, numbers)
