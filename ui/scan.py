"""The answering steps of one participant (zelfscan and workshop alike)."""

from __future__ import annotations

import html
import time

import streamlit as st

from questionnaire.loader import Questionnaire
from questionnaire.models import Item
from services import scan
from storage import Participant, Session, SessionClosed, Store
from ui import links, open_questions, theme
from ui.text import md

_CLOSED_KEY = "_closed_message"
_CONFIRM_KEY = "_confirm_finish"  # 'Afronden' was pressed with statements still open
_NAV_KEY = "_last_nav"  # (step, monotonic time): this tab's last move and where it went
_DRAWN_KEY = "_drawn_statements"  # radio keys this server session has drawn at least once
_MOVED_KEY = "_moved"  # a counter, set by a move (Vorige/Volgende): the next run opens the step at its top

# A second tap on 'Volgende' that lands on the next step's 'Volgende' (same place on the screen)
# within this many seconds of the first, with no answer in between, is a double tap, not a
# decision: nobody reads a new step that fast. Tests that skip steps without reading set it to 0.
NAV_GUARD_S = 0.6


def _options(q: Questionnaire) -> list[int]:
    return [*q.scale.values, q.scale.dont_know.code]


def _radio_key(participant_id: int, item_id: str) -> str:
    return f"a_{participant_id}_{item_id}"


def _saved_key(radio_key: str) -> str:
    return f"_saved_{radio_key}"


