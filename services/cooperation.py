"""A cooperation and its rounds: set up the first or the next round, keep each round's published
results, and the trend across rounds. No Streamlit here.

A workshop session is always a round of a cooperation record (``storage.cooperations``). The next
round takes over the partners from the record and the choices of the round before (roles,
sections, anonymity limit, retention, open questions, legally required kind). Each round records
the content version it asked (``questionnaire.versions``). When a round closes, its *published*
results (after complementary suppression, rounded once) are kept as a summary on the round, so a
trend still has them after the session itself is deleted at the end of its retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

import scoring
from formatting import fmt_day
from questionnaire import versions
from questionnaire.loader import Questionnaire
from scoring import trend as trends
from services import workshop
from storage.cooperations import Cooperation, Round
from storage.store import InvalidInput, Session, Store

SUMMARY_VERSION = 1


@dataclass(frozen=True)
class RoundSetup:
    """What a round asks; the next round starts from the previous round's."""

    roles: list[str]
    sections: list[str]
    min_n: int
    retention_months: int
    open_questions: list[str]


# ---------------------------------------------------------------- the record


def check_record(q: Questionnaire, *, form: str, domain: str, required_kind: str | None) -> None:
    if form not in {c.id for c in q.settings.cooperation_forms}:
        raise InvalidInput("Kies een vorm van samenwerking uit de lijst.")
    if domain not in {c.id for c in q.settings.domains}:
        raise InvalidInput("Kies een domein uit de lijst.")
    if required_kind is not None and required_kind not in q.required_kind_label:
        raise InvalidInput("Kies een soort verplichte samenwerking uit de lijst.")


def update_record(
    store: Store, q: Questionnaire, coop: Cooperation, *, form: str, domain: str, evaluation_moments: list[date]
) -> Cooperation:
    """Change the form, domain and evaluation moments of a record (partners and name stay)."""
    check_record(q, form=form, domain=domain, required_kind=coop.required_kind)
    return store.update_cooperation(
        coop.id,
        name=coop.name,
        municipalities=list(coop.municipalities),
        form=form,
        domain=domain,
        required_kind=coop.required_kind,
        evaluation_moments=evaluation_moments,
    )


def form_label(q: Questionnaire, form: str) -> str:
    return {c.id: c.label for c in q.settings.cooperation_forms}.get(form, form)


def domain_label(q: Questionnaire, domain: str) -> str:
    return {c.id: c.label for c in q.settings.domains}.get(domain, domain)


def round_label(r: Round) -> str:
    return f"Ronde {r.number} ({fmt_day(r.held_at)})"


def _version_of_now(store: Store, q: Questionnaire) -> versions.ContentVersion:
    v = versions.current(q)
    store.save_content_version(v.hash, v.label, v.snapshot)
    return v


def start_first_round(
    store: Store,
    q: Questionnaire,
    *,
    name: str,
    municipalities: list[str],
    form: str,
    domain: str,
    required_kind: str | None,
    evaluation_moments: list[date],
    setup: RoundSetup,
) -> tuple[Session, str]:
    """A new cooperation record and its first round. Returns the session and its begeleiderstoken."""
    check_record(q, form=form, domain=domain, required_kind=required_kind)
    if not 2 <= len(municipalities) <= 20:
        raise InvalidInput("Kies 2 tot en met 20 partnergemeenten.")
    coop = store.create_cooperation(
        name, municipalities, form=form, domain=domain, required_kind=required_kind, evaluation_moments=evaluation_moments
    )
    return start_round(store, q, coop, setup)


def next_round_setup(store: Store, q: Questionnaire, previous: Session) -> RoundSetup:
    """The previous round's choices, with sections the content no longer has left out."""
    from services import open_answers

    known = [s for s in previous.sections if s in q.section_by_id]
    return RoundSetup(
        roles=[r for r in previous.roles if r in q.role_by_id] or [r.id for r in q.settings.roles],
        sections=known or list(q.default_section_ids),
        min_n=int(previous.min_group_size),
        retention_months=int(previous.retention_months),
        open_questions=list(open_answers.questions(store, q, previous)),
    )


