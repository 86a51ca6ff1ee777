"""The live workshop: the data of one session and the comparison figures for the dashboard.

``load_session_data`` reads a session's participants and answers from the store and scores
them; ``comparison_figures`` turns that into the dashboard figures (chart + one-sentence finding
+ the table behind the chart); ``participant_comparison`` is the small table a participant sees
after the reveal. No Streamlit here.

Privacy: every published view (figures, the participant's comparison, the shareable exports) is
computed from ``SessionData.public``, the data after complementary suppression
(``scoring.disclosure``): a participant in a group below the session's minimum counts in no
published number, so no small group can be recovered by subtraction. A group below the minimum is
shown as "te weinig deelnemers" (a count as "minder dan {min}") and never with a number, in charts,
tables and captions alike. The captions come from ``findings``. Only participants with at least one
answer count in the comparisons. ``publishable_attendance`` gives the room's attendance counts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import altair as alt
import numpy as np
import pandas as pd

import findings
import scoring
from charts import compare
from charts.style import TOO_FEW_SHORT, fmt_number, municipality_colours, spec_of, too_small
from exports import images
from questionnaire.loader import Questionnaire
from scoring import disclosure
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


@dataclass(frozen=True)
class SessionData:
    session: Session
    participants: pd.DataFrame  # participant (pseudonym), municipality, role, role_group, joined_at, finished_at, step
    answers: pd.DataFrame  # participant, item, value, answered_at (only items of the session's sections)
    sections: pd.DataFrame  # scoring.score_sections for the session's scored sections
    criteria: pd.DataFrame  # scoring.score_criteria for the session's stop sections
    advice: pd.DataFrame  # scoring.advise_participants
    merged_roles: frozenset = frozenset()  # role groups taken together in the published view (disclosure)
    required_kind: str | None = None  # legally required cooperation (a content required_kinds id), None if not
    open_answers: pd.DataFrame | None = None  # Store.open_answers_frame (with the moderation status), if loaded
    open_questions: tuple[str, ...] = ()  # the session's open questions, by position

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
        known = [g.id for g in q.settings.role_groups if g.id in wanted and g.id not in self.merged_roles]
        return known + sorted(wanted - {g.id for g in q.settings.role_groups})  # + 'Rollen samengenomen'


    def section_ids(self, q: Questionnaire) -> list[str]:
        return [s.id for s in q.scored_sections(self._known(q))]

    def stop_ids(self, q: Questionnaire) -> list[str]:
        return [s.id for s in q.stop_sections(self._known(q))]

    def _known(self, q: Questionnaire) -> list[str]:
        return [s for s in self.session.sections if s in q.section_by_id]

    @cached_property
    def n_counted(self) -> int:
        """Participants in at least one number of this view (in ``public``: those who count)."""
        frames = (self.answers, self.sections, self.criteria)
        return len(set().union(*(set(f["participant"]) for f in frames)))

    @cached_property
    def shown_municipalities(self) -> set[str]:
        """Municipalities that have numbers in the published view: the ones that may be named beside
        an open answer (``services.open_answers.shareable_frame``)."""
        public = self.public
        counted = set(public.sections["participant"]) | set(public.criteria["participant"]) | set(public.answers["participant"])
        return set(public.active.loc[public.active["participant"].isin(counted), "municipality"])

    @cached_property
    def public(self) -> SessionData:
        """The session as the room and the raad may see it (``scoring.disclosure``): the same people
        and groups, but only the scores, answers and advice that may count in published numbers.
        Everything shown on the projector, on a participant's comparison screen or in a shareable
        export is computed from this view."""
        per_municipality = self.active.groupby("municipality")["participant"].transform("size")
        active, merged = disclosure.merge_small_groups(
            self.active, "role_group", self.min_n, among=per_municipality >= self.min_n
        )
        frames = disclosure.publishable(
            active,
            {
                "sections": (self.sections, "section", "score"),
                "criteria": (self.criteria, "criterion", "score"),
                "answers": (self.answers, "item", None),
                "advice": (self.advice, "_unit", "advice"),
            },
            self.min_n,
        )
        participants = self.participants.copy()
        recoded = dict(zip(active["participant"], active["role_group"], strict=True))
        participants["role_group"] = [recoded.get(p, g) for p, g in zip(participants["participant"], participants["role_group"], strict=True)]
        out = dataclasses.replace(self, participants=participants, merged_roles=merged, **frames)
        out.__dict__["active"] = active  # who took part does not change, only what counts
        out.__dict__["public"] = out
        return out


def load_session_data(store: Store, q: Questionnaire, session: Session) -> SessionData:
    """Participants, answers, scores and advice of one session, straight from the store."""
    from services import open_answers  # the questions asked (the session's own or the default)

    data = session_data(
        session,
        store.participants_frame(session.id),
        store.answers_frame(session_id=session.id),
        q,
        required_kind=store.session_required(session.id),
    )
    return dataclasses.replace(
        data, open_answers=store.open_answers_frame(session.id), open_questions=tuple(open_answers.questions(store, q, session))
    )


def session_data(
    session: Session, participants: pd.DataFrame, answers: pd.DataFrame, q: Questionnaire, *, required_kind: str | None = None
) -> SessionData:
    """Score a session from its frames (``Store.participants_frame`` and ``Store.answers_frame``)."""
    known = [s for s in session.sections if s in q.section_by_id]
    participants = scoring.add_role_group(participants, q)[PARTICIPANT_COLUMNS]
    required = required_kind is not None
    items = {i.id for s in q.sections if s.id in set(known) for i in q.asked_items(s, required)}
    answers = answers[answers["item"].isin(items)].reset_index(drop=True)[ANSWER_COLUMNS]
    long = answers[["participant", "item", "value"]]
    sections = scoring.score_sections(long, q, [s.id for s in q.scored_sections(known)], required=required)
    criteria = scoring.score_criteria(long, q, [s.id for s in q.stop_sections(known)], required=required)
    advice = scoring.advise_participants(criteria, q, required=required)
    return SessionData(
        required_kind=required_kind,
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
    caption: str  # one Dutch sentence with the main finding (or why there is none yet), from ``findings``
    chart: alt.TopLevelMixin
    table: pd.DataFrame  # the data behind the chart as shown: Dutch headers, numbers as Dutch text ("4,2")
    numbers: pd.DataFrame | None = None  # the same table with numbers as numbers (None: like ``table``)

    def spec(self) -> dict:
        """The chart's Vega-Lite spec; safe from any thread (see ``charts.style.spec_of``)."""
        return spec_of(self.chart)


