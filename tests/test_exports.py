"""exports.session: CSV for Dutch Excel, machine CSV, the XLSX workbook and chart PNGs.

The session is the one of tests/test_workshop_service.py (Berkdal 4, Meerwijk 3, Ooststad 2 with
answers; anonymity minimum 3).
"""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

import scoring
from exports import dutch_excel_csv, machine_csv
from exports import session as ex
from services.workshop import comparison_figures, load_session_data
from tests.test_workshop_service import PEOPLE, build_session

BOM = b"\xef\xbb\xbf"
PNG = b"\x89PNG\r\n\x1a\n"
INJECTIONS = ['=HYPERLINK("http://x","klik")', "+1", "-2+3", "@SUM(A1)", "\tx", "\nx"]


@pytest.fixture
def built(store, q):
    session, names = build_session(store, q)
    return load_session_data(store, q, session), names


def read_results(b: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(b), sep=";", decimal=",", encoding="utf-8-sig")


def sheet_rows(wb, name: str) -> list[tuple]:
    return list(wb[name].iter_rows(values_only=True))


def sheet_dicts(wb, name: str) -> list[dict]:
    """The rows as dicts of the raw cell values (Python types as openpyxl read them)."""
    rows = sheet_rows(wb, name)
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def sheet_frame(wb, name: str) -> pd.DataFrame:
    rows = sheet_rows(wb, name)
    return pd.DataFrame(rows[1:], columns=rows[0])


# ---------------------------------------------------------------- CSV


def test_results_csv_parses_back_with_the_scoring_numbers(built, q):
    data, names = built
    per_m = ex.results_csv(data, q, "Per gemeente")
    assert per_m.startswith(BOM)
    df = read_results(per_m)
    assert list(df.columns) == ["Gemeente", *ex.GROUP_COLUMNS]
    public = data.public  # the published view: complementary suppression (scoring.disclosure)
    expected = scoring.aggregate_sections(public.sections, public.active, ["municipality"], 3, q)
    sections = df[df["Soort"] == "Onderdeel"].set_index(["Gemeente", "Code"])
    for r in expected[~expected["suppressed"]].itertuples():
        row = sections.loc[(r.municipality, r.section)]
        assert int(row["Deelnemers"]) == r.n
        for col, value in [
            ("Gemiddelde", r.mean),
            ("Mediaan", r.median),
            ("Standaardafwijking", r.std),
            ("Laagste", r.min),
            ("Hoogste", r.max),
            ("Overeenstemming", r.agreement),
        ]:
            assert row[col] == pytest.approx(round(value, 2)), (r.municipality, r.section, col)
    # Hand check: Berkdal eigenaarschap (4+5+5+4)/4 = 4.5, Meerwijk (2+3+2)/3 = 2.33 -> 2.3 (rounded once).
    assert sections.loc[("Berkdal", "eigenaarschap"), "Gemiddelde"] == 4.5
    assert sections.loc[("Meerwijk", "eigenaarschap"), "Gemiddelde"] == 2.3
    assert sections.loc[("Berkdal", "eigenaarschap"), "Uitkomst"] == "Sterk"
    crit = df[df["Soort"] == "Stopcriterium"].set_index(["Gemeente", "Code"])
    assert crit.loc[("Berkdal", "geen_gedeelde_opgave"), "Gemiddelde"] == 4.0
    assert crit.loc[("Berkdal", "geen_gedeelde_opgave"), "Uitkomst"] == "Rood"
    advice = df[df["Soort"] == "Advies"].set_index(["Gemeente", "Code"])
    assert advice.loc[("Berkdal", "stoppen"), "Aandeel (%)"] == 100.0
    assert int(advice.loc[("Berkdal", "stoppen"), "Deelnemers"]) == 4

    # The scores per person are in the begeleider's raw workbook only.
    wb = openpyxl.load_workbook(io.BytesIO(ex.raw_file(data, q, "xlsx")))
    per_person = sheet_frame(wb, "Scores per deelnemer").set_index("Deelnemer")
    scores = data.sections.set_index(["participant", "section"])["score"]
    for s in q.scored_sections(data.section_ids(q)):
        for key in ("B1", "M3", "O2"):
            assert per_person.loc[names[key], s.title] == pytest.approx(round(scores[(names[key], s.id)], 2))
    assert per_person.loc[names["B1"], "Advies"] == "Stoppen"
    assert names["B5"] not in per_person.index  # joined but never answered


