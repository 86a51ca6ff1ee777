"""Link management on the Begeleidersscherm: a presentatielink, a begeleiderslink for a colleague, revoking links."""

from __future__ import annotations

import streamlit as st

from formatting import fmt_datetime
from storage import Session, Store
from storage.store import FACILITATOR, PROJECTOR, SessionLink
from ui import links
from ui.console import act

KIND_LABEL = {FACILITATOR: "Begeleiderslink", PROJECTOR: "Presentatielink"}
_NEW_KEY = "_new_links_{}"  # per session: {kind: token} made in this browser tab (shown while the tab lives)


def panel(store: Store, session: Session, own: SessionLink | None) -> None:
    new = st.session_state.setdefault(_NEW_KEY.format(session.id), {})
    st.markdown(
        "Open de **presentatielink** op de computer aan de beamer: die toont alleen wat de zaal ziet en kan niets "
        "veranderen. Een **begeleiderslink** geeft alle knoppen en de exports; maak er een voor een collega. "
        "Links worden alleen bij het maken getoond; een link die uitlekt, trekt u hieronder in."
    )
    c1, c2 = st.columns(2)
    with c1:
        st.button("Nieuwe presentatielink maken", on_click=act, args=(store, _make, store, session.id, PROJECTOR), width="stretch", key="btn_new_projector")
        if PROJECTOR in new:
            url = links.projector_url(new[PROJECTOR])
            st.code(url, language=None, wrap_lines=True)
            st.link_button("Presentatiescherm openen", url, width="stretch")
    with c2:
        st.button("Begeleiderslink voor een collega maken", on_click=act, args=(store, _make, store, session.id, FACILITATOR), width="stretch", key="btn_new_facilitator")
        if FACILITATOR in new:
            st.code(links.facilitator_url(new[FACILITATOR]), language=None, wrap_lines=True)
    _list(store, session, own)


def _make(store: Store, session_id: int, kind: str) -> None:
    _, token = store.create_link(session_id, kind)
    st.session_state.setdefault(_NEW_KEY.format(session_id), {})[kind] = token


def _list(store: Store, session: Session, own: SessionLink | None) -> None:
    st.markdown("**Alle links van deze sessie**")
    for link in store.links(session.id):
        made = f"gemaakt {fmt_datetime(link.created_at)}"
        mine = own is not None and own.id == link.id
        if link.revoked_at is not None:
            state = f"ingetrokken {fmt_datetime(link.revoked_at)}"
        else:
            state = "deze link gebruikt u nu" if mine else "werkt"
        left, right = st.columns([3, 1], vertical_alignment="center")
        with left:
            st.markdown(f"{KIND_LABEL.get(link.kind, link.kind)} {link.id} · {made} · {state}")
        with right:
            if link.revoked_at is None and not mine:
                st.button("Intrekken", on_click=act, args=(store, store.revoke_link, session.id, link.id), width="stretch", key=f"revoke_{link.id}")