# ---------------------------------------------------------------- helpers


def _round(value) -> float | None:
    """One decimal by the one rounding rule of ``fmt_number`` (half up), so the table and the chart agree."""
    return None if value is None or pd.isna(value) else float(fmt_number(value).replace(",", "."))


def _count(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


COUNT_COLUMNS = {"Deelnemers", "Beantwoord door", "Deelnemers met een advies"}


def _suppress(table: pd.DataFrame, mask, columns: list[str], min_n: int) -> pd.DataFrame:
    """Round numbers to 1 decimal (counts to whole numbers) and mark ``columns`` where ``mask``
    holds: a count says "minder dan {min}", any other value "te weinig deelnemers"."""
    out = table.copy()
    mask = np.asarray(mask, dtype=bool)
    for col in columns:
        counts = col in COUNT_COLUMNS
        num = _count if counts else _round
        hidden = too_small(min_n) if counts else TOO_FEW_SHORT
        values = [hidden if m else v if isinstance(v, str) else num(v) for v, m in zip(out[col], mask, strict=True)]
        out[col] = pd.Series(values, index=out.index, dtype=object)
    return out


def dutch_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as it is shown under a chart: every number as Dutch text with ``fmt_number``
    (one decimal, decimal comma; counts as whole numbers), missing values empty."""
    out = table.copy()
    for col in out.columns:
        counts = col in COUNT_COLUMNS

        def cell(v, counts=counts):
            if isinstance(v, bool) or isinstance(v, str):
                return v
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                return ""
            if isinstance(v, (int, float, np.integer, np.floating)):
                return str(int(v)) if counts else fmt_number(v)
            return v

        out[col] = pd.Series([cell(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _figure(key: str, title: str, caption: str, chart, table: pd.DataFrame) -> Figure:
    table = table.reset_index(drop=True)
    return Figure(key, title, caption, chart, dutch_table(table), table)


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


# ---------------------------------------------------------------- the figures


def _heatmap_figure(data: SessionData, q: Questionnaire, by: str, size: str, height: int | None = None) -> Figure:
    data = data.public  # every figure from the published view (complementary suppression)
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
        columns = ["Onderdeel", head, "Deelnemers", "Gemiddelde", "Band"]
        return _figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    agg = _aggregate(data, q, by, order)
    shown_agg = agg.assign(**{by: agg[by].map(label)})
    chart = compare.heatmap(
        shown_agg, by, [label(g) for g in order], q, min_n, size, title=title, group_title=None, height=height
    )
    caption = findings.gap_sentence(agg, by, q, min_n, label)
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
    return _figure(key, title, caption, chart, table)


def _spread_figure(data: SessionData, q: Questionnaire, size: str, height: int | None = None) -> Figure:
    data = data.public  # every figure from the published view (complementary suppression)
    key, title, min_n = "spreiding_gemeenten", FIGURE_TITLES["spreiding_gemeenten"], data.min_n
    columns = ["Onderdeel", "Gemeente", "Deelnemers", "Gemiddelde", "Spreiding (sd)", "Gespreksonderwerp"]
    sec_ids = data.section_ids(q)
    if not sec_ids:
        msg = "Deze sessie heeft geen onderdelen met een score."
        return _figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    agg = _aggregate(data, q, "municipality", data.municipalities)
    gaps = scoring.section_gaps(agg[["municipality", "section", "mean", "suppressed"]], "municipality", q)
    chart = compare.spread(agg, gaps, data.colours, q, size, title=title, min_n=min_n, height=height)
    title_of = {s.id: s.title for s in q.sections}
    topic_of = dict(zip(gaps["section"], gaps["topic"], strict=True))
    caption = findings.spread_sentence(agg, gaps, q, min_n)
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
    return _figure(key, title, caption, chart, table)


def _likert_figure(
    data: SessionData,
    q: Questionnaire,
    size: str,
    *,
    sections: list[str] | None = None,
    key: str = "stellingen",
    title: str | None = None,
    height: int | None = None,
    width: int | None = None,
    item_ids: list[str] | None = None,
) -> Figure:
    data = data.public  # every figure from the published view (complementary suppression)
    title, min_n = title or FIGURE_TITLES["stellingen"], data.min_n
    options = [o.label for o in q.scale.options]
    dk = q.scale.dont_know
    pct_cols = [f"{label} (%)" for label in options] + [f"{dk.label} (%)"]
    columns = ["Onderdeel", "Stelling", "Beantwoord door", *pct_cols]
    sec_ids = sections if sections is not None else data.section_ids(q)
    items = [i.id for s in q.sections if s.id in set(sec_ids) for i in s.items]
    if item_ids is not None:
        items = [i for i in items if i in set(item_ids)]
    if not items:
        msg = "Deze sessie heeft geen onderdelen met stellingen om te tonen."
        return _figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    long = data.answers[["participant", "item", "value"]]
    shares = scoring.option_shares(long, None, q, [], min_n)
    shares = shares[shares["item"].isin(items)].reset_index(drop=True)
    chart = compare.likert(
        shares, q, size, title=title, min_n=min_n, height=height, section_heads=sections is None or len(sec_ids) > 1
    )

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

    caption = findings.statements_sentence(wide.reindex(items)[~mask], q, min_n)
    return _figure(key, title, caption, chart, table)


def _stop_figure(data: SessionData, q: Questionnaire, size: str, height: int | None = None) -> Figure:
    data = data.public  # every figure from the published view (complementary suppression)
    key, title, min_n = "stopcriteria_gemeenten", FIGURE_TITLES["stopcriteria_gemeenten"], data.min_n
    columns = ["Onderdeel", "Criterium", "Gemeente", "Deelnemers", "Gemiddelde", "Signaal"]
    stop_ids = data.stop_ids(q)
    if not stop_ids:
        msg = "Deze sessie bevat geen stopcriteria."
        return _figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    crit_ids = [c.id for s in q.stop_sections(stop_ids) for c in s.criteria]
    agg = scoring.aggregate_criteria(data.criteria, data.active, ["municipality"], min_n, q)
    section_of = {c.id: s.id for s in q.sections for c in s.criteria}
    agg = _complete(agg.drop(columns="section"), "municipality", data.municipalities, crit_ids, "criterion")
    agg["section"] = agg["criterion"].map(section_of)
    chart = compare.stop_lights(agg, data.colours, q, min_n, size, title=title, height=height)
    caption = findings.stop_sentence(agg, q, min_n, len(crit_ids))
    crit_title = {c.id: c.title for c in q.criteria}
    signal_label = {s.id: s.label for s in q.scoring.signals}
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
    return _figure(key, title, caption, chart, table)


def _advice_figure(data: SessionData, q: Questionnaire, size: str, height: int | None = None) -> Figure:
    data = data.public  # every figure from the published view (complementary suppression)
    key, title, min_n = "advies_gemeenten", FIGURE_TITLES["advies_gemeenten"], data.min_n
    possible = set(scoring.advice.possible_advices(q, data.required_kind is not None))
    advices = [a for a in q.settings.advices if a.id in possible]  # only what this cooperation can get
    columns = ["Gemeente", "Deelnemers met een advies", *[f"{a.label} (%)" for a in advices]]
    if not data.stop_ids(q):
        msg = "Deze sessie bevat geen stopcriteria, dus er is geen advies."
        return _figure(key, title, msg, compare.empty_chart(msg, title=title, size=size), pd.DataFrame(columns=columns))
    dist = scoring.advice_distribution(data.advice, data.active, ["municipality"], min_n, q)
    dist = _complete(dist, "municipality", data.municipalities, [a.id for a in advices], "advice")
    chart = compare.advice_spread(
        dist, data.colours, q, size, title=title, min_n=min_n, height=height, advice_ids=[a.id for a in advices]
    )
    rows = []
    for m in data.municipalities:
        part = dist[dist["municipality"] == m].set_index("advice")
        sup = bool(part["suppressed"].any()) or part["n"].isna().all()
        row = {"Gemeente": m, "Deelnemers met een advies": too_small(min_n) if sup else _count(part["n"].dropna().iloc[0])}
        for a in advices:
            row[f"{a.label} (%)"] = TOO_FEW_SHORT if sup else _round(part.loc[a.id, "share"] * 100)
        rows.append(row)
    caption = findings.advice_sentence(dist, data.municipalities, q, min_n)
    return _figure(key, title, caption, chart, pd.DataFrame(rows, columns=columns))


def comparison_figures(data: SessionData, q: Questionnaire, *, size: str = "projector") -> list[Figure]:
    """The six dashboard figures, always in the order of ``FIGURE_TITLES``, from the published view
    of the data (complementary suppression, see ``scoring.disclosure``)."""
    data = data.public
    return [
        _heatmap_figure(data, q, "municipality", size),
        _spread_figure(data, q, size),
        _likert_figure(data, q, size),
        _stop_figure(data, q, size),
        _advice_figure(data, q, size),
        _heatmap_figure(data, q, "role_group", size),
    ]


# At 28 px a statement of up to ~90 characters takes three lines: four of them (with title, finding and
# legend) fill a 1080 px slide. A section with more statements gets more than one slide.
STATEMENTS_PER_SLIDE = 4


def statement_parts(q: Questionnaire, section_id: str) -> list[tuple[str, str, list[str]]]:
    """(key, title, item ids) per slide of one section's statements: ``stellingen_<section>`` and, for
    the second part on, ``stellingen_<section>-<k>`` (a section id never contains '-')."""
    section = q.section_by_id[section_id]
    ids = [i.id for i in section.items]
    chunks = [ids[k : k + STATEMENTS_PER_SLIDE] for k in range(0, len(ids), STATEMENTS_PER_SLIDE)]
    # Even parts read better than 4 + 1: 5 statements become 3 + 2, 9 become 3 + 3 + 3.
    if len(chunks) > 1:
        per = -(-len(ids) // len(chunks))
        chunks = [ids[k : k + per] for k in range(0, len(ids), per)]
    out = []
    for k, chunk in enumerate(chunks, start=1):
        key = f"stellingen_{section_id}" + (f"-{k}" if k > 1 else "")
        title = f"Stellingen: {section.title}" + (f" ({k} van {len(chunks)})" if len(chunks) > 1 else "")
        out.append((key, title, chunk))
    return out


def statement_figures(data: SessionData, q: Questionnaire, *, size: str = "projector", height: int | None = None) -> list[Figure]:
    """The statements chart per scored section, in parts of at most STATEMENTS_PER_SLIDE statements
    (keys from ``statement_parts``): on a projector all statements of a session do not fit one slide
    at a legible size, four of one section do."""
    data = data.public  # complementary suppression (scoring.disclosure)
    return [
        _likert_figure(data, q, size, sections=[s.id], key=key, title=title, height=height, item_ids=ids)
        for s in q.scored_sections(data.section_ids(q))
        for key, title, ids in statement_parts(q, s.id)
    ]


def section_statements_figure(
    data: SessionData, q: Questionnaire, section_id: str, *, size: str = "normal", width: int | None = None
) -> Figure:
    """All statements of one section in one chart (a report page; a slide takes them in parts)."""
    data = data.public  # every figure from the published view (complementary suppression)
    title = f"Stellingen: {q.section_by_id[section_id].title}"
    return _likert_figure(data, q, size, sections=[section_id], key=f"stellingen_{section_id}", title=title, width=width)


def figure(
    data: SessionData, q: Questionnaire, key: str, *, size: str = "projector", height: int | None = None, width: int | None = None
) -> Figure:
    """One figure by key: a key of ``FIGURE_TITLES`` or ``stellingen_<section id>``. ``height`` is the
    plot height in pixels (title, legend and axes come on top), for fitting a slide; ``width`` the
    width of the statements' bars (the other figures take the width of their container)."""
    data = data.public  # complementary suppression (scoring.disclosure)
    builders = {
        "heatmap_gemeenten": lambda: _heatmap_figure(data, q, "municipality", size, height),
        "spreiding_gemeenten": lambda: _spread_figure(data, q, size, height),
        "stellingen": lambda: _likert_figure(data, q, size, height=height, width=width),
        "stopcriteria_gemeenten": lambda: _stop_figure(data, q, size, height),
        "advies_gemeenten": lambda: _advice_figure(data, q, size, height),
        "heatmap_rollen": lambda: _heatmap_figure(data, q, "role_group", size, height),
    }
    if key in builders:
        return builders[key]()
    section = key.removeprefix("stellingen_").split("-", 1)[0]
    if key.startswith("stellingen_") and section in data.section_ids(q):
        for part_key, title, ids in statement_parts(q, section):
            if part_key == key:
                return _likert_figure(data, q, size, sections=[section], key=key, title=title, height=height, width=width, item_ids=ids)
    raise KeyError(f"onbekende figuur: {key!r}")


def figure_image(data: SessionData, q: Questionnaire, key: str, fmt: str = "png", *, size: str = "normal") -> bytes:
    """The figure ``key`` as an image file for a raadsvoorstel: PNG or SVG (UTF-8), with the finding,
    the cooperation's name, the date and time (Dutch) and the number of participants in it."""
    data = data.public  # the count on the image: the participants who count (never the exact total)
    fig = figure(data, q, key, size=size)
    if fmt == "svg":
        return images.chart_svg(fig, data=data).encode("utf-8")
    if fmt == "png":
        return images.chart_png(fig, data=data)
    raise ValueError(f"onbekend beeldformaat: {fmt!r}")


# ---------------------------------------------------------------- the participant's comparison


def participant_comparison(data: SessionData, q: Questionnaire, pseudonym: str) -> pd.DataFrame:
    """Per scored section: the participant's own score, their municipality and the whole group.

    Columns Onderdeel, Uw score, Uw gemeente, Hele groep; numbers as Dutch text ("4,2"), a
    group below the anonymity minimum as "te weinig deelnemers", a missing own score as "geen score".
    """
    min_n = data.min_n
    sec_ids = data.section_ids(q)
    columns = ["Onderdeel", "Uw score", "Uw gemeente", "Hele groep"]
    if not sec_ids:
        return pd.DataFrame(columns=columns)
    own = data.sections[data.sections["participant"] == pseudonym].set_index("section")["score"]
    data = data.public  # the groups as published (complementary suppression); the own score as it is
    me = data.participants[data.participants["participant"] == pseudonym]
    municipality = me["municipality"].iloc[0] if len(me) else None

    by_m = scoring.aggregate_sections(data.sections, data.active, ["municipality"], min_n)
    by_m = by_m[by_m["municipality"] == municipality].set_index("section")
    whole = scoring.aggregate_sections(data.sections, None, [], min_n).set_index("section") if len(data.sections) else None

    def cell(frame, section) -> str:
        if frame is None or section not in frame.index or bool(frame.loc[section, "suppressed"]):
            return TOO_FEW_SHORT
        value = frame.loc[section, "mean"]
        return fmt_number(value) if pd.notna(value) else TOO_FEW_SHORT

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


# ---------------------------------------------------------------- attendance for the room


@dataclass(frozen=True)
class Attendance:
    rows: pd.DataFrame  # municipality, joined, finished: a number, or "minder dan N" below the minimum
    total_joined: int  # the sum of the shown counts only (a hidden count cannot be found by subtraction)
    total_finished: int
    note: str  # a Dutch sentence when some count is hidden, else ""


def publishable_attendance(store: Store, session: Session) -> Attendance:
    """Joined and finished per municipality as the room may see them: counts from 1 to the session's
    minimum minus one are written 'minder dan N', and the totals add up the shown counts only.
    The Begeleidersscherm may show ``store.session_counts`` (exact) instead."""
    counts = store.session_counts(session.id)
    min_n = int(session.min_group_size)
    table, hidden = disclosure.publishable_counts(counts, "municipality", ["joined", "finished"], min_n, "Totaal")
    rows = table.iloc[:-1].reset_index(drop=True)
    total = table.iloc[-1]
    note = f"Aantallen onder de {min_n} staan er als ‘{disclosure.fewer_than(min_n)}’; het totaal telt alleen de getoonde aantallen." if hidden else ""
    return Attendance(rows, int(total["joined"]), int(total["finished"]), note)


# ---------------------------------------------------------------- the top three for the conversation


def conversation_topics(data: SessionData, q: Questionnaire, n: int = 3) -> list[scoring.Topic]:
    """The session's top three, from the published view (``findings.session_topics``: one source for
    the last slide, the report and the raad's XLSX)."""
    return findings.session_topics(data, q, n)