def start_next_round(store: Store, q: Questionnaire, previous: Session, setup: RoundSetup | None = None) -> tuple[Session, str]:
    """The next round of ``previous``'s cooperation: its partners from the record, the choices of ``previous``."""
    coop = store.cooperation_of_session(previous.id)
    if coop is None:  # pragma: no cover - every session is a round since migration 0005
        raise InvalidInput("Deze sessie hoort niet bij een samenwerking.")
    return start_round(store, q, coop, setup or next_round_setup(store, q, previous))


def default_setup(q: Questionnaire) -> RoundSetup:
    """The choices of a round nobody chose for: every role, the default sections and the content's limits."""
    from storage.store import DEFAULT_RETENTION_MONTHS

    return RoundSetup(
        roles=[r.id for r in q.settings.roles],
        sections=list(q.default_section_ids),
        min_n=q.scoring.default_min_group_size,
        retention_months=DEFAULT_RETENTION_MONTHS,
        open_questions=list(q.settings.open_questions.session_default),
    )


def start_round(store: Store, q: Questionnaire, coop: Cooperation, setup: RoundSetup) -> tuple[Session, str]:
    """A new round of an existing record with these choices (the record's partners and required kind)."""
    version = _version_of_now(store, q)
    session, token = store.create_session(
        coop.name,
        list(coop.municipalities),
        setup.roles,
        setup.sections,
        setup.min_n,
        setup.retention_months,
        cooperation_id=coop.id,
        content_hash=version.hash,
    )
    if coop.required_kind:
        store.set_session_required(session.id, coop.required_kind)
    store.set_open_questions(session.id, setup.open_questions)
    return session, token


def record_scan(store: Store, q: Questionnaire, participant_id: int, cooperation: Cooperation | None) -> None:
    """Keep a zelfscan's content version, and the cooperation it was started for."""
    version = _version_of_now(store, q)
    store.record_scan(participant_id, None if cooperation is None else cooperation.id, version.hash)


# ---------------------------------------------------------------- a round's published results


def summary(data: workshop.SessionData, q: Questionnaire) -> dict:
    """The round's published results as plain JSON data: what ``RoundScores`` and a region's
    portfolio need. Keys: version, n, min_n, asked, sections (group, section, n, mean, suppressed),
    criteria (group, criterion, mean, signal, suppressed), advice (group, advice, count, n, suppressed).

    Computed from ``data.public`` (complementary suppression), per municipality and for everyone;
    a suppressed group keeps only the fact that it was suppressed."""
    public = data.public
    min_n = public.min_n
    sec_ids = public.section_ids(q)
    sections = []
    advice = []
    if sec_ids and len(public.sections):
        for by, group_of in (([], lambda row: trends.ALL), (["municipality"], lambda row: row["municipality"])):
            agg = scoring.aggregate_sections(public.sections, public.active, by, min_n, q)
            for row in agg.to_dict("records"):
                sections.append(
                    {
                        "group": group_of(row),
                        "section": row["section"],
                        "n": None if row["suppressed"] else int(row["n"]),
                        "mean": None if row["suppressed"] else float(row["mean"]),
                        "suppressed": bool(row["suppressed"]),
                    }
                )
    criteria = []
    if len(public.criteria):
        for by, group_of in (([], lambda row: trends.ALL), (["municipality"], lambda row: row["municipality"])):
            agg = scoring.aggregate_criteria(public.criteria, public.active, by, min_n, q)
            for row in agg.to_dict("records"):
                hidden = bool(row["suppressed"])
                criteria.append(
                    {
                        "group": group_of(row),
                        "criterion": row["criterion"],
                        "mean": None if hidden else float(row["mean"]),
                        "signal": None if hidden else row["signal"],
                        "suppressed": hidden,
                    }
                )
    if len(public.advice):
        for by, group_of in (([], lambda row: trends.ALL), (["municipality"], lambda row: row["municipality"])):
            dist = scoring.advice_distribution(public.advice, public.active, by, min_n, q)
            for row in dist.to_dict("records"):
                hidden = bool(row["suppressed"])
                advice.append(
                    {
                        "group": group_of(row),
                        "advice": row["advice"],
                        "count": None if hidden else int(row["count"]),
                        "n": None if hidden else int(row["n"]),
                        "suppressed": hidden,
                    }
                )
    return {
        "version": SUMMARY_VERSION,
        "n": int(public.n_counted),
        "min_n": min_n,
        "asked": [s for s in data.session.sections],
        "sections": sections,
        "criteria": criteria,
        "advice": advice,
    }


