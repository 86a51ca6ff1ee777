"""Joining a workshop session by code (phone first)."""

from __future__ import annotations

import streamlit as st

from storage import StoreError
from storage.store import normalise_code
from ui import context
from ui.text import md


def code_form() -> None:
    with st.form("join_code", border=False):
        raw = st.text_input("Deelnamecode", max_chars=12, placeholder="Bijvoorbeeld: K7MX3P", help="De code van 6 tekens op het scherm.")
        go = st.form_submit_button("Meedoen", type="primary", width="stretch")
    if go:
        code = normalise_code(raw)
        if code is None:
            st.error("Dat is geen geldige deelnamecode. Een code heeft 6 letters en cijfers, bijvoorbeeld K7MX3P.")
        else:
            st.switch_page("pages/start.py", query_params={"code": code})


def _back_link() -> None:
    st.page_link("pages/start.py", label="Naar de startpagina", icon="↩️")


def render(raw_code: str | None) -> None:
    q = context.questionnaire()
    store = context.store()
    code = normalise_code(raw_code)
    if code is None:
        st.error("Deze link bevat geen geldige deelnamecode. Controleer de link of typ de code van het scherm hieronder.")
        code_form()
        return
    session = store.session_by_code(code)
    if session is None:
        st.error(f"Er is geen sessie met deelnamecode {code}. Controleer de code op het scherm.")
        code_form()
        return
    if session.closed:
        st.warning(f"De sessie ‘{md(session.name)}’ is gesloten. Meedoen kan niet meer.")
        _back_link()
        return

    st.title(md(session.name))
    st.markdown(
        "U doet mee aan een gezamenlijke spiegel van deze samenwerking. Uw antwoorden zijn anoniem: "
        f"resultaten worden alleen getoond voor groepen van minstens {session.min_group_size} personen. "
        f"Het invullen duurt ongeveer {q.settings.minutes} minuten."
    )
    roles = [r for r in q.settings.roles if r.id in session.roles]
    with st.form("join_session", border=False):
        municipality = st.radio("Uw gemeente", list(session.municipalities), index=None, format_func=md)
        role = st.radio("Uw rol", [r.id for r in roles], index=None, format_func=lambda r: q.role_by_id[r].label)
        go = st.form_submit_button("Beginnen", type="primary", width="stretch")
    if go:
        if municipality is None or role is None:
            st.error("Kies uw gemeente en uw rol.")
            return
        try:
            _, token = store.create_participant(
                cooperation=session.name, municipality=municipality, role=role, session_id=session.id
            )
        except StoreError as e:
            st.error(str(e))
            return
        st.switch_page("pages/vragenlijst.py", query_params={"p": token})
