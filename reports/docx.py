"""Render a report as DOCX with python-docx: real Word headings and tables, so the griffie can edit it
into a raadsvoorstel or raadsinformatiebrief. Figures go in as PNG (python-docx takes no SVG)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.model import Report, Table, column_weights


def _set_language(doc, lang: str = "nl-NL") -> None:
    """Dutch as the document's language (spelling check, screen readers)."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


TEXT_WIDTH_CM = 16.5


def _table(doc, t: Table) -> None:
    if t.caption:
        p = doc.add_paragraph(t.caption)
        p.runs[0].italic = True
        p.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    for row in t.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    weights = column_weights(t.columns)
    for column, weight in zip(table.columns, weights, strict=True):  # the grid (LibreOffice reads this)
        column.width = Cm(TEXT_WIDTH_CM * weight / sum(weights))
    for row in table.rows:  # and every cell (Word reads this)
        for cell, weight in zip(row.cells, weights, strict=True):
            cell.width = Cm(TEXT_WIDTH_CM * weight / sum(weights))
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(8.5)
    doc.add_paragraph()


def render_docx(report: Report) -> bytes:
    doc = Document()
    _set_language(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = "Samenwerkingsspiegel"
    doc.core_properties.language = "nl-NL"
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.1)

    sub = doc.add_paragraph(report.subtitle)
    sub.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    doc.add_heading(report.title, level=1)
    for line in report.cover_lines:
        doc.add_paragraph(line)
    for t in report.cover_tables:
        _table(doc, t)

    for block in report.blocks:
        if block.page_break_before:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(block.heading, level=2)
        for text in block.paragraphs:
            doc.add_paragraph(text)
        for text in block.bullets:
            doc.add_paragraph(text, style="List Bullet")
        for bold, rest in block.numbered:
            p = doc.add_paragraph(style="List Number")
            p.add_run(bold).bold = True
            p.add_run(rest)
        for fig in block.figures:
            doc.add_heading(fig.title, level=3)
            doc.add_paragraph(fig.finding).paragraph_format.keep_with_next = True  # stays with its picture
            doc.add_picture(io.BytesIO(fig.png), width=Cm(TEXT_WIDTH_CM))
            _alt_text(doc, fig.alt or f"{fig.title}. {fig.finding}")
            _table(doc, fig.table)
        for t in block.tables:
            _table(doc, t)

    doc.add_heading("Colofon", level=2)
    for line in report.colophon:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _alt_text(doc, text: str) -> None:
    """Alternative text on the last inline picture (Word's 'descr' attribute)."""
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", text)
    inline.docPr.set("title", text[:100])
