"""Privacy (AVG) pieces the pages share: the footer link, the retention choice, deleting a session
and deleting one's own answers."""

from __future__ import annotations

import streamlit as st

from storage import Participant, Session, SessionClosed, Store
from storage.store import DEFAULT_RETENTION_MONTHS, RETENTION_CHOICES
from ui.text import md

DELETED_KEY = "_privacy_deleted"  # a Dutch message shown once after a deletion


def footer() -> None:
    """The link to the privacy page at the bottom of every page."""
    st.divider()
    st.page_link("pages/privacy.py", label="Privacy: wat we bewaren en hoe lang", icon=":material/lock:")


def _months(n: int) -> str:
    return f"{n} maand" if n == 1 else f"{n} maanden"


def retention_input(*, key: str = "retention_months") -> int:
    """The retention choice at set-up (inside the set-up form)."""
    return st.selectbox(
        "Bewaartermijn na het sluiten (daarna worden de sessie en alle antwoorden verwijderd)",
        RETENTION_CHOICES,
        index=RETENTION_CHOICES.index(DEFAULT_RETENTION_MONTHS),
        format_func=_months,
        key=key,
        help="Daarna verwijdert de app de sessie vanzelf, met alle deelnemers en antwoorden. U kunt dit later op het Begeleidersscherm wijzigen.",
    )


def retention_control(store: Store, session: Session) -> None:
    """Change the retention period of a session (Begeleidersscherm)."""
    when = session.delete_after.astimezone(_tz()).strftime("%d-%m-%Y")
    start = (
        "het sluiten" if session.closed else "het aanmaken (de sessie is nog niet gesloten; na sluiten telt de termijn vanaf dan)"
    )
    st.markdown(f"Deze sessie wordt **{_months(session.retention_months)}** na {start} verwijderd: op **{when}**.")
    months = st.selectbox(
        "Bewaartermijn",
        RETENTION_CHOICES,
        index=RETENTION_CHOICES.index(session.retention_months) if session.retention_months in RETENTION_CHOICES else 0,
        format_func=_months,
        key=f"retention_{session.id}",
    )
    if months != session.retention_months and st.button("Bewaartermijn opslaan", key=f"retention_save_{session.id}"):
        store.set_retention(session.id, int(months))
        st.rerun()


def delete_session_panel(store: Store, session: Session) -> None:
    """Delete the session and everything in it, after typing its name (Begeleidersscherm)."""
    st.markdown(
        "Verwijder de sessie met alle deelnemers, antwoorden en instellingen. Dit kan niet ongedaan worden "
        "gemaakt; de begeleiderslink, de presentatielink en de persoonlijke links werken daarna niet meer."
    )
    typed = st.text_input(f"Typ ter bevestiging de naam van de sessie: {md(session.name)}", key=f"delete_name_{session.id}")
    if st.button("Sessie definitief verwijderen", type="primary", key=f"delete_session_{session.id}"):
        if " ".join(typed.split()) != " ".join(session.name.split()):
            st.error("De naam klopt niet; er is niets verwijderd. Typ de naam precies zoals hierboven.")
            return
        store.delete_session(session.id)
        st.session_state[DELETED_KEY] = "De sessie en alle antwoorden zijn verwijderd."
        st.rerun()


def deleted_message() -> bool:
    """Shows the message of a deletion just done (once); True when there was one."""
    message = st.session_state.pop(DELETED_KEY, None)
    if message:
        st.success(message)
        st.page_link("pages/start.py", label="Naar de startpagina", icon=":material/home:")
    return bool(message)


def delete_own_answers(store: Store, participant: Participant, session: Session | None) -> None:
    """A participant deletes their own answers through their personal link (while the session is open)."""
    with st.expander("Mijn antwoorden verwijderen"):
        if session is not None and session.closed:
            st.info("De sessie is gesloten. Wilt u uw antwoorden toch laten verwijderen, vraag het dan de begeleider.")
            return
        st.markdown(
            "Hiermee verwijdert u uw antwoorden, uw gemeente en uw rol. Ze tellen dan nergens meer mee. "
            "Daarna werkt de link naar deze pagina niet meer. Dit kan niet ongedaan worden gemaakt."
        )
        sure = st.checkbox("Ja, verwijder mijn antwoorden", key="delete_own_sure")
        if st.button("Verwijderen", disabled=not sure, key="delete_own"):
            try:
                store.delete_participant(participant.id)
            except SessionClosed as e:
                st.error(str(e))
                return
            st.session_state[DELETED_KEY] = "Uw antwoorden zijn verwijderd."
            st.rerun()


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Amsterdam")
