"""The live workshop: the data of one session and the comparison figures for the dashboard.

``load_session_data`` reads a session's participants and answers from the store and scores
them; ``comparison_figures`` turns that into the dashboard figures (chart + one-sentence finding
+ the table behind the chart); ``participant_comparison`` is the small table a participant sees
after the reveal. No Streamlit here.

Privacy: every group view goes through the ``scoring`` group functions with the session's
anonymity minimum (``session.min_group_size``); a group below it is shown as "n < {min}" and
never with a number, in charts, tables and captions alike. Only participants with at least one
answer count in the comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import altair as alt
import numpy as np
import pandas as pd

import scoring
from charts import compare
from charts.compare import fmt_number, too_small
from charts.style import municipality_colours
from questionnaire.loader import Questionnaire
from storage.store import Session, Store

FIGURE_TITLES: dict[str, str] = {
    "heatmap_gemeenten": "Scores per onderdeel en gemeente",
    "spreiding_gemeenten": "Verschillen tussen gemeenten",
    "stellingen": "Antwoorden per stelling (hele groep)",
    "stopcriteria_gemeenten": "Stopcriteria per gemeente",
    "advies_gemeenten": "Advies per gemeente",
    "heatmap_rollen": "Scores per onderdeel en rol",
}

PARTICIPANT_COLUMNS = ["participant", "municipality", "role", "role_group", "joined_at", "finished_at", "step"]
ANSWER_COLUMNS = ["participant", "item", "value", "answered_at"]
NO_SCORE = "geen score"
MAX_NAMED_GROUPS = 3  # a caption names each municipality only up to this many


@dataclass(frozen=True)
class SessionData:
    session: Session
    participants: pd.DataFrame  # participant (pseudonym), municipality, role, role_group, joined_at, finished_at, step
    answers: pd.DataFrame  # participant, item, value, answered_at (only items of the session's sections)
    sections: pd.DataFrame  # scoring.score_sections for the session's scored sections
    criteria: pd.DataFrame  # scoring.score_criteria for the session's stop sections
    advice: pd.DataFrame  # scoring.advise_participants

    @property
    def min_n(self) -> int:
        return int(self.session.min_group_size)

    @cached_property
    def active(self) -> pd.DataFrame:
        """The participants with at least one answer: the ones that count in comparisons."""
        has = set(self.answers["participant"])
        return self.participants[self.participants["participant"].isin(has)].reset_index(drop=True)

    @cached_property
    def municipalities(self) -> list[str]:
        """The session's municipalities in their fixed order, then any other present (sorted)."""
        listed = list(self.session.municipalities)
        extra = sorted(set(self.active["municipality"].dropna().astype(str)) - set(listed))
        return listed + extra

    @cached_property
    def colours(self) -> dict[str, str]:
        return municipality_colours(self.municipalities)

    def role_groups(self, q: Questionnaire) -> list[str]:
        """Role-group ids of the session's roles (and of anyone present), in content order."""
        wanted = {q.role_by_id[r].group for r in self.session.roles if r in q.role_by_id}
        wanted |= set(self.active["role_group"].dropna())
        return [g.id for g in q.settings.role_groups if g.id in wanted]

    def section_ids(self, q: Questionnaire) -> list[str]:
        return [s.id for s in q.scored_sections(self._known(q))]

    def stop_ids(self, q: Questionnaire) -> list[str]:
        return [s.id for s in q.stop_sections(self._known(q))]

    def _known(self, q: Questionnaire) -> list[str]:
        return [s for s in self.session.sections if s in q.section_by_id]


