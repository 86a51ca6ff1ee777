"""The questionnaire of one participant, reached by the personal link /vragenlijst?p=<token>."""

import streamlit as st

from ui import context, result, scan, theme

theme.apply()

store = context.store()
q = context.questionnaire()
token = st.query_params.get("p")
participant = store.participant_by_token(token)

if participant is None:
    st.title("Link niet herkend")
    st.error(
        "Deze persoonlijke link is niet geldig. Controleer of u de hele link hebt gekopieerd. "
        "Lukt het niet, begin dan opnieuw vanaf de startpagina."
    )
    st.page_link("pages/start.py", label="Naar de startpagina", icon="↩️")
    st.stop()

session = store.session(participant.session_id) if participant.session_id else None

if participant.finished:
    moved = scan.take_move()
    result.render(q, store, participant, session, token)
    if moved is not None:  # just finished: open the result at its title, not where the last step was
        theme.open_at("", moved)
else:
    scan.step_view(q, store, participant, session, token)
