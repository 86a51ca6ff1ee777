"""Presentatiescherm: what the room sees, one slide at a time; opened by the read-only presentatielink /scherm?s=<token>."""

import streamlit as st

from ui import context, figures, slides, theme

st.set_page_config(page_title="Samenwerkingsspiegel – presentatiescherm", layout="wide")
theme.apply()
slides.css(projector=True)

store = context.store()
q = context.questionnaire()
token = st.query_params.get("s")


def no_access() -> None:
    st.title("Geen toegang")
    st.error(
        "Het presentatiescherm opent alleen met een geldige presentatielink. "
        "Vraag de begeleider om een nieuwe presentatielink."
    )


if store.session_by_projector_token(token) is None:
    no_access()
    st.stop()


@st.fragment(run_every=figures.PROJECTOR_SECONDS)
def live() -> None:
    session = store.session_by_projector_token(token)  # checked every poll: a revoked link stops at once
    if session is None:
        no_access()
        return
    with st.container(key="slide"):
        slides.render(store, q, session)


live()
