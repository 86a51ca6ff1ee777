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
TREND = "trend_onderdelen"  # from round 2 on: what changed since the previous round (services.trend_figures)
TREND_ADVICE = "trend_advies"  # from round 2 on: the advice spread per round
TREND_SLIDES = frozenset({TREND, TREND_ADVICE})  # figures that need the cooperation's other rounds
TREND_TITLES = {TREND: "Verandering sinds de vorige ronde", TREND_ADVICE: "Advies per ronde"}


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
    later = session.round_number > 1
    if scored:
        out += [Slide(k, titles[k], True) for k in ("heatmap_gemeenten", "spreiding_gemeenten")]
        if later:
            out.append(Slide(TREND, TREND_TITLES[TREND], True))
        out += [Slide(key, title, True) for sid in scored for key, title, _ in workshop.statement_parts(q, sid)]
    if stops:
        out += [Slide(k, titles[k], True) for k in ("stopcriteria_gemeenten", "advies_gemeenten")]
        if later:
            out.append(Slide(TREND_ADVICE, TREND_TITLES[TREND_ADVICE], True))
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
    data: workshop.SessionData, q: Questionnaire, key: str, *, size: str = "projector", store: Store | None = None
) -> dict[str, workshop.Figure]:
    """Only the figure one slide shows (the same as in ``figures``): building all of them costs
    seconds of CPU at a full hall, and a slide needs one. A trend slide needs ``store`` (the
    cooperation's other rounds)."""
    if key in TREND_SLIDES:
        if store is None:
            return {}
        return {f.key: f for f in trend_figures(store, q, data, size=size) if f.key == key}
    try:
        return {key: workshop.figure(data, q, key, size=size)}
    except KeyError:
        return {}


def trend_figures(store: Store, q: Questionnaire, data: workshop.SessionData, *, size: str = "projector") -> list[workshop.Figure]:
    """The trend figures of this round (this round live from ``data``); none for a first round."""
    from services import cooperation
    from services import trend_figures as figures_of_trend

    found = cooperation.trend(store, q, data.session, live=data)
    if found is None:
        return []
    return figures_of_trend.trend_figures(found, q, size=size, municipalities=list(data.session.municipalities))