def test_small_groups_have_no_numbers_in_results(built, q):
    data, names = built
    number_cols = [
        "Deelnemers",
        "Gemiddelde",
        "Mediaan",
        "Standaardafwijking",
        "Laagste",
        "Hoogste",
        "Overeenstemming",
        "Aandeel (%)",
    ]
    df = read_results(ex.results_csv(data, q, "Per gemeente"))
    small = df[df["Gemeente"] == "Ooststad"]
    assert len(small) and small[number_cols[1:]].isna().all().all()
    assert (small["Deelnemers"] == "minder dan 3").all()
    assert (small["Opmerking"] == "te weinig deelnemers om te tonen").all()
    assert small["Uitkomst"].isna().all()
    assert df.loc[df["Gemeente"] != "Ooststad", "Opmerking"].isna().all()
    roles = read_results(ex.results_csv(data, q, "Per rol"))
    # Nobody of Ooststad counts, so Overig (O2 only) has nobody; College (B3, M3) and Ambtelijk (B4)
    # are taken together.
    assert set(roles["Rol"]) == {"Raad", "Rollen samengenomen", "Overig"}
    assert (roles.loc[roles["Rol"] == "Overig", "Deelnemers"] == "minder dan 3").all()
    assert roles.loc[roles["Rol"] != "Overig", "Opmerking"].isna().all()
    raad = roles[roles["Rol"] == "Raad"]
    assert raad.loc[raad["Soort"] != "Advies", "Gemiddelde"].notna().all()
    assert raad.loc[raad["Soort"] == "Advies", "Aandeel (%)"].sum() == pytest.approx(100)
    assert set(raad.loc[raad["Soort"] == "Onderdeel", "Deelnemers"].astype(int)) == {4}  # B1, B2, M1, M2; not O1

    # Per person (raw workbook, for the begeleider): Ooststad (2) and the small role groups are not
    # named next to a person's scores.
    raw = openpyxl.load_workbook(io.BytesIO(ex.raw_file(data, q, "xlsx")))
    per_person = sheet_frame(raw, "Scores per deelnemer").set_index("Deelnemer")
    assert "Ooststad" not in set(per_person["Gemeente"])
    assert per_person.loc[names["O1"], "Gemeente"] == ex.SMALL_GROUP
    assert per_person.loc[names["B1"], "Gemeente"] == "Berkdal"
    # College (B3 + M3 = 2), Ambtelijk (B4), Overig (O2) are below 3; Raad has 5, but Berkdal x Raad
    # has 2 (B1, B2) so B1's role is not shown next to 'Berkdal' either.
    assert set(per_person["Rolgroep"]) <= {"Raad", ex.SMALL_GROUP}
    assert per_person.loc[names["B3"], "Rolgroep"] == ex.SMALL_GROUP
    assert per_person.loc[names["B1"], "Rolgroep"] == ex.SMALL_GROUP
    # Rows in pseudonym order, so the order does not give the group away either.
    assert list(per_person.index) == sorted(per_person.index)

    wb = openpyxl.load_workbook(io.BytesIO(ex.workbook_xlsx(data, q)))
    sheet = sheet_frame(wb, "Per gemeente")
    small = sheet[sheet["Gemeente"] == "Ooststad"]
    assert len(small) and small[number_cols[1:]].isna().all().all() and (small["Deelnemers"] == "minder dan 3").all()
    assert wb.sheetnames == ["Toelichting", "Per gemeente", "Per rol", "Gespreksonderwerpen"]  # no row per person


def test_results_csv_unknown_table(built, q):
    data, _ = built
    with pytest.raises(ValueError, match="onbekende tabel"):
        ex.results_csv(data, q, "Alles")


