"""The questionnaire flow of one participant (zelfscan or workshop) and their personal result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

import scoring
from exports import dutch_excel_csv
from questionnaire.loader import Questionnaire
from questionnaire.models import Kind, Section
from storage import Participant, Session, Store

MAX_TIPS_SECTIONS = 2


def scan_sections(q: Questionnaire, section_ids: Sequence[str] | None = None, required: bool = False) -> list[Section]:
    """The steps of the questionnaire: one section per step, in content order.

    No ``section_ids``: the default sections (optional modules off). With ``required`` (a legally
    required cooperation) the statements marked ``skip_when_required`` are left out of each step,
    and a step left empty is dropped.
    """
    wanted = set(section_ids) if section_ids else set(q.default_section_ids)
    steps = []
    for s in q.sections:
        if s.id not in wanted:
            continue
        asked = q.asked_items(s, required)
        if len(asked) == len(s.items):
            steps.append(s)
        elif asked:
            steps.append(s.model_copy(update={"items": asked}))
    return steps


@dataclass(frozen=True)
class Scope:
    """What one participant is asked: the sections and whether the cooperation is legally required."""

    section_ids: tuple[str, ...] | None  # None: the default sections
    required_kind: str | None  # a required_kinds id from the content, None when not required

    @property
    def required(self) -> bool:
        return self.required_kind is not None


def scope_of(store: Store, participant: Participant, session: Session | None) -> Scope:
    """The set-up choices that apply to this participant: the session's, or the zelfscan's own."""
    if session is not None:
        return Scope(tuple(session.sections), store.session_required(session.id))
    kind, sections = store.participant_options(participant.id)
    return Scope(sections, kind)


def steps_for(q: Questionnaire, store: Store, participant: Participant, session: Session | None) -> list[Section]:
    """The steps this participant answers (``scan_sections`` for their scope)."""
    scope = scope_of(store, participant, session)
    return scan_sections(q, scope.section_ids, scope.required)


@dataclass(frozen=True)
class Progress:
    step: int  # 0-based index of the current step
    steps: int
    answered: int  # statements answered (weet niet counts as answered: it is a choice)
    total: int

    @property
    def label(self) -> str:
        # Only the step: the answers on this step are saved without redrawing the page, so a count
        # written by the server would lag behind; the page counts them in the browser (ANSWERED_LABEL).
        return f"Stap {self.step + 1} van {self.steps}"

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 0.0


# How many statements of the current step are answered; the browser fills it in as people tap.
ANSWERED_LABEL = "{answered} van {total} beantwoord"


def answered_label(answered: int, total: int) -> str:
    return ANSWERED_LABEL.format(answered=answered, total=total)


def progress(sections: Sequence[Section], answers: Mapping[str, int], step: int) -> Progress:
    ids = [i.id for s in sections for i in s.items]
    return Progress(
        step=clamp_step(step, len(sections)),
        steps=len(sections),
        answered=sum(1 for i in ids if i in answers),
        total=len(ids),
    )


def clamp_step(step: int, steps: int) -> int:
    return max(0, min(int(step), steps - 1))


def missing_in(section: Section, answers: Mapping[str, int]) -> list[str]:
    return [i.id for i in section.items if i.id not in answers]


def answers_frame(participant: str, answers: Mapping[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"participant": participant, "item": list(answers.keys()), "value": [int(v) for v in answers.values()]},
        columns=["participant", "item", "value"],
    )


@dataclass(frozen=True)
class PersonalResult:
    sections: pd.DataFrame  # scoring.score_sections for one participant, with title and meaning
    criteria: pd.DataFrame  # scoring.score_criteria for one participant, with title
    advice: scoring.AdviceResult
    tips: list[tuple[Section, float]]  # weakest principles below the top band, weakest first
    topics: list[scoring.Topic] = ()  # the top three for the conversation (scoring.top_topics)

    @property
    def scored(self) -> pd.DataFrame:
        return self.sections[self.sections["status"] == "ok"]


def personal_result(
    q: Questionnaire,
    answers: Mapping[str, int],
    section_ids: Sequence[str] | None = None,
    participant: str = "ik",
    *,
    required: bool = False,
) -> PersonalResult:
    in_scope = [s.id for s in scan_sections(q, section_ids, required)]
    df = answers_frame(participant, answers)
    sec = scoring.score_sections(df, q, [s.id for s in q.scored_sections(in_scope)], required=required)
    sec = sec.assign(
        title=sec["section"].map(lambda s: q.section_by_id[s].title),
        band_label=sec["band"].map(lambda b: _band(q, b, "label")),
        meaning=sec["band"].map(lambda b: _band(q, b, "meaning")),
    )
    crit = scoring.score_criteria(df, q, [s.id for s in q.stop_sections(in_scope)], required=required)
    crit = crit.assign(
        title=crit["criterion"].map(lambda c: q.criterion_by_id[c].title),
        signal_label=crit["signal"].map(lambda s: _signal(q, s, "label")),
    )
    signals = dict(zip(crit["criterion"], crit["signal"], strict=True))
    advice = scoring.advise(signals, q, required=required) if len(crit) else None

    top_band = q.scoring.bands[0].id
    weak = sec[(sec["status"] == "ok") & (sec["band"] != top_band)].sort_values(["score", "section"])
    tips = [
        (q.section_by_id[r.section], float(r.score))
        for r in weak.itertuples()
        if q.section_by_id[r.section].kind is Kind.principe and q.section_by_id[r.section].tips
    ][:MAX_TIPS_SECTIONS]
    topics = scoring.top_topics(q, sec, crit)
    return PersonalResult(
        sections=sec.reset_index(drop=True), criteria=crit.reset_index(drop=True), advice=advice, tips=tips, topics=topics
    )


def _band(q: Questionnaire, band_id, attr: str):
    b = next((b for b in q.scoring.bands if b.id == band_id), None)
    return getattr(b, attr) if b else None


def _signal(q: Questionnaire, signal_id, attr: str):
    s = next((s for s in q.scoring.signals if s.id == signal_id), None)
    return getattr(s, attr) if s else None


RESULT_COLUMNS = ["Soort", "Onderdeel", "Code", "Omschrijving", "Antwoord", "Score", "Uitkomst", "Beantwoord"]


def personal_csv(
    q: Questionnaire,
    answers: Mapping[str, int],
    result: PersonalResult,
    section_ids: Sequence[str] | None = None,
    *,
    required: bool = False,
) -> bytes:
    """The participant's own answers, section scores, stop criteria and advice, for Dutch Excel."""
    rows = []
    dk = q.scale.dont_know.code
    for s in scan_sections(q, section_ids, required):
        for item in s.items:
            v = answers.get(item.id)
            if v is None:
                answer, label = None, "Niet beantwoord"
            elif v == dk:
                answer, label = None, q.scale.dont_know.label
            else:
                answer, label = int(v), q.scale.label(int(v))
            rows.append(
                {
                    "Soort": "Antwoord" + (" (omgekeerd gescoord)" if item.reverse else ""),
                    # A stop statement names its criterion, so the advice can be traced back.
                    "Onderdeel": f"{s.title}: {q.criterion_by_id[item.criterion].title}" if item.criterion else s.title,
                    "Code": item.id,
                    "Omschrijving": item.text,
                    "Antwoord": answer,
                    "Score": None,
                    "Uitkomst": label,
                    "Beantwoord": None,
                }
            )
    for r in result.sections.itertuples():
        rows.append(
            {
                "Soort": "Score onderdeel",
                "Onderdeel": r.title,
                "Code": r.section,
                "Omschrijving": r.meaning if r.status == "ok" else "Te weinig stellingen beantwoord voor een score",
                "Score": r.score if r.status == "ok" else None,
                "Uitkomst": r.band_label,
                "Beantwoord": f"{r.n_answered} van {r.n_items}",
            }
        )
    for r in result.criteria.itertuples():
        rows.append(
            {
                "Soort": "Stopcriterium",
                "Onderdeel": q.section_by_id[r.section].title,
                "Code": r.criterion,
                "Omschrijving": r.title,
                "Score": r.score if r.status == "ok" else None,
                "Uitkomst": r.signal_label,
                "Beantwoord": f"{r.n_answered} van {r.n_items}",
            }
        )
    if result.advice is not None:
        rows.append(
            {
                "Soort": "Advies",
                "Onderdeel": "Stopcriteria",
                "Code": result.advice.advice,
                "Omschrijving": result.advice.reason
                + (
                    " Bepalend: " + "; ".join(q.criterion_by_id[c].title for c in result.advice.drivers) + "."
                    if result.advice.drivers
                    else ""
                ),
                "Uitkomst": result.advice.label,
            }
        )
    df = pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)
    df["Antwoord"] = df["Antwoord"].astype("Int64")
    df["Score"] = df["Score"].astype("float64")
    return dutch_excel_csv(df)
