"""After creating a session: the links shown once, and the sessiekaart to download."""

from __future__ import annotations

import streamlit as st

from services.session_card import card_html
from storage import Store
from ui import links


def show(store: Store, token: str, code: str, projector_token: str | None) -> None:
    session = store.session_by_facilitator_token(token)
    st.success(f"De sessie is aangemaakt. Deelnamecode: **{code}**")
    st.markdown(
        "#### Uw begeleiderslink\n"
        "Dit is uw toegang tot het begeleidersscherm: de knoppen, de tellingen en de exports van deze sessie. "
        "Deel hem niet met deelnemers. Hij wordt maar één keer getoond: **download nu de sessiekaart** "
        "(met beide links, de deelnamecode en de datum) of kopieer hem met het knopje rechtsboven in het vak."
    )
    st.code(links.facilitator_url(token), language=None, wrap_lines=True)
    if projector_token:
        st.markdown("#### Presentatielink, voor de computer aan de beamer\nToont alleen wat de zaal ziet; hiermee kan niemand iets veranderen.")
        st.code(links.projector_url(projector_token), language=None, wrap_lines=True)
    st.markdown(f"Deelnemers doen mee via **{links.join_url(code)}** of met de code **{code}** op de startpagina.")
    if session is not None and projector_token:
        st.download_button(
            "Sessiekaart downloaden (om te bewaren of af te drukken)",
            card_html(
                name=session.name,
                join_code=code,
                join_url=links.join_url(code),
                facilitator_url=links.facilitator_url(token),
                projector_url=links.projector_url(projector_token),
                created_at=session.created_at,
            ),
            file_name=f"sessiekaart-{code}.html",
            mime="text/html",
            on_click="ignore",
            type="primary",
            width="stretch",
            key="dl_session_card",
        )
    c1, c2 = st.columns(2)
    with c1:
        st.link_button("Begeleidersscherm openen", links.facilitator_url(token), width="stretch")
    with c2:
        if projector_token:
            st.link_button("Presentatiescherm openen", links.projector_url(projector_token), width="stretch")
