"""Long-lived resources for the pages: the content and the store, created once per process."""

from __future__ import annotations

import streamlit as st

from questionnaire.loader import ContentError, Questionnaire, load_questionnaire
from questionnaire.municipalities import MunicipalityList, load_municipalities
from services import retention
from storage import Store
from storage.migrate import MigrationError


@st.cache_resource(show_spinner=False)
def _questionnaire() -> Questionnaire:
    return load_questionnaire()


@st.cache_resource(show_spinner=False)
def _municipalities() -> MunicipalityList:
    return load_municipalities()


@st.cache_resource(show_spinner=False)
def _store() -> Store:
    s = Store()  # migrates the database to the current schema on the first call in a process
    try:
        content = _questionnaire()  # a round's published results are kept before its session goes
    except ContentError:
        content = None
    retention.start_daily_purge(s, q=content)  # AVG: expired sessions go at start-up and then daily
    return s


def store() -> Store:
    """The store; a database that cannot be migrated stops the page with the one Dutch message."""
    try:
        return _store()
    except MigrationError as e:
        st.error(str(e))
        st.stop()


store.clear = _store.clear  # tests start each app with a fresh store


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
