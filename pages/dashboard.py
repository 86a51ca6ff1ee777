"""Projector dashboard and facilitator controls, reached only by the facilitator link /dashboard?f=<token>."""

import streamlit as st

from ui import context, dashboard, privacy, theme

st.set_page_config(page_title="Samenwerkingsspiegel – dashboard", layout="wide")
theme.apply()

store = context.store()
q = context.questionnaire()
session = store.session_by_facilitator_token(st.query_params.get("f"))

if session is None and privacy.deleted_message():
    st.stop()  # the begeleider just deleted this session
if session is None:
    st.title("Geen toegang")
    st.error(
        "Het dashboard opent alleen met de facilitatorlink die u kreeg bij het aanmaken van de sessie. "
        "Controleer of u de hele link hebt gekopieerd."
    )
    st.page_link("pages/start.py", label="Naar de startpagina", icon="↩️")
    st.stop()

dashboard.header(session)
dashboard.controls(store, session)
paused = st.session_state.get("dash_paused", False)


@st.fragment(run_every=None if paused else dashboard.REFRESH_SECONDS)
def live() -> None:
    dashboard.live_panel(store, q, session.id)


live()

st.divider()
with st.expander("Exports voor raad en griffie"):
    dashboard.exports_panel(store, q, store.session(session.id))
with st.expander("Privacy: bewaartermijn en sessie verwijderen"):
    privacy.retention_control(store, store.session(session.id))
    privacy.delete_session_panel(store, store.session(session.id))
privacy.footer()
