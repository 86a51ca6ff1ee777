"""Altair chart builders (no Streamlit): the page decides where to draw them."""
