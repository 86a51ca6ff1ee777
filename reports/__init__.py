"""Reports for the raad and for one person: a plain report model, rendered as PDF (Typst) and DOCX (python-docx)."""

from reports.model import Block, FigureBlock, Report, Table

__all__ = ["Block", "FigureBlock", "Report", "Table"]
