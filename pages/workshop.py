"""Workshop set-up (facilitator). Built in the workshop issue."""

import streamlit as st

st.title("Workshop organiseren")
st.info("Deze functie komt binnenkort.")
