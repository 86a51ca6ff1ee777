"""The raadsrapportage (PDF with Typst, DOCX with python-docx) and the zelfscan's 'uw eigen beeld', read back."""

from __future__ import annotations

import io

import pypdf
import pytest
from docx import Document

import scoring
from charts.style import fmt_number
from services import open_answers, report, workshop
from tests.test_workshop_service import MUNICIPALITIES, build_session

HOSTILE = "GR *West* #1 $x$ <b>vet</b> [link](https://voorbeeld.nl)"


@pytest.fixture
def session_report(store, q):
    session, names = build_session(store, q, name=HOSTILE)
    # One open answer approved, one hidden: only the approved one may reach the report.
    from sqlalchemy import select

    from storage import schema

    with store.engine.connect() as c:
        ids = c.execute(select(schema.participants.c.id).where(schema.participants.c.session_id == session.id)).scalars().all()
    open_answers.submit(store, ids[0], 0, "Eerst de begroting bespreken")
    open_answers.submit(store, ids[1], 0, "Dit mag niemand zien")
    store.set_open_answer_status(session.id, "approved", participant=names["B1"])
    store.set_open_answer_status(session.id, "hidden", participant=names["B2"])
    rep = report.raad_report(store, q, session)
    return session, rep, report.pdf(rep), report.docx(rep)


def _pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_raad_pdf_holds_the_rounded_scores_name_and_response(store, q, session_report):
    session, _rep, pdf, _ = session_report
    pages = _pdf_pages(pdf)
    text = " ".join(pages)
    assert all(len(p) > 80 for p in pages), "a page without text (blank)"
    assert HOSTILE in text  # a typed name is text, not Typst markup
    assert "Respons per gemeente" in text and "Anonimiteitsgrens" in text
    data = workshop.load_session_data(store, q, session)
    agg = scoring.aggregate_sections(data.sections, data.active, ["municipality"], data.min_n, q)
    shown = agg[~agg["suppressed"] & agg["mean"].notna()]
    assert set(shown["municipality"]) == {"Berkdal", "Meerwijk"}  # Ooststad has 2 < 3
    grid = text.split("Gemiddelde score (band) per onderdeel", 1)[1]
    for r in shown.itertuples():
        assert fmt_number(r.mean) in grid, (r.municipality, r.section, r.mean)
    # The small group is named but without a number.
    assert "Ooststad" in text and "te weinig deelnemers" in text
    assert "Eerst de begroting bespreken" in text and "Dit mag niemand zien" not in text
    for heading in (
        "Samenvatting",
        "Drie onderwerpen voor het gesprek",
        "Stopcriteria en advies",
        "Hoe is gemeten?",
        "Bijlage: alle stellingen",
        "Colofon",
    ):
        assert heading in text, heading
    for item in q.section_by_id["eerlijk"].items:  # the annex lists every statement
        assert " ".join(item.text.split()) in text


def test_raad_pdf_is_tagged_for_accessibility(session_report):
    _, rep, pdf, _ = session_report
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-NL" or str(root["/Lang"]).startswith("nl")
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == rep.title
    assert b"pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()  # declares PDF/UA-1


def test_raad_docx_has_word_headings_and_the_same_tables(store, q, session_report):
    session, rep, _pdf, docx_bytes = session_report
    doc = Document(io.BytesIO(docx_bytes))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", rep.title) in headings
    assert ("Heading 2", "Samenvatting") in headings and ("Heading 2", "Bijlage: alle stellingen") in headings
    assert ("Heading 3", "Scores per onderdeel en gemeente") in headings
    # Every table of the model is a Word table with the same cells (the heatmap grid, for one).
    model_tables = [t for b in rep.blocks for t in [*(f.table for f in b.figures), *b.tables]] + rep.cover_tables
    assert len(doc.tables) == len(model_tables)
    words = {tuple(c.text for c in t.rows[0].cells) for t in doc.tables}
    for t in model_tables:
        assert tuple(t.columns) in words
    heat = next(f.table for b in rep.blocks for f in b.figures if f.key == "heatmap_gemeenten")
    word = next(t for t in doc.tables if tuple(c.text for c in t.rows[0].cells) == tuple(heat.columns))
    assert [[c.text for c in row.cells] for row in word.rows[1:]] == heat.rows
    assert heat.columns == ["Onderdeel", *MUNICIPALITIES]
    assert len(doc.inline_shapes) == sum(len(b.figures) for b in rep.blocks)
    assert all(s._inline.docPr.get("descr") for s in doc.inline_shapes)  # every figure has alt text


