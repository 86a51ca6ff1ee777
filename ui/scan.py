"""The answering steps of one participant (zelfscan and workshop alike)."""

from __future__ import annotations

import streamlit as st

from questionnaire.loader import Questionnaire
from services import scan
from storage import Participant, Session, SessionClosed, Store
from ui import links
from ui.text import md

_CLOSED_KEY = "_closed_message"


def _options(q: Questionnaire) -> list[int]:
    return [*q.scale.values, q.scale.dont_know.code]


def _save_one(store: Store, participant_id: int, item_id: str, key: str, step: int) -> None:
    value = st.session_state.get(key)
    if value is None:
        return
    try:
        store.save_answers(participant_id, {item_id: int(value)}, step=step)
    except SessionClosed as e:
        st.session_state[_CLOSED_KEY] = str(e)


def _go(store: Store, participant_id: int, step: int) -> None:
    try:
        store.set_step(participant_id, step)
    except SessionClosed as e:
        st.session_state[_CLOSED_KEY] = str(e)


def _finish(store: Store, participant_id: int) -> None:
    try:
        store.finish(participant_id)
    except SessionClosed as e:
        st.session_state[_CLOSED_KEY] = str(e)


def resume_box(token: str, *, expanded: bool = False) -> None:
    with st.expander("Later verder? Bewaar uw persoonlijke link", expanded=expanded):
        st.markdown(
            "Met deze link komt u terug bij uw antwoorden, ook op een ander moment of een ander apparaat. "
            "Deel hem niet: wie de link heeft, kan uw antwoorden zien en wijzigen."
        )
        st.code(links.resume_url(token), language=None, wrap_lines=True)


def step_view(q: Questionnaire, store: Store, participant: Participant, session: Session | None, token: str) -> None:
    sections = scan.scan_sections(q, session.sections if session else None)
    answers = store.answers_of(participant.id)
    prog = scan.progress(sections, answers, participant.step)
    step = prog.step
    section = sections[step]
    closed = bool(session and session.closed)

    st.caption(md(participant.cooperation))
    st.progress(prog.fraction, text=prog.label)
    st.header(section.title)
    st.markdown(section.explanation)
    if section.polarity.value == "warning":
        st.info("Let op: bij deze stellingen betekent ‘eens’ dat het waarschuwingssignaal aanwezig is.")

    message = st.session_state.pop(_CLOSED_KEY, None)
    if closed or message:
        st.warning(message or "Deze sessie is gesloten; antwoorden kan niet meer. Uw eerdere antwoorden zijn bewaard.")

    options = _options(q)
    first_number = sum(len(s.items) for s in sections[:step])
    for n, item in enumerate(section.items, start=first_number + 1):
        key = f"a_{participant.id}_{item.id}"
        current = answers.get(item.id)
        st.radio(
            f"{n}. {item.text}",
            options,
            index=options.index(current) if current in options else None,
            format_func=q.scale.label,
            key=key,
            on_change=_save_one,
            args=(store, participant.id, item.id, key, step),
            disabled=closed,
            width="stretch",
        )
    st.divider()
    last = step == len(sections) - 1
    # Keys carry the step, so a second (double) tap that arrives after the first has moved on
    # belongs to a button that no longer exists and is ignored. 'Vorige' is always there (disabled
    # on the first step), so the buttons never shift under a thumb between steps.
    left, right = st.columns(2)
    with left:
        st.button(
            "Vorige",
            on_click=_go,
            args=(store, participant.id, step - 1),
            width="stretch",
            disabled=closed or step == 0,
            key=f"nav_prev_{step}",
        )
    with right:
        if not last:
            st.button(
                "Volgende",
                type="primary",
                on_click=_go,
                args=(store, participant.id, step + 1),
                width="stretch",
                disabled=closed,
                key=f"nav_next_{step}",
            )
    if last:
        missing = [s.title for s in sections if scan.missing_in(s, answers)]
        if missing and not closed:
            st.warning(
                f"U heeft nog {prog.total - prog.answered} stelling(en) open gelaten in: {', '.join(missing)}. "
                "Dat mag; kies ‘Weet niet / n.v.t.’ als u het niet weet. Open stellingen tellen niet mee."
            )
        st.button(
            "Afronden en resultaat bekijken" if not missing else "Toch afronden en resultaat bekijken",
            type="primary",
            on_click=_finish,
            args=(store, participant.id),
            width="stretch",
            disabled=closed,
            key=f"nav_finish_{step}",
        )
    resume_box(token)