def keep_summary(store: Store, q: Questionnaire, session: Session) -> None:
    """Write the round's summary now (at close, and before a purge deletes the session)."""
    r = store.round_of_session(session.id)
    if r is not None:
        store.set_round_summary(r.id, summary(workshop.load_session_data(store, q, session), q))


def set_closed(store: Store, q: Questionnaire, session_id: int, closed: bool) -> None:
    """Close (or reopen) a round's answers; closing keeps its published results on the round."""
    store.set_closed(session_id, closed)
    if closed:
        session = store.session(session_id)
        if session is not None:
            keep_summary(store, q, session)


def keep_summaries_before_purge(store: Store, q: Questionnaire) -> int:
    """Summaries for expired rounds that have none yet (never closed): the purge deletes their sessions next."""
    kept = 0
    for sid in store.expired_sessions():
        r = store.round_of_session(sid)
        session = store.session(sid)
        if r is not None and r.summary is None and session is not None:
            keep_summary(store, q, session)
            kept += 1
    return kept


# ---------------------------------------------------------------- rounds as scores, the trend


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns)
    if "mean" in out.columns:
        out["mean"] = pd.to_numeric(out["mean"], errors="coerce")
    return out


def round_scores(store: Store, q: Questionnaire, r: Round, live: workshop.SessionData | None = None) -> trends.RoundScores:
    """What round ``r`` published: from its session while that exists (``live`` when already loaded,
    else the stored summary of a closed round, else loaded now), else from the stored summary."""
    data: dict | None = None
    if live is not None:
        data = summary(live, q)
    elif r.summary is not None:
        data = r.summary
    elif r.session_id is not None:
        session = store.session(r.session_id)
        if session is not None:
            data = summary(workshop.load_session_data(store, q, session), q)
    stored = store.content_version(r.content_hash)
    signatures = None
    if stored is not None:
        v = versions.ContentVersion(r.content_hash, stored[0], stored[1])
        signatures = {sid: v.signature(sid) for sid in v.sections}
    if data is None:
        return trends.RoundScores(
            r.number, round_label(r), (), signatures, _frame([], trends.SECTION_COLUMNS), _frame([], trends.ADVICE_COLUMNS), 0, available=False
        )
    return trends.RoundScores(
        number=r.number,
        label=round_label(r),
        asked=tuple(data["asked"]),
        signatures=signatures,
        sections=_frame(data["sections"], trends.SECTION_COLUMNS),
        advice=_frame(data["advice"], trends.ADVICE_COLUMNS),
        n=int(data["n"]),
    )


def trend(store: Store, q: Questionnaire, session: Session, live: workshop.SessionData | None = None) -> trends.Trend | None:
    """The trend of ``session``'s cooperation up to and including this round; None for a first round.

    Rounds after this one are not shown: the report of round 2 stays the same once round 3 exists."""
    coop = store.cooperation_of_session(session.id)
    if coop is None:
        return None
    rounds = store.rounds(coop.id)
    this = next((r for r in rounds if r.session_id == session.id), None)
    upto = rounds[: this.number] if this is not None else rounds
    if len(upto) < 2:
        return None
    scores = [round_scores(store, q, r, live if r.session_id == session.id else None) for r in upto]
    return trends.build(scores, [s.id for s in q.scored_sections()], q.scoring.trend_change)
