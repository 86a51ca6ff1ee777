"""The begeleider's moderation of open answers on the console: approve or hide, one by one or all."""

from __future__ import annotations

from functools import partial

import streamlit as st

from questionnaire.loader import Questionnaire
from services import open_answers
from storage import Session, Store
from ui.console import act
from ui.text import md


def _set(store: Store, session_id: int, status: str, **which) -> None:
    store.set_open_answer_status(session_id, status, **which)


def panel(store: Store, q: Questionnaire, session: Session) -> None:
    """Every open answer with its status; nothing reaches the Presentatiescherm before approval."""
    frame = open_answers.moderation_frame(store, q, session)
    n = open_answers.counts(store, session.id)
    st.markdown(
        f"**Open antwoorden**: {n['pending']} nieuw, {n['approved']} goedgekeurd, {n['hidden']} verborgen. "
        "De zaal ziet alleen goedgekeurde antwoorden, zonder naam of gemeente."
    )
    if frame.empty:
        st.caption("Nog geen open antwoorden.")
        return
    left, right = st.columns(2)
    with left:
        st.button(
            f"Alle nieuwe goedkeuren ({n['pending']})",
            on_click=act,
            args=(store, partial(_set, store, session.id, "approved", only_pending=True)),
            disabled=not n["pending"],
            width="stretch",
            key="open_approve_all",
        )
    with right:
        st.button(
            "Alles verbergen",
            on_click=act,
            args=(store, partial(_set, store, session.id, "hidden")),
            disabled=not (n["pending"] or n["approved"]),
            width="stretch",
            key="open_hide_all",
        )
    for question, part in frame.groupby("Vraag", sort=False):
        st.markdown(f"##### {md(question)}")
        for row in part.itertuples():
            with st.container(border=True, key=f"open_{row.participant}_{row.position}"):
                st.text(row.Antwoord)  # typed by a participant: plain text, never markdown
                c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="center")
                c1.caption(row.Status)
                c2.button(
                    "Goedkeuren",
                    on_click=act,
                    args=(
                        store,
                        partial(_set, store, session.id, "approved", participant=row.participant, position=int(row.position)),
                    ),
                    disabled=row.Status == open_answers.STATUS_LABEL["approved"],
                    key=f"open_ok_{row.participant}_{row.position}",
                    width="stretch",
                )
                c3.button(
                    "Verbergen",
                    on_click=act,
                    args=(
                        store,
                        partial(_set, store, session.id, "hidden", participant=row.participant, position=int(row.position)),
                    ),
                    disabled=row.Status == open_answers.STATUS_LABEL["hidden"],
                    key=f"open_hide_{row.participant}_{row.position}",
                    width="stretch",
                )