def test_answers_csv_is_machine_readable(built, q):
    data, names = built
    b = ex.answers_csv(data, q)
    assert not b.startswith(BOM)
    assert b.startswith(b'"# NIET PUBLICEREN.')  # the warning is the first line of the file itself
    df = pd.read_csv(io.BytesIO(b), skiprows=1)
    assert list(df.columns) == ex.ANSWER_COLUMNS
    assert len(df) == len(data.answers)
    assert df["waarde"].dtype == np.int64 and set(df["waarde"]) <= {0, 1, 2, 3, 4, 5}
    assert (df["waarde"] == 0).sum() == 1  # B4's one 'weet niet'
    assert set(df["omgekeerd"]) == {0, 1}
    reverse = {i.id for i in q.items if i.reverse}
    assert (df["omgekeerd"] == df["stelling"].isin(reverse).astype(int)).all()
    assert set(df["onderdeel"]) == set(data.session.sections)
    row = df[(df["deelnemer"] == names["M2"])].iloc[0]
    assert (row["gemeente"], row["rol"], row["rolgroep"]) == ("Meerwijk", "griffier", "raad")
    assert pd.to_datetime(df["beantwoord_op"], utc=True).notna().all()
    assert df["beantwoord_op"].str.endswith("Z").all()
    assert df["afgerond_op"].isna().all()  # nobody pressed 'klaar' in this session


# ---------------------------------------------------------------- XLSX


def test_workbook_sheets_and_types(built, q):
    data, names = built
    wb = openpyxl.load_workbook(io.BytesIO(ex.workbook_xlsx(data, q)))
    assert wb.sheetnames == ["Toelichting", "Per gemeente", "Per rol", ex.TOPICS_SHEET]
    topics = sheet_rows(wb, ex.TOPICS_SHEET)
    assert topics[0] == ("Nr", "Onderwerp", "Wat", "Tip") and len(topics) == 4  # the three, as on the last slide
    raw = openpyxl.load_workbook(io.BytesIO(ex.raw_workbook_xlsx(data, q)))
    assert raw.sheetnames == ["Niet publiceren", "Antwoorden", "Scores per deelnemer"]
    assert sheet_rows(raw, "Niet publiceren")[1][1].startswith("NIET PUBLICEREN.")
    for ws in [*wb.worksheets, *raw.worksheets]:
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        assert ws.column_dimensions["A"].width > 8

    intro = dict(sheet_rows(wb, "Toelichting")[1:])
    assert intro["Sessie"] == "Regio Test"
    assert intro["Deelnemers die meetellen"] == 7  # a number, not text; B5 never answered, Ooststad's 2 count nowhere
    assert intro["Anonimiteitsgrens"] == 3
    assert "te weinig deelnemers om te tonen" in intro["Kleine groepen"]
    assert "nergens mee" in intro["Kleine groepen"] and "minder dan 3" in intro["Kleine groepen"]
    assert "0 = weet niet" in intro["Antwoordschaal"]
    assert "geen rij per deelnemer" in intro["Deze werkmap"]
    assert "Rollen samengenomen' zijn deze rollen samen: Ambtelijk, College" in intro["Per rol"]
    assert "4,0" in intro["Banden (onderdelen)"] and "4,0" in intro["Signalen (stopcriteria)"]

    answers = sheet_dicts(raw, "Antwoorden")
    assert list(answers[0]) == ex.ANSWER_COLUMNS and len(answers) == len(data.answers)
    assert all(type(r["waarde"]) is int and type(r["omgekeerd"]) is int for r in answers)
    assert all(isinstance(r["beantwoord_op"], datetime) for r in answers)

    berkdal = [r for r in sheet_dicts(wb, "Per gemeente") if r["Gemeente"] == "Berkdal"]
    assert all(type(r["Deelnemers"]) is int for r in berkdal)
    assert all(type(r["Gemiddelde"]) in (int, float) for r in berkdal if r["Soort"] != "Advies")
    row = next(r for r in berkdal if r["Code"] == "eigenaarschap")
    assert row["Gemiddelde"] == 4.5 and row["Deelnemers"] == 4 and row["Uitkomst"] == "Sterk"

    people = {r["Deelnemer"]: r for r in sheet_dicts(raw, "Scores per deelnemer")}
    assert type(people[names["M1"]]["Eigenaarschap"]) in (int, float)
    assert people[names["M1"]]["Eigenaarschap"] == 2.0


# ---------------------------------------------------------------- formula injection