def load_session_data(store: Store, q: Questionnaire, session: Session) -> SessionData:
    """Participants, answers, scores and advice of one session, straight from the store."""
    known = [s for s in session.sections if s in q.section_by_id]
    participants = scoring.add_role_group(store.participants_frame(session.id), q)[PARTICIPANT_COLUMNS]
    answers = store.answers_frame(session_id=session.id)
    items = {i.id for s in q.sections if s.id in set(known) for i in s.items}
    answers = answers[answers["item"].isin(items)].reset_index(drop=True)[ANSWER_COLUMNS]
    long = answers[["participant", "item", "value"]]
    sections = scoring.score_sections(long, q, [s.id for s in q.scored_sections(known)])
    criteria = scoring.score_criteria(long, q, [s.id for s in q.stop_sections(known)])
    advice = scoring.advise_participants(criteria, q)
    return SessionData(
        session=session,
        participants=participants.reset_index(drop=True),
        answers=answers,
        sections=sections,
        criteria=criteria,
        advice=advice,
    )


@dataclass(frozen=True)
class Figure:
    key: str  # stable id, used in file names
    title: str  # Dutch
    caption: str  # one Dutch sentence with the main finding (or why there is none yet)
    chart: alt.TopLevelMixin
    table: pd.DataFrame  # the data behind the chart: Dutch headers, "n < {min}" for suppressed cells


# ---------------------------------------------------------------- helpers


