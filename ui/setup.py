"""Set-up widgets shared by the zelfscan and workshop forms: legally required cooperation, optional modules."""

from __future__ import annotations

import streamlit as st

from questionnaire.loader import Questionnaire

NOT_REQUIRED = "Nee, de gemeenten doen vrijwillig mee"


def required_kind_select(q: Questionnaire, *, key: str) -> str | None:
    """'Is deze samenwerking wettelijk verplicht?': None (voluntary) or a required_kinds id."""
    labels = q.required_kind_label
    choice = st.selectbox(
        "Is deze samenwerking wettelijk verplicht?",
        [None, *labels],
        format_func=lambda k: NOT_REQUIRED if k is None else labels[k],
        key=key,
        help=(
            "Bij een verplichte samenwerking, zoals een veiligheidsregio, GGD of omgevingsdienst, is uittreden "
            "geen mogelijkheid. Het advies is dan nooit ‘stoppen’ en stellingen die daar niets zeggen, vallen weg."
        ),
    )
    return choice


def optional_modules_select(q: Questionnaire, *, key: str) -> list[str]:
    """Check boxes for the optional modules; returns the section ids of the chosen ones."""
    if not q.optional_modules:
        return []
    st.markdown("**Extra onderdelen** (niet verplicht)")
    chosen: list[str] = []
    for m in q.optional_modules:
        if st.checkbox(m.title, key=f"{key}_{m.id}"):
            chosen += [s.id for s in m.sections]
    return chosen
