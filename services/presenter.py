"""Presenter pacing: the slides of a session in story order, stepping through them, and their figures (no Streamlit).

The Presentatiescherm shows one slide at a time: first the join slide (deelnamecode, QR, counts),
then one slide per figure of ``services.workshop``, in an order that tells the story: the overall
picture, the biggest differences, the statements per section, the stop criteria and the advice,
and finally the scores by role. Which slide is current and which slides show their results are
stored in the database (``Store.presenter_view``), so the console and the projector agree across
processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire.loader import Questionnaire
from services import workshop
from storage import Session, Store
from storage.store import PresenterView

JOIN = "meedoen"  # key of the join slide
OPEN = "open-antwoorden"  # the approved open answers (all questions of the session)
TOPICS = "gesprek"  # the last slide: the three topics for the conversation
TEXT_SLIDES = frozenset({OPEN, TOPICS})  # slides of text, not of a figure


@dataclass(frozen=True)
class Slide:
    key: str  # stable id, stored as the current slide; a figure slide has its figure's key
    title: str  # Dutch, as the console lists it
    has_results: bool  # False for the join slide: nothing to hide there


def slides(session: Session, q: Questionnaire) -> list[Slide]:
    """The session's slides in story order; figures that the session has no content for are left out."""
    known = [s for s in session.sections if s in q.section_by_id]
    scored = [s.id for s in q.scored_sections(known)]
    stops = [s.id for s in q.stop_sections(known)]
    titles = workshop.FIGURE_TITLES
    out = [Slide(JOIN, "Meedoen: deelnamecode en QR-code", False)]
    if scored:
        out += [Slide(k, titles[k], True) for k in ("heatmap_gemeenten", "spreiding_gemeenten")]
        out += [Slide(key, title, True) for sid in scored for key, title, _ in workshop.statement_parts(q, sid)]
    if stops:
        out += [Slide(k, titles[k], True) for k in ("stopcriteria_gemeenten", "advies_gemeenten")]
    if scored:
        out.append(Slide("heatmap_rollen", titles["heatmap_rollen"], True))
    out.append(Slide(OPEN, "Open antwoorden (goedgekeurd)", True))
    if scored or stops:
        out.append(Slide(TOPICS, "Drie onderwerpen voor het gesprek", True))
    return out


def current_index(deck: list[Slide], view: PresenterView) -> int:
    """Index of the current slide; the first one when none is stored or the stored one is gone."""
    keys = [s.key for s in deck]
    return keys.index(view.slide) if view.slide in keys else 0


def neighbour(deck: list[Slide], view: PresenterView, delta: int) -> str:
    """Key of the slide ``delta`` steps from the current one, stopping at the first and the last."""
    i = min(max(current_index(deck, view) + delta, 0), len(deck) - 1)
    return deck[i].key


def step(store: Store, q: Questionnaire, session_id: int, delta: int) -> None:
    """Move the Presentatiescherm ``delta`` slides forward (or back); reads the current slide first."""
    session = store.session(session_id)
    deck = slides(session, q)
    store.set_slide(session_id, neighbour(deck, store.presenter_view(session_id), delta))


def toggle_current(store: Store, q: Questionnaire, session_id: int) -> None:
    """Show the results of the slide that is on screen now, or hide them (as stored at this moment)."""
    session = store.session(session_id)
    deck = slides(session, q)
    view = store.presenter_view(session_id)
    slide = deck[current_index(deck, view)]
    if slide.has_results:
        store.set_slide_revealed(session_id, slide.key, not view.revealed(slide.key))


def shows_results(slide: Slide, view: PresenterView) -> bool:
    return slide.has_results and view.revealed(slide.key)


def figures(data: workshop.SessionData, q: Questionnaire, *, size: str = "projector") -> dict[str, workshop.Figure]:
    """Every figure a slide can show, by slide key."""
    out = {f.key: f for f in workshop.comparison_figures(data, q, size=size)}
    out.update({f.key: f for f in workshop.statement_figures(data, q, size=size)})
    return out


def slide_figures(
    data: workshop.SessionData, q: Questionnaire, key: str, *, size: str = "projector"
) -> dict[str, workshop.Figure]:
    """Only the figure one slide shows (the same as in ``figures``): building all of them costs
    seconds of CPU at a full hall, and a slide needs one."""
    try:
        return {key: workshop.figure(data, q, key, size=size)}
    except KeyError:
        return {}