def _join(parts: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def _round(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _count(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


COUNT_COLUMNS = {"Deelnemers", "Beantwoord door", "Deelnemers met een advies"}


def _suppress(table: pd.DataFrame, mask, columns: list[str], min_n: int) -> pd.DataFrame:
    """Round numbers to 1 decimal (counts to whole numbers) and put "n < {min}" in ``columns``
    where ``mask`` holds."""
    out = table.copy()
    mask = np.asarray(mask, dtype=bool)
    for col in columns:
        num = _count if col in COUNT_COLUMNS else _round
        values = [too_small(min_n) if m else v if isinstance(v, str) else num(v) for v, m in zip(out[col], mask, strict=True)]
        out[col] = pd.Series(values, index=out.index, dtype=object)
    return out


def _group_phrase(kind: str, plural: bool = False) -> str:
    return {"municipality": ("gemeente", "gemeenten"), "role_group": ("rol", "rollen")}[kind][plural]


def _group_name(kind: str, name: str) -> str:
    """How a single group is named in a sentence: 'Berkdal', 'de rol Raad'."""
    return str(name) if kind == "municipality" else f"de rol {name}"


def _not_enough(kind: str, min_n: int, what: str = "een score") -> str:
    return (
        f"Nog geen {_group_phrase(kind)} heeft {min_n} of meer deelnemers met {what}; "
        f"groepen kleiner dan {min_n} worden niet getoond."
    )


def _complete(agg: pd.DataFrame, by: str, order: list[str], units: list[str], unit_col: str = "section") -> pd.DataFrame:
    """``agg`` with a (suppressed) row for every group in ``order`` x unit, in that order."""
    full = pd.MultiIndex.from_product([order, units], names=[by, unit_col])
    out = agg.set_index([by, unit_col]).reindex(full).reset_index()
    out["suppressed"] = out["suppressed"].astype("boolean").fillna(True).astype(bool)
    return out


def _aggregate(data: SessionData, q: Questionnaire, by: str, order: list[str]) -> pd.DataFrame:
    sec_ids = data.section_ids(q)
    agg = scoring.aggregate_sections(data.sections, data.active, [by], data.min_n, q)
    return _complete(agg, by, order, sec_ids)


def _gap_caption(agg: pd.DataFrame, by: str, q: Questionnaire, min_n: int, label) -> str:
    """The largest difference between groups (first in content order on a tie)."""
    title_of = {s.id: s.title for s in q.sections}
    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    groups = list(dict.fromkeys(shown[by]))
    if not groups:
        return _not_enough(by, min_n)
    if len(groups) == 1:
        one = shown[shown[by] == groups[0]]
        hi = one.loc[one["mean"].idxmax()]
        lo = one.loc[one["mean"].idxmin()]
        start = (
            f"Alleen {_group_name(by, label(groups[0]))} heeft {min_n} of meer deelnemers, "
            f"dus vergelijken tussen {_group_phrase(by, plural=True)} kan nog niet"
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
        return f"De {_group_phrase(by, plural=True)} geven elk onderdeel dezelfde gemiddelde score; er is geen verschil."
    return (
        f"Grootste verschil bij {title_of[top['section']]}: {label(top['high_group'])} {fmt_number(top['high_mean'])} "
        f"tegenover {label(top['low_group'])} {fmt_number(top['low_mean'])}."
    )


# ---------------------------------------------------------------- the figures


def _heatmap_figure(data: SessionData, q: Questionnaire, by: str, size: str) -> Figure:
    key = "heatmap_gemeenten" if by == "municipality" else "heatmap_rollen"
    title = FIGURE_TITLES[key]
    min_n = data.min_n
    if by == "municipality":
        order = data.municipalities
        label = str
        head = "Gemeente"
    else:
        order = data.role_groups(q)
        label = lambda g: q.role_group_label.get(g, str(g))  # noqa: E731
        head = "Rol"
    sec_ids = data.section_ids(q)
    if not sec_ids:
        msg = "Deze sessie heeft geen onderdelen met een score."
        return Figure(
            key,
            title,
            msg,
            compare.empty_chart(msg, title=title, size=size),
            pd.DataFrame(columns=["Onderdeel", head, "Deelnemers", "Gemiddelde", "Band"]),
        )
    agg = _aggregate(data, q, by, order)
    shown_agg = agg.assign(**{by: agg[by].map(label)})
    chart = compare.heatmap(shown_agg, by, [label(g) for g in order], q, min_n, size, title=title, group_title=None)
    caption = _gap_caption(agg, by, q, min_n, label)
    band_label = {b.id: b.label for b in q.scoring.bands}
    title_of = {s.id: s.title for s in q.sections}
    table = pd.DataFrame(
        {
            "Onderdeel": agg["section"].map(title_of),
            head: agg[by].map(label),
            "Deelnemers": agg["n"],
            "Gemiddelde": agg["mean"],
            "Band": agg["band"].map(band_label),
        }
    )
    table = _suppress(table, agg["suppressed"], ["Deelnemers", "Gemiddelde", "Band"], min_n)
    return Figure(key, title, caption, chart, table.reset_index(drop=True))


def _spread_figure(data: SessionData, q: Questionnaire, size: str) -> Figure:
    key, title, min_n = "spreiding_gemeenten", FIGURE_TITLES["spreiding_gemeenten"], data.min_n
    columns = ["Onderdeel", "Gemeente", "Deelnemers", "Gemiddelde", "Spreiding (sd)", "Gespreksonderwerp"]
    sec_ids = data.section_ids(q)
    if not sec_ids:
        msg = "Deze sessie heeft geen onderdelen met een score."
        return Figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    agg = _aggregate(data, q, "municipality", data.municipalities)
    gaps = scoring.section_gaps(agg[["municipality", "section", "mean", "suppressed"]], "municipality", q)
    chart = compare.spread(agg, gaps, data.colours, q, size, title=title, min_n=min_n)
    title_of = {s.id: s.title for s in q.sections}
    topic_of = dict(zip(gaps["section"], gaps["topic"], strict=True))

    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    limit = fmt_number(q.scoring.conversation_gap)
    if shown["municipality"].nunique() < 2:
        caption = _gap_caption(agg, "municipality", q, min_n, str)
    else:
        topics = gaps[gaps["topic"]].sort_values("gap", ascending=False, kind="stable")
        if len(topics):
            names = [f"{title_of[r.section]} ({fmt_number(r.gap)})" for r in topics.itertuples()]
            word = "onderwerp" if len(names) == 1 else "onderwerpen"
            caption = (
                f"{len(names)} {word} voor het gesprek (verschil tussen gemeenten van {limit} punt of meer): {_join(names)}."
            )
        else:
            top = gaps.loc[gaps["gap"].idxmax()]
            caption = (
                f"Geen onderdeel met een verschil van {limit} punt of meer tussen gemeenten; "
                f"het grootste verschil is {fmt_number(top['gap'])} bij {title_of[top['section']]}."
            )
    table = pd.DataFrame(
        {
            "Onderdeel": agg["section"].map(title_of),
            "Gemeente": agg["municipality"],
            "Deelnemers": agg["n"],
            "Gemiddelde": agg["mean"],
            "Spreiding (sd)": agg["std"],
            # A property of the section (the gap between the highest and lowest municipality).
            "Gespreksonderwerp": agg["section"].map(lambda s: ("ja" if topic_of[s] else "nee") if s in topic_of else "–"),
        }
    )
    table = _suppress(table, agg["suppressed"], ["Deelnemers", "Gemiddelde", "Spreiding (sd)"], min_n)
    return Figure(key, title, caption, chart, table.reset_index(drop=True))


def _likert_figure(data: SessionData, q: Questionnaire, size: str) -> Figure:
    key, title, min_n = "stellingen", FIGURE_TITLES["stellingen"], data.min_n
    options = [o.label for o in q.scale.options]
    dk = q.scale.dont_know
    pct_cols = [f"{label} (%)" for label in options] + [f"{dk.label} (%)"]
    columns = ["Onderdeel", "Stelling", "Beantwoord door", *pct_cols]
    sec_ids = data.section_ids(q)
    items = [i.id for s in q.sections if s.id in set(sec_ids) for i in s.items]
    if not items:
        msg = "Deze sessie heeft geen onderdelen met stellingen om te tonen."
        return Figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    long = data.answers[["participant", "item", "value"]]
    shares = scoring.option_shares(long, None, q, [], min_n)
    shares = shares[shares["item"].isin(items)].reset_index(drop=True)
    chart = compare.likert(shares, q, size, title=title, min_n=min_n)

    section_title = {i.id: s.title for s in q.sections for i in s.items}
    wide = shares.pivot_table(index="item", columns="option", values="share", dropna=False, sort=False)
    n = shares.groupby("item", sort=False)["n"].first()
    sup = shares.groupby("item", sort=False)["suppressed"].any()
    codes = list(q.scale.values) + [dk.code]
    table = pd.DataFrame(
        {
            "Onderdeel": [section_title[i] for i in items],
            "Stelling": [q.item_by_id[i].text for i in items],
            "Beantwoord door": n.reindex(items).to_numpy(),
        }
    )
    for code, col in zip(codes, pct_cols, strict=True):
        table[col] = (wide.reindex(items)[code] * 100).to_numpy() if code in wide.columns else np.nan
    mask = sup.reindex(items).fillna(True).to_numpy(dtype=bool)
    table = _suppress(table, mask, ["Beantwoord door", *pct_cols], min_n)

    caption = _likert_caption(wide.reindex(items)[~mask], q, min_n)
    return Figure(key, title, caption, chart, table.reset_index(drop=True))


def _likert_caption(shares: pd.DataFrame, q: Questionnaire, min_n: int) -> str:
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
        return f"‘{compare.short_text(q.item_by_id[item].text, 55)}’ ({share * 100:.0f}% {'eens' if agreeing else 'oneens'})"

    best, worst = positive.idxmax(), negative.idxmax()
    text = f"Meest positief: {part(best, positive[best], not reverse[best])}"
    if worst != best and negative[worst] > 0:
        text += f"; meest kritisch: {part(worst, negative[worst], bool(reverse[worst]))}"
    return text + "."


def _stop_figure(data: SessionData, q: Questionnaire, size: str) -> Figure:
    key, title, min_n = "stopcriteria_gemeenten", FIGURE_TITLES["stopcriteria_gemeenten"], data.min_n
    columns = ["Onderdeel", "Criterium", "Gemeente", "Deelnemers", "Gemiddelde", "Signaal"]
    stop_ids = data.stop_ids(q)
    if not stop_ids:
        msg = "Deze sessie bevat geen stopcriteria."
        return Figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    crit_ids = [c.id for s in q.stop_sections(stop_ids) for c in s.criteria]
    agg = scoring.aggregate_criteria(data.criteria, data.active, ["municipality"], min_n, q)
    section_of = {c.id: s.id for s in q.sections for c in s.criteria}
    agg = _complete(agg.drop(columns="section"), "municipality", data.municipalities, crit_ids, "criterion")
    agg["section"] = agg["criterion"].map(section_of)
    chart = compare.stop_lights(agg, data.colours, q, min_n, size, title=title)

    crit_title = {c.id: c.title for c in q.criteria}
    signal_label = {s.id: s.label for s in q.scoring.signals}
    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    red = q.scoring.signals[0].id
    if shown.empty:
        caption = _not_enough("municipality", min_n, "een score voor de stopcriteria")
    else:
        top = shown.loc[shown["mean"].idxmax()]
        strongest = (
            f"{crit_title[top['criterion']]} in {top['municipality']} "
            f"({fmt_number(top['mean'])}, {signal_label[top['signal']].lower()})"
        )
        n_red = shown.loc[shown["signal"] == red, "criterion"].nunique()
        if n_red:
            caption = (
                f"{n_red} van de {len(crit_ids)} stopcriteria staan bij minstens één gemeente op "
                f"{signal_label[red].lower()}; het sterkste signaal: {strongest}."
            )
        else:
            caption = (
                f"Geen stopcriterium staat bij een gemeente op {signal_label[red].lower()}; het sterkste signaal: {strongest}."
            )
    table = pd.DataFrame(
        {
            "Onderdeel": agg["section"].map({s.id: s.title for s in q.sections}),
            "Criterium": agg["criterion"].map(crit_title),
            "Gemeente": agg["municipality"],
            "Deelnemers": agg["n"],
            "Gemiddelde": agg["mean"],
            "Signaal": agg["signal"].map(signal_label),
        }
    )
    table = _suppress(table, agg["suppressed"], ["Deelnemers", "Gemiddelde", "Signaal"], min_n)
    return Figure(key, title, caption, chart, table.reset_index(drop=True))


def _advice_figure(data: SessionData, q: Questionnaire, size: str) -> Figure:
    key, title, min_n = "advies_gemeenten", FIGURE_TITLES["advies_gemeenten"], data.min_n
    advices = q.settings.advices
    columns = ["Gemeente", "Deelnemers met een advies", *[f"{a.label} (%)" for a in advices]]
    if not data.stop_ids(q):
        msg = "Deze sessie bevat geen stopcriteria, dus er is geen advies."
        return Figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    dist = scoring.advice_distribution(data.advice, data.active, ["municipality"], min_n, q)
    dist = _complete(dist, "municipality", data.municipalities, [a.id for a in advices], "advice")
    chart = compare.advice_spread(dist, data.colours, q, size, title=title, min_n=min_n)

    label = {a.id: a.label for a in advices}
    rows, parts, top = [], [], {}
    for m in data.municipalities:
        part = dist[dist["municipality"] == m].set_index("advice")
        sup = bool(part["suppressed"].any()) or part["n"].isna().all()
        row = {"Gemeente": m, "Deelnemers met een advies": too_small(min_n) if sup else _count(part["n"].dropna().iloc[0])}
        for a in advices:
            row[f"{a.label} (%)"] = too_small(min_n) if sup else _round(part.loc[a.id, "share"] * 100)
        rows.append(row)
        if not sup:
            n = int(part["n"].dropna().iloc[0])
            best = part["count"].max()
            winners = [label[a] for a in part.index[part["count"] == best]]
            parts.append(f"{m} {'/'.join(winners)} ({int(best)} van {n})")
            if len(winners) == 1:
                top[m] = winners[0]
    table = pd.DataFrame(rows, columns=columns)
    if parts and len(parts) <= MAX_NAMED_GROUPS:
        caption = f"Meest voorkomend advies: {_join(parts)}."
    elif parts:
        # Many municipalities: the advice that is most often the clear winner, and where.
        counts = {a.label: [m for m, w in top.items() if w == a.label] for a in advices}
        winner = max(counts, key=lambda a: len(counts[a]))  # first in content order on a tie
        if counts[winner]:
            caption = (
                f"In {len(counts[winner])} van de {len(parts)} gemeenten komt {winner} het meest voor: {_join(counts[winner])}."
            )
        else:
            caption = "De adviezen lopen per gemeente uiteen; in geen enkele gemeente komt één advies duidelijk het meest voor."
    else:
        caption = _not_enough("municipality", min_n, "een advies")
    return Figure(key, title, caption, chart, table)


def comparison_figures(data: SessionData, q: Questionnaire, *, size: str = "projector") -> list[Figure]:
    """The six dashboard figures, always in the order of ``FIGURE_TITLES``."""
    return [
        _heatmap_figure(data, q, "municipality", size),
        _spread_figure(data, q, size),
        _likert_figure(data, q, size),
        _stop_figure(data, q, size),
        _advice_figure(data, q, size),
        _heatmap_figure(data, q, "role_group", size),
    ]


# ---------------------------------------------------------------- the participant's comparison


def participant_comparison(data: SessionData, q: Questionnaire, pseudonym: str) -> pd.DataFrame:
    """Per scored section: the participant's own score, their municipality and the whole group.

    Columns Onderdeel, Uw score, Uw gemeente, Hele groep; numbers as Dutch text ("4,2"), a
    group below the anonymity minimum as "n < {min}", a missing own score as "geen score".
    """
    min_n = data.min_n
    sec_ids = data.section_ids(q)
    columns = ["Onderdeel", "Uw score", "Uw gemeente", "Hele groep"]
    if not sec_ids:
        return pd.DataFrame(columns=columns)
    own = data.sections[data.sections["participant"] == pseudonym].set_index("section")["score"]
    me = data.participants[data.participants["participant"] == pseudonym]
    municipality = me["municipality"].iloc[0] if len(me) else None

    by_m = scoring.aggregate_sections(data.sections, data.active, ["municipality"], min_n)
    by_m = by_m[by_m["municipality"] == municipality].set_index("section")
    whole = scoring.aggregate_sections(data.sections, None, [], min_n).set_index("section") if len(data.sections) else None

    def cell(frame, section) -> str:
        if frame is None or section not in frame.index or bool(frame.loc[section, "suppressed"]):
            return too_small(min_n)
        value = frame.loc[section, "mean"]
        return fmt_number(value) if pd.notna(value) else too_small(min_n)

    rows = []
    for s in q.scored_sections(sec_ids):
        score = own.get(s.id, np.nan)
        rows.append(
            {
                "Onderdeel": s.title,
                "Uw score": fmt_number(score) if pd.notna(score) else NO_SCORE,
                "Uw gemeente": cell(by_m, s.id),
                "Hele groep": cell(whole, s.id),
            }
        )
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- statements per section (presenter slides)


def section_likert_figure(data: SessionData, q: Questionnaire, section_id: str, *, size: str = "projector") -> Figure:
    """The statements figure for one section only (key ``stellingen-<section id>``): all statements
    of a session in one chart are too tall for one projector slide. Same data and rules as
    ``comparison_figures``' statements figure, restricted to the section's statements."""
    import dataclasses

    section = q.section_by_id[section_id]
    one = dataclasses.replace(data, session=dataclasses.replace(data.session, sections=(section_id,)))
    fig = _likert_figure(one, q, size)
    title = f"Antwoorden per stelling: {section.title}"
    chart = fig.chart
    if isinstance(chart.title, alt.TitleParams):
        heading = chart.title.copy()
        heading.text = title
        chart = chart.properties(title=heading)
    return Figure(f"stellingen-{section_id}", title, fig.caption, chart, fig.table)


def spread_figure_for(data: SessionData, q: Questionnaire, section_ids: list[str], *, size: str = "projector") -> Figure:
    """The differences figure for some sections only (a slide shows a tall one in two columns)."""
    import dataclasses

    some = dataclasses.replace(data, session=dataclasses.replace(data.session, sections=tuple(section_ids)))
    return _spread_figure(some, q, size)
