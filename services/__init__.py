"""Application services: the glue between content, scoring, storage and exports. No Streamlit."""
