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
        out += [Slide(f"stellingen-{sid}", f"Stellingen: {q.section_by_id[sid].title}", True) for sid in scored]
    if stops:
        out += [Slide(k, titles[k], True) for k in ("stopcriteria_gemeenten", "advies_gemeenten")]
    if scored:
        out.append(Slide("heatmap_rollen", titles["heatmap_rollen"], True))
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


def shows_results(slide: Slide, view: PresenterView) -> bool:
    return slide.has_results and view.revealed(slide.key)


SPLIT_SPREAD_ROWS = 12  # sections x municipalities above which the differences chart is drawn in two columns


def figures(data: workshop.SessionData, q: Questionnaire, *, size: str = "projector") -> dict[str, workshop.Figure]:
    """Every figure a slide can show, by slide key; a slide drawn in columns also has its parts
    under ``part_keys(key)``."""
    out = {f.key: f for f in workshop.comparison_figures(data, q, size=size)}
    scored = q.scored_sections([s for s in data.session.sections if s in q.section_by_id])
    for section in scored:
        fig = workshop.section_likert_figure(data, q, section.id, size=size)
        out[fig.key] = fig
    # One dot row per municipality per section: with many of both the chart is far taller than wide
    # and would shrink to unreadable on a slide; two columns of sections keep the text large.
    if len(scored) > 2 and len(scored) * len(data.municipalities) > SPLIT_SPREAD_ROWS:
        half = (len(scored) + 1) // 2
        ids = [s.id for s in scored]
        for key, part in zip(part_keys("spreiding_gemeenten"), (ids[:half], ids[half:]), strict=True):
            out[key] = workshop.spread_figure_for(data, q, part, size=size)
    return out


def part_keys(key: str) -> tuple[str, str]:
    return (f"{key}/1", f"{key}/2")


def count_label(n: int, min_n: int) -> str:
    """A count as the room sees it: exact from the session's minimum up, else 'minder dan {min}'."""
    n = int(n)
    if n == 0 or n >= min_n:
        return str(n)
    return f"minder dan {min_n}"