def test_zelfscan_report_is_short_and_says_it_is_ones_own_view(store, q):
    from tests.test_app_zelfscan import ANSWERS

    p, _ = store.create_participant(cooperation="GR Eigen", municipality="Utrecht", role="wethouder")
    store.save_answers(p.id, {k: v for k, v in ANSWERS.items() if k in q.item_by_id})
    store.finish(p.id)
    rep = report.zelfscan_report(store, q, store.participant(p.id))
    pages = _pdf_pages(report.pdf(rep))
    assert 1 <= len(pages) <= 2
    text = " ".join(pages)
    assert "Uw eigen beeld" in text and "GR Eigen" in text
    result = report.scan.personal_result(q, store.answers_of(p.id))
    for r in result.scored.itertuples():
        assert fmt_number(r.score) in text
    doc = Document(io.BytesIO(report.docx(rep)))
    assert any(p.style.name == "Heading 1" and "Uw eigen beeld" in p.text for p in doc.paragraphs)


def test_the_second_rounds_report_has_the_trend_with_small_groups_suppressed(store, q):
    """Round 2 of a cooperation: the trend section in PDF and DOCX says the same as the trend
    (changes as rounded), names what rose or fell, and a group below the minimum in round 1 has no number."""
    from docx import Document

    from findings import trend as trend_words
    from scoring import trend as trends
    from services import cooperation
    from tests.test_trend import _answer_all, _first

    first, _ = _first(store, q)
    _answer_all(store, q, first, {"Tiel": [4, 4, 3], "Culemborg": [2, 3, 3], "Buren": [5, 4]})  # Buren 2 < 3
    cooperation.set_closed(store, q, first.id, True)
    second, _ = cooperation.start_next_round(store, q, first)
    _answer_all(store, q, second, {"Tiel": [3, 3, 3], "Culemborg": [4, 4, 3], "Buren": [4, 4, 4]})
    second = store.session(second.id)
    found = cooperation.trend(store, q, second)
    rep = report.raad_report(store, q, second)
    pdf, doc = report.pdf(rep), report.docx(rep)
    pages = _pdf_pages(pdf)
    text = " ".join(pages)
    assert all(len(p) > 80 for p in pages), "a page without text (blank)"
    assert "Vergelijking met de eerdere rondes" in text and "Verandering sinds de vorige ronde" in text
    assert "Advies per ronde" in text
    assert "Ronde 2 (" in text and "vragenlijst versie" in text
    assert " ".join(trend_words.trend_sentence(found, q).split()) in text  # the summary says what the slide says
    section_of = {s.id: s.title for s in q.sections}
    after_heading = text.split("Verandering sinds de vorige ronde", 2)[-1]
    for r in found.changes.itertuples():
        sign = "+" if r.delta > 0 else "-"
        assert f"{sign}{fmt_number(abs(r.delta))}" in after_heading, (r.section, r.group, r.delta)
        assert section_of[r.section] in after_heading
    # Buren was below the minimum in round 1: no round-1 number for Buren anywhere in the trend table.
    buren_r1 = found.table[(found.table["group"] == "Buren") & (found.table["round"] == 1)]
    assert buren_r1["suppressed"].all() and buren_r1["mean"].isna().all()
    word = Document(io.BytesIO(doc))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Vergelijking met de eerdere rondes" in headings
    trend_tables = [t for t in word.tables if any("Verschil" in c.text for c in t.rows[0].cells)]
    assert trend_tables, "the trend table is a real Word table"
    rows = [[c.text for c in row.cells] for row in trend_tables[0].rows]
    buren_rows = [r for r in rows if "Buren" in r]
    assert buren_rows and all("te weinig deelnemers" in " ".join(r) for r in buren_rows)
    groups = {r[1] for r in rows[1:]}
    assert "Alle gemeenten" in groups and trends.ALL not in groups  # everyone in words, never the code
