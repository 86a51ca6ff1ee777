"""The one-sentence findings per figure, built from the scored (and suppressed) group tables. No Streamlit."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

import scoring
from charts.parts import short_text
from charts.style import fmt_number
from questionnaire.loader import Questionnaire

MAX_NAMED_GROUPS = 3  # a sentence names each municipality only up to this many


def join(parts: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def group_phrase(kind: str, plural: bool = False) -> str:
    return {"municipality": ("gemeente", "gemeenten"), "role_group": ("rol", "rollen")}[kind][plural]


def group_name(kind: str, name: str) -> str:
    """How a single group is named in a sentence: 'Berkdal', 'de rol Raad'."""
    return str(name) if kind == "municipality" else f"de rol {name}"


def not_enough(kind: str, min_n: int, what: str = "een score") -> str:
    return (
        f"Nog geen {group_phrase(kind)} heeft {min_n} of meer deelnemers met {what}; "
        f"groepen kleiner dan {min_n} worden niet getoond."
    )


def gap_sentence(agg: pd.DataFrame, by: str, q: Questionnaire, min_n: int, label: Callable[[str], str]) -> str:
    """The largest difference between groups (first in content order on a tie)."""
    title_of = {s.id: s.title for s in q.sections}
    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    groups = list(dict.fromkeys(shown[by]))
    if not groups:
        return not_enough(by, min_n)
    if len(groups) == 1:
        one = shown[shown[by] == groups[0]]
        hi = one.loc[one["mean"].idxmax()]
        lo = one.loc[one["mean"].idxmin()]
        start = (
            f"Alleen {group_name(by, label(groups[0]))} heeft {min_n} of meer deelnemers, "
            f"dus vergelijken tussen {group_phrase(by, plural=True)} kan nog niet"
        )
        if hi["section"] == lo["section"] or hi["mean"] == lo["mean"]:
            return start + "."
        return (
            f"{start}; daar scoort {title_of[hi['section']]} het hoogst ({fmt_number(hi['mean'])}) "
            f"en {title_of[lo['section']]} het laagst ({fmt_number(lo['mean'])})."
        )
    gaps = scoring.section_gaps(agg[[by, "section", "mean", "suppressed"]], by, q)
    top = gaps.loc[gaps["gap"].idxmax()]
    if top["gap"] == 0:
        return f"De {group_phrase(by, plural=True)} geven elk onderdeel dezelfde gemiddelde score; er is geen verschil."
    return (
        f"Grootste verschil bij {title_of[top['section']]}: {label(top['high_group'])} {fmt_number(top['high_mean'])} "
        f"tegenover {label(top['low_group'])} {fmt_number(top['low_mean'])}."
    )


def conversation_topics(gaps: pd.DataFrame) -> pd.DataFrame:
    """The sections marked as a topic for the conversation, largest gap first (``section_gaps`` decides)."""
    return gaps[gaps["topic"].astype(bool)].sort_values("gap", ascending=False, kind="stable")


def spread_sentence(agg: pd.DataFrame, gaps: pd.DataFrame, q: Questionnaire, min_n: int) -> str:
    """Which sections are a topic for the conversation (or the largest gap when none is)."""
    title_of = {s.id: s.title for s in q.sections}
    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    limit = fmt_number(q.scoring.conversation_gap)
    if shown["municipality"].nunique() < 2:
        return gap_sentence(agg, "municipality", q, min_n, str)
    topics = conversation_topics(gaps)
    if len(topics):
        names = [f"{title_of[r.section]} ({fmt_number(r.gap)})" for r in topics.itertuples()]
        many = int((gaps["gap"] >= q.scoring.conversation_gap).sum()) > len(topics)
        word = "Onderwerp" if len(names) == 1 else "Onderwerpen"
        which = f"de {len(names)} grootste verschillen" if many else f"verschil van {limit} punt of meer"
        return f"{word} voor het gesprek ({which} tussen gemeenten): {join(names)}."
    top = gaps.loc[gaps["gap"].idxmax()]
    return (
        f"Geen onderdeel met een verschil van {limit} punt of meer tussen gemeenten; "
        f"het grootste verschil is {fmt_number(top['gap'])} bij {title_of[top['section']]}."
    )


def statements_sentence(shares: pd.DataFrame, q: Questionnaire, min_n: int) -> str:
    """The most positive and the most critical statement, read in the statement's direction.

    ``shares``: item x option (shares of the answers, 'weet niet' included). For a statement
    where agreeing is bad news (reverse) the positive answers are the disagreeing ones.
    """
    mid = (q.scale.min_value + q.scale.max_value) / 2
    agree = [v for v in q.scale.values if v > mid and v in shares.columns]
    disagree = [v for v in q.scale.values if v < mid and v in shares.columns]
    if shares.empty or shares.isna().all().all():
        return (
            f"Nog geen stelling is door {min_n} of meer deelnemers beantwoord; "
            f"stellingen met minder dan {min_n} antwoorden worden niet getoond."
        )
    yes = shares[agree].sum(axis=1)
    no = shares[disagree].sum(axis=1)
    reverse = pd.Series({i: q.item_by_id[i].reverse for i in shares.index})
    positive = yes.where(~reverse, no)
    negative = no.where(~reverse, yes)

    def part(item: str, share: float, agreeing: bool) -> str:
        return f"‘{short_text(q.item_by_id[item].text, 80)}’ ({share * 100:.0f}% {'eens' if agreeing else 'oneens'})"

    best, worst = positive.idxmax(), negative.idxmax()
    text = f"Meest positief: {part(best, positive[best], not reverse[best])}"
    if worst != best and negative[worst] > 0:
        text += f"; meest kritisch: {part(worst, negative[worst], bool(reverse[worst]))}"
    return text + "."


def stop_sentence(agg: pd.DataFrame, q: Questionnaire, min_n: int, n_criteria: int) -> str:
    """How many stop criteria are on rood somewhere, and the strongest signal."""
    crit_title = {c.id: c.title for c in q.criteria}
    signal_label = {s.id: s.label for s in q.scoring.signals}
    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    red = q.scoring.signals[0].id
    if shown.empty:
        return not_enough("municipality", min_n, "een score voor de stopcriteria")
    top = shown.loc[shown["mean"].idxmax()]
    strongest = f"{crit_title[top['criterion']]} in {top['municipality']} ({fmt_number(top['mean'])}, {signal_label[top['signal']].lower()})"
    n_red = shown.loc[shown["signal"] == red, "criterion"].nunique()
    if n_red:
        return (
            f"{n_red} van de {n_criteria} stopcriteria staan bij minstens één gemeente op "
            f"{signal_label[red].lower()}; het sterkste signaal: {strongest}."
        )
    return f"Geen stopcriterium staat bij een gemeente op {signal_label[red].lower()}; het sterkste signaal: {strongest}."


def advice_sentence(dist: pd.DataFrame, municipalities: list[str], q: Questionnaire, min_n: int) -> str:
    """The most frequent advice per municipality (or, with many, the advice that wins most often)."""
    advices = q.settings.advices
    label = {a.id: a.label for a in advices}
    parts, top = [], {}
    for m in municipalities:
        part = dist[dist["municipality"] == m].set_index("advice")
        if bool(part["suppressed"].any()) or part["n"].isna().all():
            continue
        n = int(part["n"].dropna().iloc[0])
        best = part["count"].max()
        winners = [label[a] for a in part.index[part["count"] == best]]
        parts.append(f"{m} {'/'.join(winners)} ({int(best)} van {n})")
        if len(winners) == 1:
            top[m] = winners[0]
    if parts and len(parts) <= MAX_NAMED_GROUPS:
        return f"Meest voorkomend advies: {join(parts)}."
    if parts:
        counts = {a.label: [m for m, w in top.items() if w == a.label] for a in advices}
        winner = max(counts, key=lambda a: len(counts[a]))  # first in content order on a tie
        if counts[winner]:
            return f"In {len(counts[winner])} van de {len(parts)} gemeenten komt {winner} het meest voor: {join(counts[winner])}."
        return "De adviezen lopen per gemeente uiteen; in geen enkele gemeente komt één advies duidelijk het meest voor."
    return not_enough("municipality", min_n, "een advies")


def topic_parts(topic) -> tuple[str, str]:
    """One of the top three in words, as (title, the rest of the sentence): the screen puts the title
    in bold, a report or slide writes them together (``topic_sentence``). ``topic``: scoring.Topic."""
    if topic.kind == "criterium":
        return topic.title, f" staat op {topic.label.lower()} ({fmt_number(topic.score)})."
    if topic.kind == "verschil":
        return topic.title, (
            f": groot verschil tussen {topic.high_group} ({fmt_number(topic.high_mean)}) "
            f"en {topic.low_group} ({fmt_number(topic.low_mean)})."
        )
    return topic.title, f" scoort {fmt_number(topic.score)} ({topic.label.lower()})."


def topic_sentence(topic) -> str:
    title, rest = topic_parts(topic)
    return title + rest


def session_topics(data, q: Questionnaire, n: int = 3) -> list:
    """A session's top three (``scoring.top_topics``): red criteria and weakest sections of the whole
    group, and the largest gaps between municipalities, from the published view (``data.public``:
    groups below the session's minimum take no part). ``data``: services.workshop.SessionData."""
    data = data.public
    if data.sections.empty and data.criteria.empty:
        return []
    whole = scoring.aggregate_sections(data.sections, None, [], data.min_n, q) if len(data.sections) else None
    crit = scoring.aggregate_criteria(data.criteria, None, [], data.min_n, q) if len(data.criteria) else None
    gaps = None
    if len(data.sections):
        by_m = scoring.aggregate_sections(data.sections, data.active, ["municipality"], data.min_n, q)
        gaps = scoring.section_gaps(by_m[["municipality", "section", "mean", "suppressed"]], "municipality", q)
    return scoring.top_topics(q, whole, crit, gaps, n)
