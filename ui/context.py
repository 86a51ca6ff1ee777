"""Long-lived resources for the pages: the content and the store, created once per process."""

from __future__ import annotations

import streamlit as st
from questionnaire.municipalities import MunicipalityList, load_municipalities

from questionnaire.loader import ContentError, Questionnaire, load_questionnaire
from services import retention
from storage import Store


@st.cache_resource(show_spinner=False)
def _questionnaire() -> Questionnaire:
    return load_questionnaire()


@st.cache_resource(show_spinner=False)
def _municipalities() -> MunicipalityList:
    return load_municipalities()


@st.cache_resource(show_spinner=False)
def store() -> Store:
    s = Store()
    retention.start_daily_purge(s)  # AVG: expired sessions go at start-up and then daily
    return s


def questionnaire() -> Questionnaire:
    """The validated content; a broken content file stops the page with one clear message."""
    try:
        return _questionnaire()
    except ContentError as e:
        st.error(f"De vragenlijst kan niet worden geladen. {e}")
        st.stop()


def municipalities() -> MunicipalityList:
    try:
        return _municipalities()
    except ContentError as e:
        st.error(f"De lijst met gemeenten kan niet worden geladen. {e}")
        st.stop()
