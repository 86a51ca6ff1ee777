"""The trend across rounds in words: what rose or fell, what could not be compared, the advice per round."""

from __future__ import annotations

import pandas as pd

from charts.style import fmt_number
from findings.sentences import join
from questionnaire.loader import Questionnaire
from scoring import trend as trends

MAX_NAMED_CHANGES = 3  # a sentence names at most this many changes; the table holds them all
EVERYONE = "alle gemeenten"  # the group trends.ALL in a sentence
EVERYONE_LABEL = "Alle gemeenten"  # the same group as a label (chart, table)


def group_label(group: str) -> str:
    """How a trend group is labelled in a chart or table: 'Alle gemeenten' or the municipality."""
    return EVERYONE_LABEL if group == trends.ALL else str(group)


def section_title(q: Questionnaire, section: str) -> str:
    s = q.section_by_id.get(section)
    return s.title if s is not None else str(section)


def _quoted(q: Questionnaire, section: str) -> str:
    return f"‘{section_title(q, section)}’"


def _rounds(numbers: list[int]) -> str:
    """'ronde 1', 'ronde 1 en 2', 'ronde 1, 2 en 3'."""
    return "ronde " + join([str(n) for n in sorted(numbers)])


def rounds_with_data(trend: trends.Trend) -> list[int]:
    """The rounds whose results are still there, oldest first."""
    gone = {n.round for n in trend.not_compared if n.reason == trends.NO_DATA}
    return [r for r in trend.rounds if r not in gone]


def latest_round(trend: trends.Trend) -> int:
    """The round the trend is about: the latest one that has data (``scoring.trend`` compares with it)."""
    have = rounds_with_data(trend)
    return have[-1] if have else trend.latest


def compared_round(trend: trends.Trend) -> int | None:
    """The round the latest round is compared with (``scoring.trend``: the one before it that has data),
    or None when there is none or it could be compared on no section at all."""
    have = rounds_with_data(trend)
    if len(have) < 2:
        return None
    compared = set(trend.table["round"]) if len(trend.table) else set()
    return have[-2] if have[-2] in compared else None


def _change(q: Questionnaire, row) -> str:
    word = "gestegen" if row.delta > 0 else "gedaald"
    return f"{_quoted(q, row.section)} {word} van {fmt_number(row.before)} naar {fmt_number(row.after)}"


def named_changes(trend: trends.Trend) -> pd.DataFrame:
    """The changes a sentence names: the first MAX_NAMED_CHANGES of ``trend.changes`` (everyone first,
    then by size)."""
    return trend.changes.head(MAX_NAMED_CHANGES)


def trend_sentence(trend: trends.Trend, q: Questionnaire) -> str:
    """What rose or fell by at least ``q.scoring.trend_change`` since the previous round.

    'Sinds ronde 1 is ‘Eerlijk’ gestegen van 3,2 naar 3,8 (alle gemeenten); in Tiel is
    ‘Eigenaarschap’ gedaald van 4,1 naar 3,4.' At most MAX_NAMED_CHANGES changes are named."""
    before = compared_round(trend)
    limit = fmt_number(q.scoring.trend_change)
    have, now, t = rounds_with_data(trend), latest_round(trend), trend.table
    if len(have) < 2:
        return "Er is nog geen eerdere ronde met gegevens om mee te vergelijken."
    if t[(t["round"] == now) & ~t["suppressed"].astype(bool)].empty:
        return f"In ronde {now} zijn te weinig deelnemers om te tonen, dus er is nog niets te vergelijken."
    if before is None:
        if any(n.round == have[-2] for n in trend.not_compared):  # asked differently: the reasons follow
            return f"Ronde {now} kan op geen enkel onderdeel met de ronde ervoor worden vergeleken."
        return f"In ronde {have[-2]} waren te weinig deelnemers om te tonen, dus er is nog niets te vergelijken."
    if trend.changes.empty:
        return f"Geen onderdeel is {limit} of meer gestegen of gedaald sinds ronde {before}."
    named = named_changes(trend)
    clauses: list[str] = []
    for group in dict.fromkeys(named["group"]):
        parts = join([_change(q, r) for r in named[named["group"] == group].itertuples()])
        if group == trends.ALL:
            clauses.append(f"is {parts} ({EVERYONE})")
        elif not clauses:
            clauses.append(f"is in {group} {parts}")
        else:
            clauses.append(f"in {group} is {parts}")
    text = f"Sinds ronde {before} " + "; ".join(clauses) + "."
    rest = len(trend.changes) - len(named)
    if rest:
        more = "is nog 1 verandering" if rest == 1 else f"zijn nog {rest} veranderingen"
        text += f" Er {more} van {limit} of meer."
    return text


