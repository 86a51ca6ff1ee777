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
    expected = scoring.aggregate_sections(data.sections, data.active, ["municipality"], 3, q)
    sections = df[df["Soort"] == "Onderdeel"].set_index(["Gemeente", "Code"])
    for r in expected[~expected["suppressed"]].itertuples():
        row = sections.loc[(r.municipality, r.section)]
        assert row["Deelnemers"] == r.n
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
    assert advice.loc[("Berkdal", "stoppen"), "Deelnemers"] == 4

    per_person = read_results(ex.results_csv(data, q, "Scores per deelnemer")).set_index("Deelnemer")
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
    assert len(small) and small[number_cols].isna().all().all()
    assert (small["Opmerking"] == "n < 3, niet getoond").all()
    assert small["Uitkomst"].isna().all()
    assert df.loc[df["Gemeente"] != "Ooststad", "Opmerking"].isna().all()
    roles = read_results(ex.results_csv(data, q, "Per rol"))
    assert set(roles["Rol"]) == {"Raad", "College", "Ambtelijk", "Overig"}
    assert roles.loc[roles["Rol"] != "Raad", number_cols].isna().all().all()
    raad = roles[roles["Rol"] == "Raad"]
    assert raad.loc[raad["Soort"] != "Advies", "Gemiddelde"].notna().all()
    assert raad.loc[raad["Soort"] == "Advies", "Aandeel (%)"].sum() == pytest.approx(100)

    # Per person: Ooststad (2) and the small role groups are not named next to a person's scores.
    per_person = read_results(ex.results_csv(data, q, "Scores per deelnemer")).set_index("Deelnemer")
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
    assert len(small) and small[number_cols].isna().all().all()
    assert "Ooststad" not in set(sheet_frame(wb, "Scores per deelnemer")["Gemeente"])


def test_results_csv_unknown_table(built, q):
    data, _ = built
    with pytest.raises(ValueError, match="onbekende tabel"):
        ex.results_csv(data, q, "Alles")


def test_answers_csv_is_machine_readable(built, q):
    data, names = built
    b = ex.answers_csv(data, q)
    assert not b.startswith(BOM)
    df = pd.read_csv(io.BytesIO(b))
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
    assert wb.sheetnames == ["Toelichting", "Antwoorden", "Scores per deelnemer", "Per gemeente", "Per rol"]
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        assert ws.column_dimensions["A"].width > 8

    intro = dict(sheet_rows(wb, "Toelichting")[1:])
    assert intro["Sessie"] == "Regio Test"
    assert intro["Aantal deelnemers"] == 9  # a number, not text; B5 never answered
    assert intro["Anonimiteitsgrens"] == 3
    assert "n < 3, niet getoond" in intro["Kleine groepen"]
    assert "0 = weet niet" in intro["Antwoordschaal"]
    assert "alleen voor de begeleider" in intro["Antwoorden"].lower()
    assert "4,0" in intro["Banden (onderdelen)"] and "4,0" in intro["Signalen (stopcriteria)"]

    answers = sheet_dicts(wb, "Antwoorden")
    assert list(answers[0]) == ex.ANSWER_COLUMNS and len(answers) == len(data.answers)
    assert all(type(r["waarde"]) is int and type(r["omgekeerd"]) is int for r in answers)
    assert all(isinstance(r["beantwoord_op"], datetime) for r in answers)

    berkdal = [r for r in sheet_dicts(wb, "Per gemeente") if r["Gemeente"] == "Berkdal"]
    assert all(type(r["Deelnemers"]) is int for r in berkdal)
    assert all(type(r["Gemiddelde"]) in (int, float) for r in berkdal if r["Soort"] != "Advies")
    row = next(r for r in berkdal if r["Code"] == "eigenaarschap")
    assert row["Gemiddelde"] == 4.5 and row["Deelnemers"] == 4 and row["Uitkomst"] == "Sterk"

    people = {r["Deelnemer"]: r for r in sheet_dicts(wb, "Scores per deelnemer")}
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

    answers = pd.read_csv(io.BytesIO(ex.answers_csv(evil_data, q)), keep_default_na=False)
    assert (answers.loc[answers["deelnemer"] == names["B1"], "gemeente"] == safe).all()
    per_m = read_results(ex.results_csv(evil_data, q, "Per gemeente"))
    assert safe in set(per_m["Gemeente"]) and evil not in set(per_m["Gemeente"])
    per_person = read_results(ex.results_csv(evil_data, q, "Scores per deelnemer")).set_index("Deelnemer")
    assert per_person.loc[names["B1"], "Gemeente"] == safe

    wb = openpyxl.load_workbook(io.BytesIO(ex.workbook_xlsx(evil_data, q)))
    intro = dict(sheet_rows(wb, "Toelichting")[1:])
    assert intro["Sessie"] == safe
    assert intro["Gemeenten"].startswith(safe)
    for sheet, col in [("Antwoorden", "gemeente"), ("Per gemeente", "Gemeente"), ("Scores per deelnemer", "Gemeente")]:
        values = set(sheet_frame(wb, sheet)[col])
        assert safe in values and evil not in values, sheet
    for ws in wb.worksheets:  # no cell anywhere starts with a formula character
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
    assert pd.read_csv(io.BytesIO(ex.answers_csv(data, q))).empty
    for name in ex.RESULT_TABLES:
        b = ex.results_csv(data, q, name)
        assert b.startswith(BOM)
    per_m = read_results(ex.results_csv(data, q, "Per gemeente"))
    assert (per_m["Opmerking"] == "n < 3, niet getoond").all()
    wb = openpyxl.load_workbook(io.BytesIO(ex.workbook_xlsx(data, q)))
    assert wb.sheetnames == ["Toelichting", "Antwoorden", "Scores per deelnemer", "Per gemeente", "Per rol"]
    assert sheet_rows(wb, "Antwoorden") == [tuple(ex.ANSWER_COLUMNS)]  # only the header
