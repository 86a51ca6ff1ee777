"""The figures a session's slides show, cached by the answers' fingerprint and rebuilt at most every few seconds."""

from __future__ import annotations

import time

import streamlit as st

from formatting import fmt_clock
from questionnaire.loader import Questionnaire
from services import presenter, workshop
from storage import Store

REFRESH_SECONDS = 3  # the console polls this often
PROJECTOR_SECONDS = 2  # the Presentatiescherm polls this often (slide changes show within this)
# While answers keep coming in, the revealed charts are rebuilt at most this often: a rebuild costs
# about 1.5 s of CPU at 400 participants, which every few seconds would take half a core from the
# phones. Counts and slide changes still follow at once.
CHART_REBUILD_SECONDS = 15
_SHOWN_KEY = "_figures_shown_{}"  # per session: (fingerprint, monotonic time, wall-clock label)


def current(store: Store, q: Questionnaire, session_id: int, slide: str) -> tuple[dict[str, workshop.Figure], str]:
    """The figures of one slide by key (its parts too) and the time they are from (HH:MM:SS). The
    same figure objects come back until the answers change, so an unchanged chart is never rebuilt."""
    fingerprint = store.session_fingerprint(session_id)
    key = _SHOWN_KEY.format(session_id)
    shown = st.session_state.get(key)
    now = time.monotonic()
    if shown and shown[0] != fingerprint and now - shown[1] < CHART_REBUILD_SECONDS:
        fingerprint = shown[0]  # new answers: the charts follow within CHART_REBUILD_SECONDS
    elif not shown or shown[0] != fingerprint:
        shown = (fingerprint, now, fmt_clock(seconds=True))
        st.session_state[key] = shown
    return _build(store, q, session_id, shown[0], slide), shown[2]


def topics(store: Store, q: Questionnaire, session_id: int) -> list:
    """The session's top three (services.workshop.conversation_topics) at the answers' fingerprint."""
    return _topics(store, q, session_id, store.session_fingerprint(session_id))


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs={Store: id, Questionnaire: id})
def _topics(store: Store, q: Questionnaire, session_id: int, fingerprint: tuple) -> list:
    return workshop.conversation_topics(_data(store, q, session_id, fingerprint), q)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs={Store: id, Questionnaire: id})
def _data(store: Store, q: Questionnaire, session_id: int, fingerprint: tuple) -> workshop.SessionData:
    """A session's answers and scores at a fingerprint, read once per process."""
    return workshop.load_session_data(store, q, store.session(session_id))


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={Store: id, Questionnaire: id})
def _build(store: Store, q: Questionnaire, session_id: int, fingerprint: tuple, slide: str) -> dict[str, workshop.Figure]:
    """One slide's figures at a fingerprint: built once per process, and only for a slide that is shown."""
    import dataclasses

    built = presenter.slide_figures(_data(store, q, session_id, fingerprint), q, slide, size="projector", store=store)
    return {k: dataclasses.replace(f, chart=_accessible(f)) for k, f in built.items()}


def _accessible(fig: workshop.Figure):
    """Screen readers get the chart as one graphic named by its title (the finding is the text just
    above it) and the numbers from the table, instead of Vega's mark-by-mark labels: Vega gives an
    empty layer an image role without a name (axe svg-img-alt, serious)."""
    return fig.chart.configure_mark(aria=False).properties(description=fig.title)
