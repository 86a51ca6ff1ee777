"""File exports (CSV for Dutch Excel, machine-readable CSV, XLSX, chart images). No Streamlit."""

from exports.tables import dutch_excel_csv, machine_csv, neutralise, neutralise_frame

__all__ = ["dutch_excel_csv", "machine_csv", "neutralise", "neutralise_frame"]