@pytest.mark.parametrize("evil", INJECTIONS)
def test_injection_is_neutralised_everywhere(built, q, evil):
    data, names = built
    # Session name and a municipality name as typed by someone (Store refuses tab/newline, so the
    # strings are put into the data directly: the exports must not rely on the Store's checks).
    parts = data.participants.copy()
    parts["municipality"] = parts["municipality"].replace("Berkdal", evil)
    session = dataclasses.replace(
        data.session, name=evil, municipalities=tuple(evil if m == "Berkdal" else m for m in data.session.municipalities)
    )
    evil_data = dataclasses.replace(data, session=session, participants=parts)
    safe = "'" + evil

    answers = pd.read_csv(io.BytesIO(ex.answers_csv(evil_data, q)), keep_default_na=False, skiprows=1)
    assert (answers.loc[answers["deelnemer"] == names["B1"], "gemeente"] == safe).all()
    per_m = read_results(ex.results_csv(evil_data, q, "Per gemeente"))
    assert safe in set(per_m["Gemeente"]) and evil not in set(per_m["Gemeente"])
    raw = openpyxl.load_workbook(io.BytesIO(ex.raw_workbook_xlsx(evil_data, q)))
    per_person = sheet_frame(raw, "Scores per deelnemer").set_index("Deelnemer")
    assert per_person.loc[names["B1"], "Gemeente"] == safe

    wb = openpyxl.load_workbook(io.BytesIO(ex.workbook_xlsx(evil_data, q)))
    intro = dict(sheet_rows(wb, "Toelichting")[1:])
    assert intro["Sessie"] == safe
    assert intro["Gemeenten"].startswith(safe)
    for book, sheet, col in [(raw, "Antwoorden", "gemeente"), (wb, "Per gemeente", "Gemeente"), (raw, "Scores per deelnemer", "Gemeente")]:
        values = set(sheet_frame(book, sheet)[col])
        assert safe in values and evil not in values, sheet
    for ws in [*wb.worksheets, *raw.worksheets]:  # no cell anywhere starts with a formula character
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not v.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), (ws.title, v)


def test_negative_numbers_stay_numbers():
    frame = pd.DataFrame({"Naam": ["-2+3", "=1+1", "gewoon"], "Getal": [-2.5, -1.0, 3.25], "Aantal": [-2, 0, 7]})
    dutch = pd.read_csv(io.BytesIO(dutch_excel_csv(frame)), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(dutch["Naam"]) == ["'-2+3", "'=1+1", "gewoon"]
    assert list(dutch["Getal"]) == [-2.5, -1.0, 3.25] and list(dutch["Aantal"]) == [-2, 0, 7]
    machine = pd.read_csv(io.BytesIO(machine_csv(frame)))
    assert list(machine["Getal"]) == [-2.5, -1.0, 3.25]

    wb = openpyxl.Workbook()
    ex._write_table(wb.active, frame)  # the writer behind every workbook sheet
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1] == ("'-2+3", -2.5, -2) and rows[2] == ("'=1+1", -1.0, 0)
    assert isinstance(rows[1][1], float) and isinstance(rows[1][2], int)


# ---------------------------------------------------------------- PNG


def test_chart_png_for_every_figure(built, q):
    data, _ = built
    for f in comparison_figures(data, q, size="projector"):
        png = ex.chart_png(f.chart)
        assert png.startswith(PNG), f.key
        assert len(png) > 10_000


def test_chart_png_empty_session(store, q):
    session, _ = build_session(store, q, people=[])
    data = load_session_data(store, q, session)
    for f in comparison_figures(data, q, size="normal"):
        assert ex.chart_png(f.chart, scale=1).startswith(PNG), f.key


def test_exports_of_an_empty_session(store, q):
    session, _ = build_session(store, q, people=[PEOPLE[4]])  # one participant without answers
    data = load_session_data(store, q, session)
    assert pd.read_csv(io.BytesIO(ex.answers_csv(data, q)), skiprows=1).empty
    for name in ex.RESULT_TABLES:
        b = ex.results_csv(data, q, name)
        assert b.startswith(BOM)
    per_m = read_results(ex.results_csv(data, q, "Per gemeente"))
    assert (per_m["Opmerking"] == "te weinig deelnemers om te tonen").all()
    wb = openpyxl.load_workbook(io.BytesIO(ex.workbook_xlsx(data, q)))
    assert wb.sheetnames == ["Toelichting", "Per gemeente", "Per rol"]
    raw = openpyxl.load_workbook(io.BytesIO(ex.raw_workbook_xlsx(data, q)))
    assert sheet_rows(raw, "Antwoorden") == [tuple(ex.ANSWER_COLUMNS)]  # only the header