def _save_one(store: Store, participant_id: int, item_id: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        return
    try:
        store.save_answers(participant_id, {item_id: int(value)})  # the step is kept by Vorige/Volgende
    except SessionClosed as e:
        st.session_state[_CLOSED_KEY] = str(e)
        return
    st.session_state[_saved_key(key)] = int(value)
    st.session_state.pop(_NAV_KEY, None)  # answered on this step: the next 'Volgende' is meant


def _go(store: Store, participant_id: int, step: int, to: int) -> None:
    last = st.session_state.get(_NAV_KEY)
    if last and last[0] == step and time.monotonic() - last[1] < NAV_GUARD_S:
        return  # a double tap: the first tap already brought this step
    try:
        store.set_step(participant_id, to)
    except SessionClosed as e:
        st.session_state[_CLOSED_KEY] = str(e)
        return
    st.session_state[_NAV_KEY] = (to, time.monotonic())
    st.session_state[_MOVED_KEY] = st.session_state.get(_MOVED_KEY, 0) + 1


def _finish(store: Store, participant_id: int, item_ids: tuple[str, ...], confirmed: bool) -> None:
    if not confirmed and not set(item_ids) <= store.answers_of(participant_id).keys():
        st.session_state[_CONFIRM_KEY] = True  # say what is open first; 'Toch afronden' finishes
        return
    try:
        store.finish(participant_id)
    except SessionClosed as e:
        st.session_state[_CLOSED_KEY] = str(e)
        return
    st.session_state[_MOVED_KEY] = st.session_state.get(_MOVED_KEY, 0) + 1


def take_move() -> int | None:
    """The move counter when this run follows Vorige/Volgende/Afronden (once), else None."""
    return st.session_state.pop(_MOVED_KEY, None)


@st.fragment
def _statement(
    q: Questionnaire, store: Store, participant_id: int, item: Item, number: int, stored: int | None, closed: bool
) -> None:
    """One statement in its own fragment: a tap stores the answer and redraws only this statement,
    not the page (a tenth of the server's work per answer, which is what lets a hall answer at once)."""
    with st.container(key=f"statement_{item.id}"):
        key = _radio_key(participant_id, item.id)
        options = _options(q)
        value = st.radio(
            f"{number}. {item.text}",
            options,
            index=options.index(stored) if stored in options else None,
            format_func=q.scale.label,
            key=key,
            on_change=_save_one,
            args=(store, participant_id, item.id, key),
            disabled=closed,
            width="stretch",
        )
        drawn = st.session_state.setdefault(_DRAWN_KEY, set())
        if key not in drawn:
            drawn.add(key)
            # The first time this server session draws the statement (always in a full run, so `stored`
            # is fresh), the browser may bring a value the database lacks: a tab that stayed open through
            # a server restart and was tapped before its first run here ended. It shows checked, so keep
            # it. Later draws never save from here: a value that differs then is an older one in this tab
            # while a second tab answered anew.
            if value is not None and value != stored and not closed:
                _save_one(store, participant_id, item.id, key)
        if st.session_state.get(_CLOSED_KEY):
            st.rerun()  # the session was closed meanwhile: redraw the whole page, answers disabled
        if value is not None and st.session_state.get(_saved_key(key)) == value:
            st.caption("✓ Opgeslagen")


def _progress_bar(prog: scan.Progress, answered: int, total: int) -> None:
    """The step and 'x van y beantwoord', sticky at the top (ui/theme.py): the bar shows the step
    reached, the count is kept up to date by the browser as statements are answered."""
    with st.container(key="step_progress"):
        st.progress((prog.step + 1) / prog.steps, text=prog.label)
        st.html(
            f'<div class="step-progress" data-total="{total}" data-template="{html.escape(scan.ANSWERED_LABEL)}">'
            f'<span class="step-progress-count">{html.escape(scan.answered_label(answered, total))}</span></div>'
        )


def resume_box(token: str, *, expanded: bool = False) -> None:
    with st.expander("Later verder? Bewaar uw persoonlijke link", expanded=expanded):
        st.markdown(
            "Met deze link komt u terug bij uw antwoorden, ook op een ander moment of een ander apparaat. "
            "Deel hem niet: wie de link heeft, kan uw antwoorden zien en wijzigen."
        )
        st.code(links.resume_url(token), language=None, wrap_lines=True)


def step_view(q: Questionnaire, store: Store, participant: Participant, session: Session | None, token: str) -> None:
    sections = scan.steps_for(q, store, participant, session)
    answers = store.answers_of(participant.id)
    prog = scan.progress(sections, answers, participant.step)
    step = prog.step
    section = sections[step]
    closed = bool(session and session.closed)

    st.caption(md(participant.cooperation))
    _progress_bar(prog, len(section.items) - len(scan.missing_in(section, answers)), len(section.items))
    anchor = f"stap-{step + 1}"
    st.header(section.title, anchor=anchor)
    moved = take_move()
    if moved is not None:
        theme.open_at(anchor, moved)
    st.markdown(section.explanation)
    if section.polarity.value == "warning":
        st.info("Let op: bij deze stellingen betekent ‘eens’ dat het waarschuwingssignaal aanwezig is.")

    message = st.session_state.pop(_CLOSED_KEY, None)
    if closed or message:
        st.warning(message or "Deze sessie is gesloten; antwoorden kan niet meer. Uw eerdere antwoorden zijn bewaard.")

    first_number = sum(len(s.items) for s in sections[:step])
    for n, item in enumerate(section.items, start=first_number + 1):
        key = _radio_key(participant.id, item.id)
        st.session_state[_saved_key(key)] = answers.get(item.id)
        if closed and st.session_state.get(key) != answers.get(item.id):
            st.session_state.pop(key, None)  # show what is stored, not a tap the closed session refused
        _statement(q, store, participant.id, item, n, answers.get(item.id), closed)
    last = step == len(sections) - 1
    if last:
        open_questions.render(q, store, participant, session)
    st.divider()
    confirm = st.session_state.pop(_CONFIRM_KEY, False) and last
    if confirm:
        missing = [s.title for s in sections if scan.missing_in(s, answers)]
        st.warning(
            f"U heeft nog {prog.total - prog.answered} stelling(en) open gelaten in: {', '.join(missing)}. "
            "Dat mag; kies ‘Weet niet / n.v.t.’ als u het niet weet. Open stellingen tellen niet mee."
        )
    # Keys carry the step, so a second (double) tap that arrives after the first has moved on
    # belongs to a button that no longer exists and is ignored. 'Vorige' is always there (disabled
    # on the first step), so the buttons never shift under a thumb between steps.
    left, right = st.columns(2)
    with left:
        st.button(
            "Vorige",
            on_click=_go,
            args=(store, participant.id, step, step - 1),
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
                args=(store, participant.id, step, step + 1),
                width="stretch",
                disabled=closed,
                key=f"nav_next_{step}",
            )
    if last:
        st.button(
            "Toch afronden en resultaat bekijken" if confirm else "Afronden en resultaat bekijken",
            type="primary",
            on_click=_finish,
            args=(store, participant.id, tuple(i.id for s in sections for i in s.items), confirm),
            width="stretch",
            disabled=closed,
            key=f"nav_finish_{step}_{int(confirm)}",
        )
    resume_box(token)