def not_compared_sentences(trend: trends.Trend, q: Questionnaire) -> list[str]:
    """Per reason, in plain words, what the trend leaves out and why (empty when it compares everything)."""
    by_reason: dict[str, list[trends.NotCompared]] = {}
    for n in trend.not_compared:
        by_reason.setdefault(n.reason, []).append(n)
    out: list[str] = []

    def per_round_set(items: list[trends.NotCompared]) -> list[tuple[list[int], list[str]]]:
        """Sections grouped by the set of rounds they were left out in (content order kept)."""
        rounds_of: dict[str, list[int]] = {}
        for n in items:
            rounds_of.setdefault(n.section, []).append(n.round)
        groups: dict[tuple[int, ...], list[str]] = {}
        for section, rs in rounds_of.items():
            groups.setdefault(tuple(sorted(set(rs))), []).append(section)
        return [(list(rs), secs) for rs, secs in groups.items()]

    def subject(sections: list[str]) -> tuple[str, str]:
        names = join([_quoted(q, s) for s in sections])
        return names, ("is" if len(sections) == 1 else "zijn")

    for rs, secs in per_round_set(by_reason.get(trends.CHANGED, [])):
        names, verb = subject(secs)
        out.append(f"{names} {verb} in {_rounds(rs)} met andere stellingen gevraagd en {verb} daarom niet vergeleken.")
    for rs, secs in per_round_set(by_reason.get(trends.NOT_ASKED, [])):
        names, verb = subject(secs)
        out.append(f"{names} {verb} in {_rounds(rs)} niet gevraagd en {verb} daarom niet vergeleken.")
    unknown = sorted({n.round for n in by_reason.get(trends.UNKNOWN, [])})
    if unknown:
        which = "die ronde is" if len(unknown) == 1 else "die rondes zijn"
        out.append(f"Van {_rounds(unknown)} is niet bekend welke versie van de vragenlijst is gebruikt; {which} niet vergeleken.")
    gone = sorted({n.round for n in by_reason.get(trends.NO_DATA, [])})
    if gone:
        out.append(f"Van {_rounds(gone)} zijn geen gegevens meer.")
    for rs, secs in per_round_set(by_reason.get(trends.NOT_IN_LATEST, [])):
        names, verb = subject(secs)
        out.append(
            f"{names} {verb} in ronde {latest_round(trend)} niet gevraagd (het laatst in {_rounds(rs)}) en {verb} daarom niet vergeleken."
        )
    return out


def _share(value) -> str:
    return fmt_number(value * 100, 0) + "%"


def trend_advice_sentence(trend: trends.Trend, q: Questionnaire) -> str:
    """The most frequent advice of the latest round, with its share then and in the round before."""
    label = {a.id: a.label for a in q.settings.advices}
    adv = trend.advice
    now = latest_round(trend)
    latest = adv[adv["round"] == now] if len(adv) else adv
    shown = latest[latest["share"].notna()] if len(latest) else latest
    if shown.empty or shown["n"].fillna(0).max() == 0:
        return f"Van ronde {now} zijn er te weinig deelnemers met een advies om te tonen."
    order = {a.id: k for k, a in enumerate(q.settings.advices)}
    top = shown.assign(_o=shown["advice"].map(order)).sort_values(["count", "_o"], ascending=[False, True]).iloc[0]
    name = label.get(top["advice"], str(top["advice"]))
    text = f"In ronde {now} kreeg {_share(top['share'])} van de deelnemers het advies {name}"
    before = compared_round(trend)
    if before is not None:
        prev = adv[(adv["round"] == before) & (adv["advice"] == top["advice"])]
        if len(prev) and pd.notna(prev["share"].iloc[0]):
            text += f" (in ronde {before}: {_share(prev['share'].iloc[0])})"
        else:
            text += f" (van ronde {before} te weinig deelnemers om te tonen)"
    return text + "."
