"""Begeleidersscherm (console): controls, status, counts, preview and exports; only by a begeleiderslink /dashboard?f=<token>."""

import streamlit as st

from services import open_answers
from ui import console, context, exports_panel, figures, link_admin, open_moderation, privacy, rounds, slides, theme

st.set_page_config(page_title="Samenwerkingsspiegel – begeleidersscherm", layout="wide")
theme.apply()
slides.css(projector=False)
console.css()

store = context.store()
q = context.questionnaire()
token = st.query_params.get("f")


def no_access() -> None:
    st.title("Geen toegang")
    st.error(
        "Het begeleidersscherm opent alleen met een geldige begeleiderslink, die u kreeg bij het aanmaken van de "
        "sessie. Controleer of u de hele link hebt gekopieerd; een ingetrokken link werkt niet meer."
    )
    st.page_link("pages/start.py", label="Naar de startpagina", icon="↩️")


session = store.session_by_facilitator_token(token)
if session is None and privacy.deleted_message():
    st.stop()  # the begeleider just deleted this session
if session is None:
    no_access()
    st.stop()

console.header(session)
paused = console.pause_button()
view = store.presenter_view(session.id)
st.session_state["_console_state"] = console.signature(session, view)  # what the buttons below are drawn for
console.board(store, q, session, view)


@st.fragment(run_every=None if paused else figures.REFRESH_SECONDS)
def live() -> None:
    current = store.session_by_facilitator_token(token)  # checked every poll: a revoked link stops at once
    if current is None:
        st.rerun()  # revoked: the whole page (exports and links too) becomes "Geen toegang"
    if console.signature(current, store.presenter_view(current.id)) != st.session_state.get("_console_state"):
        st.rerun()  # changed (here or on another console): buttons, slide list and exports follow
    console.live(store, q, current)


live()
console.slide_list(store, q, session, view)

st.divider()
pending = open_answers.counts(store, session.id)["pending"]
with st.expander(
    f"Open antwoorden modereren ({pending} nieuw)" if pending else "Open antwoorden modereren", expanded=bool(pending)
):
    open_moderation.panel(store, q, store.session(session.id))
with st.expander(rounds.title(store, session), expanded=rounds.NEW_ROUND_KEY in st.session_state):
    rounds.panel(store, q, store.session(session.id))
with st.expander("Exports voor raad en griffie"):
    exports_panel.panel(store, q, store.session(session.id))
with st.expander("Links: presentatielink, begeleiderslink voor een collega, intrekken"):
    link_admin.panel(store, store.session(session.id), store.link_by_token(token))
with st.expander("Privacy: bewaartermijn en sessie verwijderen"):
    privacy.retention_control(store, store.session(session.id))
    privacy.delete_session_panel(store, store.session(session.id))
privacy.footer()
