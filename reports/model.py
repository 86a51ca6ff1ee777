"""The report as plain data, built once (services/report.py) and rendered by reports/pdf.py and reports/docx.py.

Every text in it is final Dutch text (numbers already as "4,2"): the renderers only lay it out, so the
PDF and the DOCX cannot say different things. No Streamlit, no Altair, no database here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"rij met {len(row)} cellen in een tabel met {len(self.columns)} kolommen")
            if not all(isinstance(cell, str) for cell in row):
                raise TypeError(f"een tabelcel moet tekst zijn (Nederlands opgemaakt): {row!r}")


@dataclass(frozen=True)
class FigureBlock:
    key: str
    title: str
    finding: str  # the sentence under the chart on the screen (findings/), also the image's alt text start
    svg: str  # vector image (for the PDF)
    png: bytes  # the same chart as PNG (for the DOCX: Word documents built with python-docx take no SVG)
    table: Table  # the numbers behind the chart, as on the screen
    alt: str = ""


@dataclass(frozen=True)
class Block:
    """A chapter: a heading, then paragraphs, a bulleted list, numbered items, figures and a table."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    numbered: list[tuple[str, str]] = field(default_factory=list)  # (bold start, rest)
    figures: list[FigureBlock] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page_break_before: bool = False


@dataclass(frozen=True)
class Report:
    kind: str  # "raad" (a session's raadsrapportage) or "zelfscan" (uw eigen beeld)
    title: str
    subtitle: str
    cooperation: str
    date: str  # written out, Dutch
    cover_lines: list[str]
    cover_tables: list[Table]
    blocks: list[Block]
    colophon: list[str]
    language: str = "nl"

    @property
    def file_stem(self) -> str:
        import re

        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.cooperation).strip("-").lower()[:40] or "samenwerking"
        return f"{'raadsrapportage' if self.kind == 'raad' else 'zelfscan'}-{slug}"


# Relative widths of table columns (PDF and DOCX alike): a column of sentences gets the room, a column
# of names some, numbers stay narrow.
SENTENCE_COLUMNS = ("Stelling", "Antwoord")
LABEL_COLUMNS = ("Onderdeel", "Criterium", "Gemeente", "Rol")


def column_weights(columns: list[str]) -> list[float]:
    return [4.0 if c in SENTENCE_COLUMNS else 1.6 if c in LABEL_COLUMNS and len(columns) > 4 else 1.0 for c in columns]
