"""The open question(s) at the end of the questionnaire, on the phone: typed text, saved on leaving the box."""

from __future__ import annotations

import streamlit as st

from questionnaire.loader import Questionnaire
from services import open_answers
from storage import Participant, Session, SessionClosed, Store, StoreError
from storage.open_answers import MAX_OPEN_ANSWER
from ui.text import md

_MSG_KEY = "_open_msg_{}_{}"


def _key(participant_id: int, position: int) -> str:
    return f"open_{participant_id}_{position}"


def _save(store: Store, participant_id: int, position: int) -> None:
    key = _key(participant_id, position)
    try:
        done = open_answers.submit(store, participant_id, position, st.session_state.get(key))
    except SessionClosed as e:
        st.session_state[_MSG_KEY.format(participant_id, position)] = ("warning", str(e))
        return
    except StoreError as e:
        st.session_state[_MSG_KEY.format(participant_id, position)] = ("error", str(e))
        return
    st.session_state[key] = done.text  # what is stored, cut text included
    st.session_state[_MSG_KEY.format(participant_id, position)] = ("warning", done.message) if done.message else ("ok", None)


def render(q: Questionnaire, store: Store, participant: Participant, session: Session | None) -> None:
    """'Tot slot' with the open question(s); each answer is saved when the person leaves the box.

    Not a fragment (unlike the statements): leaving the box by tapping 'Afronden' sends the text and
    the tap together, and a fragment run for the text would swallow the tap (seen in Chromium)."""
    asked = open_answers.questions(store, q, session)
    stored = store.open_answers_of(participant.id)
    closed = bool(session and session.closed)
    st.subheader("Tot slot")
    st.caption(q.settings.open_questions.hint + f" Hooguit {MAX_OPEN_ANSWER} tekens. Deze vraag mag u overslaan.")
    for position, question in enumerate(asked):
        _box(store, participant.id, position, question, stored.get(position, ""), closed)


def _box(store: Store, participant_id: int, position: int, question: str, stored: str, closed: bool) -> None:
    key = _key(participant_id, position)
    if key not in st.session_state:
        st.session_state[key] = stored
    st.text_area(
        md(question),  # a question the begeleider typed: shown as text, never as markdown
        key=key,
        on_change=_save,
        args=(store, participant_id, position),
        disabled=closed,
        height=110,
        placeholder="Typ hier uw antwoord…",
    )
    kind, message = st.session_state.get(_MSG_KEY.format(participant_id, position), (None, None))
    if kind in ("warning", "error"):
        getattr(st, kind)(message)
    # The line under the box is always there, empty until saved: leaving the box to tap 'Afronden'
    # saves it, and a line appearing then would push the button away under the thumb.
    saved = kind == "ok" or (kind is None and bool(stored))
    st.caption("✓ Opgeslagen" if saved and (st.session_state.get(key) or "").strip() else "\u00a0")
