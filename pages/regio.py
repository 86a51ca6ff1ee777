"""Regio-overzicht (netwerkregie): a region's cooperations; /regio?r=<token> (eigenaarslink: changes; a council's link: read-only), &dia=1 for the projector."""

import streamlit as st

from services import portfolio
from ui import context, regio, theme

st.set_page_config(page_title="Samenwerkingsspiegel – regio-overzicht", layout="wide")
theme.apply()
regio.css(slide=bool(st.query_params.get(regio.SLIDE_PARAM)))

store = context.store()
q = context.questionnaire()
token = st.query_params.get(regio.PARAM)

if not token:
    regio.new_region(store)
    st.stop()
access = portfolio.open_region(store, token)
if access is None:
    regio.no_access()
    st.stop()
if st.query_params.get(regio.SLIDE_PARAM):
    regio.slide(store, q, access)
else:
    regio.page(store, q, context.municipalities(), token, access)
