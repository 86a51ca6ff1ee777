"""Netwerkregie: a region's portfolio of cooperations (model, sheet import and export, the overview's views). No Streamlit."""
