"""Samenwerkingsspiegel: entry point. Sets up navigation; the pages live in pages/.

Each page starts with ui.theme.apply(): Streamlit does not show elements that the entry point
writes outside the page on any page but the default one."""

import streamlit as st

from ui import process

st.set_page_config(
    page_title="Samenwerkingsspiegel",
    page_icon="🪞",
    layout="centered",
    initial_sidebar_state="collapsed",
)

process.tune()  # once per process: garbage collection that does not stall a full hall

PAGES = [
    st.Page("pages/start.py", title="Start", default=True),
    st.Page("pages/vragenlijst.py", title="Vragenlijst", url_path="vragenlijst"),
    st.Page("pages/workshop.py", title="Workshop organiseren", url_path="workshop"),
    st.Page("pages/dashboard.py", title="Begeleidersscherm", url_path="dashboard"),
    st.Page("pages/scherm.py", title="Presentatiescherm", url_path="scherm"),
    st.Page("pages/privacy.py", title="Privacy", url_path="privacy"),
    st.Page("pages/regio.py", title="Regio-overzicht", url_path="regio"),
]

page = st.navigation(PAGES, position="hidden")
with process.page_slot():  # full page runs take turns (see ui/process.py); answer taps do not wait
    page.run()