# ---------------------------------------------------------------- the two kinds of export


def _person_rows(cells: list, pseudonyms: set[str]) -> list:
    return [c for c in cells if isinstance(c, str) and any(p in c for p in pseudonyms)]


def test_no_shareable_file_has_a_row_per_person(built, q):
    """Resultaten voor de raad: no pseudonym, no per-person sheet, whatever file; the raw files have them."""
    data, names = built
    pseudonyms = set(names.values())
    for name in ex.COUNCIL_FILES:
        blob = ex.council_file(data, q, name)
        if name == "xlsx":
            wb = openpyxl.load_workbook(io.BytesIO(blob))
            assert not {"Antwoorden", "Scores per deelnemer"} & set(wb.sheetnames)
            cells = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
        else:
            cells = [v for row in read_results(blob).itertuples(index=False) for v in row]
            assert len(read_results(blob)) <= 3 * 40  # groups x (sections + criteria + advices), not people x items
        assert not _person_rows(cells, pseudonyms), name
        text = blob.decode("utf-8-sig", errors="ignore")
        assert not any(p in text for p in pseudonyms), name
    for name in ex.RAW_FILES:
        blob = ex.raw_file(data, q, name)
        if name == "csv":
            assert blob.startswith(b'"# NIET PUBLICEREN.')
            assert pseudonyms - {names["B5"]} <= set(pd.read_csv(io.BytesIO(blob), skiprows=1)["deelnemer"])
        else:
            wb = openpyxl.load_workbook(io.BytesIO(blob))
            assert wb.sheetnames[0] == "Niet publiceren"
    with pytest.raises(ValueError):
        ex.council_file(data, q, "csv")  # the raw CSV is no council file


def test_lone_wethouder_is_nowhere_in_the_shareable_files(store, q):
    """The example of issue 11: 3 + 3 + 3 raadsleden and one wethouder of a fourth municipality (n = 1)."""
    people = [
        (f"{m[0]}{k}", m, "raadslid", [4 if m != "Meerwijk" else 2] * 5, 3)
        for m in ("Berkdal", "Meerwijk", "Ooststad")
        for k in range(3)
    ] + [("W1", "Westdorp", "wethouder", [1, 1, 1, 1, 1], 5)]
    from tests.test_workshop_service import build_session as build

    session, names = build(store, q, people, municipalities=["Berkdal", "Meerwijk", "Ooststad", "Westdorp"])
    data = load_session_data(store, q, session)
    without, _ = build(store, q, people[:-1], municipalities=["Berkdal", "Meerwijk", "Ooststad", "Westdorp"], name="Regio Test")
    data_without = load_session_data(store, q, without)
    # Every number of the shareable tables is the same as if the wethouder had never taken part.
    for name in ex.COUNCIL_TABLES:
        with_w = ex.results_tables(data, q)[name]
        without_w = ex.results_tables(data_without, q)[name]
        pd.testing.assert_frame_equal(with_w, without_w)
    west = ex.results_tables(data, q)["Per gemeente"].query("Gemeente == 'Westdorp'")
    assert (west["Deelnemers"] == "minder dan 3").all() and west["Gemiddelde"].isna().all()
    # And so are the figures (projector) and the whole group on a comparison screen.
    for f, g in zip(comparison_figures(data, q), comparison_figures(data_without, q), strict=True):
        pd.testing.assert_frame_equal(f.table, g.table)
        assert f.caption == g.caption
    from services.workshop import participant_comparison

    assert data.shown_municipalities == {"Berkdal", "Meerwijk", "Ooststad"}  # who may be named beside an open answer
    # The raadsrapportage counts the nine who count, not ten (10 - 9 shown would give Westdorp's size).
    from services import report

    summary = report.raad_report(store, q, session).blocks[0].paragraphs[0]
    assert summary.startswith("9 deelnemers uit 4 partnergemeenten telden mee")
    mine = participant_comparison(data, q, names["W1"])
    assert (mine["Uw gemeente"] == "te weinig deelnemers").all()
    assert list(mine["Hele groep"]) == list(participant_comparison(data_without, q, names["B0"])["Hele groep"])
