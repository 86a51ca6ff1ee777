"""Netwerkregie: importing a region's messy sheet (clear Dutch errors, nothing imported), the fixed
sheet, a re-import that changes nothing, export and import back, and the overview's matrix,
counts, evaluations, red flags and motives against a hand computation on a small region."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portfolio import sheet, views, writer
from portfolio.model import Budget, Entry, entry_key
from questionnaire.municipalities import load_municipalities
from services import cooperation
from services import portfolio as P
from storage import schema as t

HEADER = [
    "Nr",
    "Naam samenwerking ",
    "Rechtsvorm",
    "Beleidsveld",
    "Deelnemende gemeenten",
    "Sinds",
    "Motief",
    "Evaluatie",
    None,
    "Opmerking griffie",
]


@pytest.fixture(scope="module")
def munis():
    return load_municipalities()


@pytest.fixture
def region(store):
    region, token = P.create_region(store, "Regio Rivierenland")
    return region, token


def messy_rows(fixed: bool) -> list[list]:
    """A griffie's own sheet: its own headers, a title block, extra columns, trailing spaces, dates
    written three ways (and one a real Excel date), and the errors people make."""
    return [
        [
            "R-01",
            "Regionale Sociale Dienst ",
            "Gemeenschappelijke regeling: openbaar lichaam ",
            "Werk en inkomen",
            "Tiel; Culemborg ; Buren ",
            2015,
            "Lagere kosten; Kennis delen",
            "1 juni 2027",
            "01-06-2029",
            "loopt goed",
        ],
        [
            "R-02",
            "Omgevingsdienst Rivierenland",
            "gr_openbaar_lichaam",
            "omgeving en milieu",
            "Tiel, Culemborg" if fixed else "Tiel, Culemburg",
            "2013",
            "Minder kwetsbaar",
            datetime(2026, 11, 1),
            None,
            "",
        ],
        [
            "R-03",
            "Jeugdregio",
            "Convenant" if fixed else "Samenwerkingsverband",
            "Jeugd",
            "'s-Gravenhage; Tiel" if fixed else "Den Haag; Tiel",
            None,
            "",
            "15-3-2027" if fixed else "31-2-2027",
            None,
            "extra kolom",
        ],
        [None] * 10,  # an empty row in between is skipped
        [
            "R-04",
            "Afvalschap",
            "Gemeenschappelijke regeling: bedrijfsvoeringsorganisatie",
            "Afval",
            "Buren; West Betuwe; Tiel",
            "2019" if fixed else "sinds 2019",
            "Lagere kosten",
            "1 jan 2028",
            None,
            "",
        ],
    ]


def messy_xlsx(fixed: bool, *, budgets: bool = True) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Overzicht"
    ws.append(["Overzicht gemeenschappelijke regelingen Rivierenland (stand 1 december 2026)"])
    ws.merge_cells("A1:J1")  # a merged title block above the header
    ws.append([])
    ws.append(HEADER)
    ws.merge_cells("H3:I3")  # one header 'Evaluatie' over two columns of dates
    for row in messy_rows(fixed):
        ws.append(row)
    if budgets:
        b = wb.create_sheet("Bijdragen")
        b.append(["Kenmerk", "Samenwerking", "Gemeente", "Jaar", "Bedrag (euro)"])
        b.append(["R-01", None, "Tiel", 2026, "€ 1.250.000"])
        b.append(["R-01", None, "Buren ", 2026, 480000])
        b.append(["R-04", None, "West Betuwe", "2026", "75.000,50" if fixed else "veel"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as c:
        return {
            name: c.execute(select(func.count()).select_from(table)).scalar()
            for name, table in (
                ("cooperations", t.cooperations),
                ("municipalities", t.cooperation_municipalities),
                ("region_cooperations", t.region_cooperations),
                ("budgets", t.region_budgets),
            )
        }


def _values(store) -> list:
    with store.engine.connect() as c:
        coops = c.execute(
            select(
                t.cooperations.c.id,
                t.cooperations.c.name,
                t.cooperations.c.form,
                t.cooperations.c.domain,
                t.cooperations.c.evaluation_moments,
                t.cooperations.c.updated_at,
            ).order_by(t.cooperations.c.id)
        ).all()
        munis = c.execute(select(t.cooperation_municipalities).order_by("cooperation_id", "position")).all()
        rc = c.execute(select(t.region_cooperations).order_by("cooperation_id")).all()
        budgets = c.execute(select(t.region_budgets).order_by("cooperation_id", "municipality", "year")).all()
    return [list(map(tuple, x)) for x in (coops, munis, rc, budgets)]


def test_a_messy_sheet_gives_clear_dutch_errors_per_row_and_column_and_imports_nothing(store, q, munis, region):
    _, token = region
    result = P.import_sheet(store, q, munis, token, messy_xlsx(fixed=False), "regelingen.xlsx")
    assert not result.ok
    texts = [e.text for e in result.reading.errors]
    assert texts == [
        "Overzicht, rij 5, kolom ‘Deelnemende gemeenten’ (E): ‘Culemburg’ is geen gemeente; bedoelt u ‘Culemborg’?",
        "Overzicht, rij 6, kolom ‘Rechtsvorm’ (C): ‘Samenwerkingsverband’ is geen vorm uit de lijst. Kies uit: "
        + ", ".join(c.label for c in q.settings.cooperation_forms)
        + ".",
        "Overzicht, rij 6, kolom ‘Deelnemende gemeenten’ (E): ‘Den Haag’ heet officieel ‘'s-Gravenhage’; schrijf de officiële naam.",
        "Overzicht, rij 6, kolom ‘Evaluatie’ (H): ‘31-2-2027’ bestaat niet als datum.",
        "Overzicht, rij 8, kolom ‘Sinds’ (F): ‘sinds 2019’ is geen jaartal; schrijf bijvoorbeeld 2019.",
    ]
    assert result.reading.ignored_columns == ["Opmerking griffie"]
    assert result.added == result.updated == 0
    assert _counts(store) == {"cooperations": 0, "municipalities": 0, "region_cooperations": 0, "budgets": 0}


def test_an_error_on_the_budget_sheet_alone_also_imports_nothing(store, q, munis, region):
    _, token = region
    rows = messy_xlsx(fixed=True)
    wb = openpyxl.load_workbook(io.BytesIO(rows))
    wb["Bijdragen"]["E4"] = "veel"
    buf = io.BytesIO()
    wb.save(buf)
    result = P.import_sheet(store, q, munis, token, buf.getvalue(), "regelingen.xlsx")
    assert [e.text for e in result.reading.errors] == [
        "Bijdragen, rij 4, kolom ‘Bedrag (euro)’ (E): ‘veel’ is geen bedrag; schrijf bijvoorbeeld 120000 of € 120.000."
    ]
    assert _counts(store)["cooperations"] == 0


def test_the_fixed_sheet_imports_and_a_second_import_changes_nothing(store, q, munis, region):
    r, token = region
    first = P.import_sheet(store, q, munis, token, messy_xlsx(fixed=True), "regelingen.xlsx")
    assert first.ok, [e.text for e in first.reading.errors]
    assert (first.added, first.updated) == (4, 0)
    counts, values = _counts(store), _values(store)
    assert counts == {"cooperations": 4, "municipalities": 10, "region_cooperations": 4, "budgets": 3}

    items = {i.entry.ref: i.entry for i in P.items(store, P.open_region(store, token))}
    rsd = items["R-01"]
    assert rsd.name == "Regionale Sociale Dienst"  # trailing space gone
    assert rsd.form == "gr_openbaar_lichaam" and rsd.domain == "werk_inkomen"
    assert rsd.municipalities == ("Tiel", "Culemborg", "Buren")
    assert rsd.start_year == 2015 and rsd.motives == ("kosten", "kennis")
    assert rsd.evaluation_moments == (date(2027, 6, 1), date(2029, 6, 1))  # two merged columns, two notations
    assert sorted((b.municipality, b.year, b.amount) for b in rsd.budgets) == [("Buren", 2026, 480000), ("Tiel", 2026, 1250000)]
    assert items["R-02"].evaluation_moments == (date(2026, 11, 1),)  # a real Excel date
    assert items["R-03"].municipalities == ("'s-Gravenhage", "Tiel") and items["R-03"].start_year is None
    assert items["R-04"].evaluation_moments == (date(2028, 1, 1),)
    assert [(b.municipality, b.amount) for b in items["R-04"].budgets] == [("West Betuwe", 75001)]  # whole euros, half up

    ov = P.overview(store, q, P.open_region(store, token))
    # By hand from the sheet: Tiel is in all four, Buren and Culemborg in two, the others in one.
    assert ov.counts[["Gemeente", "Aantal samenwerkingen"]].values.tolist() == [
        ["Tiel", 4],
        ["Buren", 2],
        ["Culemborg", 2],
        ["'s-Gravenhage", 1],
        ["West Betuwe", 1],
    ]
    assert ov.matrix.loc["Tiel"].tolist() == ["●"] * 4 and ov.matrix.loc["'s-Gravenhage"].tolist() == ["", "", "●", ""]
    assert ov.budgets.to_dict("records") == [
        {"Gemeente": "Buren", "Samenwerkingen": 1, "2026": 480000},
        {"Gemeente": "Tiel", "Samenwerkingen": 1, "2026": 1250000},
        {"Gemeente": "West Betuwe", "Samenwerkingen": 1, "2026": 75001},
    ]

    again = P.import_sheet(store, q, munis, token, messy_xlsx(fixed=True), "regelingen.xlsx")
    assert again.ok and (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert _counts(store) == counts
    assert _values(store) == values  # not even updated_at moved


def test_a_reimport_updates_by_kenmerk_and_never_duplicates(store, q, munis, region):
    _, token = region
    P.import_sheet(store, q, munis, token, messy_xlsx(fixed=True), "regelingen.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(messy_xlsx(fixed=True)))
    ws = wb["Overzicht"]
    ws["B4"] = "Regionale Sociale Dienst Rivierenland"  # renamed: found by its Kenmerk
    ws["E4"] = "Tiel; Culemborg; Buren; West Betuwe"
    buf = io.BytesIO()
    wb.save(buf)
    result = P.import_sheet(store, q, munis, token, buf.getvalue(), "regelingen.xlsx")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 3)
    items = P.items(store, P.open_region(store, token))
    assert len(items) == 4
    rsd = next(i.entry for i in items if i.entry.ref == "R-01")
    assert rsd.name == "Regionale Sociale Dienst Rivierenland" and "West Betuwe" in rsd.municipalities


def test_export_then_import_the_same_file_changes_nothing_xlsx_and_csv(store, q, munis, region):
    _, token = region
    P.import_sheet(store, q, munis, token, messy_xlsx(fixed=True), "regelingen.xlsx")
    counts, values = _counts(store), _values(store)
    xlsx = P.export_xlsx(store, q, token)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames == ["Samenwerkingen", "Bijdragen", "Toelichting"]
    assert [c.value for c in wb["Samenwerkingen"][1]][:8] == [
        "Kenmerk",
        "Samenwerking",
        "Vorm",
        "Domein",
        "Gemeenten",
        "Startjaar",
        "Motieven",
        "Evaluatiemomenten",
    ]
    back = P.import_sheet(store, q, munis, token, xlsx, "export.xlsx")
    assert back.ok, [e.text for e in back.reading.errors]
    assert (back.added, back.updated) == (0, 0)
    csv = P.export_csv(store, q, token)
    assert csv.startswith(b"\xef\xbb\xbf") and b";" in csv.splitlines()[0]
    frame = pd.read_csv(io.BytesIO(csv), sep=";", encoding="utf-8-sig")
    assert list(frame["Gemeenten"])[0] == "Tiel; Culemborg; Buren"
    back = P.import_sheet(store, q, munis, token, csv, "export.csv")  # a CSV has no budget sheet: budgets stay
    assert back.ok and (back.added, back.updated) == (0, 0)
    assert _counts(store) == counts and _values(store) == values


def test_own_column_names_can_be_mapped(q, munis):
    data = b"Regeling;Wie;Type;Sector\nBelastingsamenwerking;Tiel, Buren;Dienstverleningsovereenkomst;Bedrijfsvoering (ICT, belastingen, inkoop)\n"
    plain = sheet.read_portfolio(data, "eigen.csv", q, munis)
    (problem,) = plain.errors
    assert problem.text.startswith("Samenwerkingen: geen kopregel gevonden.")
    half = sheet.read_portfolio(data, "eigen.csv", q, munis, {"Wie": "Gemeenten"})
    assert [e.text for e in half.errors] == [
        "Samenwerkingen, rij 1: de kolom ‘Vorm’ ontbreekt.",
        "Samenwerkingen, rij 1: de kolom ‘Domein’ ontbreekt.",
    ]
    mapped = sheet.read_portfolio(data, "eigen.csv", q, munis, {"Wie": "Gemeenten", "Type": "Vorm", "Sector": "Domein"})
    assert mapped.ok, [e.text for e in mapped.errors]
    (e,) = mapped.entries
    assert (e.name, e.form, e.domain, e.municipalities) == (
        "Belastingsamenwerking",
        "dienstverleningsovereenkomst",
        "bedrijfsvoering",
        ("Tiel", "Buren"),
    )


def test_a_file_that_is_not_a_sheet_says_so(q, munis):
    reading = sheet.read_portfolio(b"\x00\x01 not a sheet", "lijst.pdf", q, munis)
    assert [e.text for e in reading.errors] == ["Bestand: Kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv)."]
    reading = sheet.read_portfolio(b"PK broken", "lijst.xlsx", q, munis)
    assert [e.text for e in reading.errors] == ["Bestand: Dit bestand is geen leesbaar Excel-bestand (.xlsx)."]


def test_a_cooperation_twice_in_the_sheet_is_an_error(q, munis):
    data = b"Samenwerking;Vorm;Domein;Gemeenten\nGGD;Convenant;Zorg en gezondheid;Tiel, Buren\nggd ;Convenant;Jeugd;Tiel, Buren\n"
    reading = sheet.read_portfolio(data, "x.csv", q, munis)
    assert [e.text for e in reading.errors] == [
        "Samenwerkingen, rij 3, kolom ‘Samenwerking’ (A): deze samenwerking staat al in rij 2."
    ]


# ---------------------------------------------------------------- the views, by hand


def _entry(name, munis, **kw) -> Entry:
    return Entry(
        key="naam:" + name.casefold(),
        name=name,
        form=kw.pop("form", "convenant"),
        domain=kw.pop("domain", "afval"),
        municipalities=tuple(munis),
        **kw,
    )


SMALL = [
    views.Item(1, _entry("Afval", ["Tiel", "Buren", "Culemborg"], domain="afval", form="gr_openbaar_lichaam")),
    views.Item(2, _entry("GGD", ["Tiel", "Buren"], domain="zorg_gezondheid", form="gr_openbaar_lichaam")),
    views.Item(3, _entry("Werkbedrijf", ["West Betuwe", "Culemborg", "Tiel"], domain="werk_inkomen", form="convenant")),
]


def test_the_matrix_and_counts_equal_a_hand_computation():
    m = views.matrix(SMALL)
    assert list(m.index) == ["Buren", "Culemborg", "Tiel", "West Betuwe"]
    assert list(m.columns) == ["Afval", "GGD", "Werkbedrijf"]
    assert m.to_dict("index") == {
        "Buren": {"Afval": "●", "GGD": "●", "Werkbedrijf": ""},
        "Culemborg": {"Afval": "●", "GGD": "", "Werkbedrijf": "●"},
        "Tiel": {"Afval": "●", "GGD": "●", "Werkbedrijf": "●"},
        "West Betuwe": {"Afval": "", "GGD": "", "Werkbedrijf": "●"},
    }
    c = views.counts(SMALL)
    assert c.to_dict("records") == [
        {"Gemeente": "Tiel", "Aantal samenwerkingen": 3, "Vaakst samen met": "Buren (2), Culemborg (2), West Betuwe (1)"},
        {"Gemeente": "Buren", "Aantal samenwerkingen": 2, "Vaakst samen met": "Tiel (2), Culemborg (1)"},
        {"Gemeente": "Culemborg", "Aantal samenwerkingen": 2, "Vaakst samen met": "Tiel (2), Buren (1), West Betuwe (1)"},
        {"Gemeente": "West Betuwe", "Aantal samenwerkingen": 1, "Vaakst samen met": "Culemborg (1), Tiel (1)"},
    ]
    assert dict(views.pair_counts(SMALL)) == {
        ("Buren", "Culemborg"): 1,
        ("Buren", "Tiel"): 2,
        ("Culemborg", "Tiel"): 2,
        ("Culemborg", "West Betuwe"): 1,
        ("Tiel", "West Betuwe"): 1,
    }


def test_per_domain_and_form(q):
    assert views.by_choice(SMALL, q, "form").to_dict("records") == [
        {"Vorm": "Gemeenschappelijke regeling: openbaar lichaam", "Aantal": 2, "Samenwerkingen": "Afval, GGD"},
        {"Vorm": "Convenant", "Aantal": 1, "Samenwerkingen": "Werkbedrijf"},
    ]
    assert [r["Domein"] for r in views.by_choice(SMALL, q, "domain").to_dict("records")] == [
        "Werk en inkomen",
        "Zorg en gezondheid",
        "Afval",
    ]


def _held(y, mo, d):
    return views.RoundInfo(1, datetime(y, mo, d, 10, tzinfo=UTC), None)


def test_evaluations_due_overdue_and_held():
    today = date(2026, 12, 2)
    item = views.Item(
        1,
        _entry(
            "GGD", ["Tiel", "Buren"], evaluation_moments=(date(2025, 6, 1), date(2026, 6, 1), date(2027, 2, 1), date(2028, 1, 1))
        ),
        (_held(2025, 5, 20),),  # 12 days before the first moment: that evaluation was held
    )
    assert views.evaluation_status(item, today) == [
        (date(2025, 6, 1), views.HELD),
        (date(2026, 6, 1), views.OVERDUE),
        (date(2027, 2, 1), views.DUE),
        (date(2028, 1, 1), views.PLANNED),
    ]
    table = views.evaluations([item], today)
    assert table[["Evaluatiemoment", "Status", "Dagen"]].to_dict("records") == [
        {"Evaluatiemoment": date(2026, 6, 1), "Status": "te laat", "Dagen": -184},
        {"Evaluatiemoment": date(2027, 2, 1), "Status": "binnenkort", "Dagen": 61},
    ]


# ---------------------------------------------------------------- real rounds flow back


def _answer(store, q, session, value: int, n: int = 3):
    items = [i for s in q.sections if s.id in session.sections for i in s.items]
    for muni in session.municipalities:
        for _ in range(n):
            p, _ = store.create_participant(cooperation=session.name, session_id=session.id, municipality=muni, role="raadslid")
            store.save_answers(p.id, {i.id: (6 - value if i.reverse else value) for i in items})
            store.finish(p.id)


def test_a_round_started_from_the_portfolio_flows_back_into_flags_motives_and_trend(store, q, munis, region):
    _, token = region
    P.import_sheet(store, q, munis, token, messy_xlsx(fixed=True), "regelingen.xlsx")
    access = P.open_region(store, token)
    rsd = next(i for i in P.items(store, access) if i.entry.ref == "R-01")
    session, facilitator = P.start_round(store, q, token, rsd.cooperation_id)
    assert store.session_by_facilitator_token(facilitator).id == session.id
    assert session.municipalities == ("Tiel", "Culemborg", "Buren")
    _answer(store, q, session, 2)  # all well: criteria green, principles low-ish
    cooperation.set_closed(store, q, session.id, True)
    ov = P.overview(store, q, access, today=date(2026, 12, 2))
    assert ov.flags.empty  # doorgaan, nothing red
    assert ov.motives[ov.motives["Samenwerking"] == "Regionale Sociale Dienst"]["Oordeel"].tolist() == [
        "waargemaakt",
        "zie scores",
    ]

    second, _ = P.start_round(store, q, token, rsd.cooperation_id)  # the next round takes the previous round's choices
    assert second.sections == session.sections
    _answer(store, q, second, 5)  # every stop criterion red
    cooperation.set_closed(store, q, second.id, True)
    ov = P.overview(store, q, access, today=date(2026, 12, 2))
    assert list(ov.flags.columns) == ["cooperation_id", "Samenwerking", "Advies", "Op rood", "Ronde", "Adviezen van deelnemers"]
    (flag,) = ov.flags.to_dict("records")
    assert flag["Adviezen van deelnemers"] == "Stoppen 9"  # 3 partners x 3 deelnemers, all with every criterion red
    assert flag["Samenwerking"] == "Regionale Sociale Dienst" and flag["Advies"] == "Stoppen"
    assert "Beloofde opbrengst blijft uit" in flag["Op rood"] and flag["Ronde"].startswith("Ronde 2")
    kosten = ov.motives[
        (ov.motives["Samenwerking"] == "Regionale Sociale Dienst") & (ov.motives["Motief"] == "Lagere kosten")
    ].iloc[0]
    assert kosten["Oordeel"] == "niet waargemaakt"
    assert "Begrote besparing blijft uit: 5,0 (rood)" in kosten["Wat de partners zeggen"]
    trend = ov.trend[ov.trend["Samenwerking"] == "Regionale Sociale Dienst"]
    assert sorted(trend["Ronde"].unique()) == [1, 2]
    assert trend[trend["Onderdeel"] == "Eerlijk"]["Gemiddelde"].tolist() == [2.0, 5.0]
    figs = P.trend_figures(store, q, access, rsd.cooperation_id)  # the raadsrapportage's trend figures
    assert [f.key for f in figs] == ["trend_onderdelen", "trend_advies"]
    assert all(f.spec()["$schema"] for f in figs)
    # The export carries the latest round's results beside the template.
    frame = pd.read_csv(io.BytesIO(P.export_csv(store, q, token)), sep=";", encoding="utf-8-sig")
    assert frame.loc[frame["Kenmerk"] == "R-01", "Advies laatste ronde"].item() == "Stoppen"


def test_a_round_cannot_be_started_for_a_cooperation_of_another_region(store, q, munis, region):
    _, token = region
    _, other = P.create_region(store, "Regio Elders")
    P.import_sheet(store, q, munis, other, messy_xlsx(fixed=True), "regelingen.xlsx")
    foreign = P.items(store, P.open_region(store, other))[0]
    with pytest.raises(P.InvalidInput, match="niet in deze regio"):
        P.start_round(store, q, token, foreign.cooperation_id)


def test_budgets_per_municipality_and_year_by_hand():
    a = _entry(
        "Afval",
        ["Tiel", "Buren"],
        budgets=(
            Budget(municipality="Tiel", year=2025, amount=100),
            Budget(municipality="Tiel", year=2026, amount=200),
            Budget(municipality="Buren", year=2026, amount=50),
        ),
    )
    b = _entry("GGD", ["Tiel", "Buren"], budgets=(Budget(municipality="Tiel", year=2026, amount=30),))
    assert views.budgets([views.Item(1, a), views.Item(2, b)]).to_dict("records") == [
        {"Gemeente": "Buren", "Samenwerkingen": 1, "2025": 0, "2026": 50},
        {"Gemeente": "Tiel", "Samenwerkingen": 2, "2025": 100, "2026": 230},
    ]


# ---------------------------------------------------------------- the template reads back what it wrote

_PARTNERS = ["Tiel", "Buren", "Culemborg", "West Betuwe", "'s-Gravenhage", "Súdwest-Fryslân", "Bergen (NH.)"]
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëï", min_size=1, max_size=8)


@st.composite
def _entries(draw, q):
    n = draw(st.integers(1, 5))
    out = []
    for k in range(n):
        name = " ".join([f"Samenwerking{k}", *draw(st.lists(_WORD, max_size=3))])
        ref = draw(st.one_of(st.none(), st.just(f"K-{k}")))
        out.append(
            Entry(
                key=entry_key(ref, name),
                ref=ref,
                name=name,
                form=draw(st.sampled_from([c.id for c in q.settings.cooperation_forms])),
                domain=draw(st.sampled_from([c.id for c in q.settings.domains])),
                municipalities=tuple(draw(st.lists(st.sampled_from(_PARTNERS), min_size=2, max_size=5, unique=True))),
                start_year=draw(st.one_of(st.none(), st.integers(1950, 2030))),
                motives=tuple(draw(st.lists(st.sampled_from([m.id for m in q.settings.motives]), max_size=3, unique=True))),
                evaluation_moments=tuple(sorted(draw(st.sets(st.dates(date(2020, 1, 1), date(2035, 12, 31)), max_size=3)))),
                budgets=(),
            )
        )
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_the_export_writes_the_import_reads_back(q, munis, data):
    entries = data.draw(_entries(q))
    back = sheet.read_portfolio(writer.workbook(entries, q, "Regio"), "x.xlsx", q, munis)
    assert back.ok, [e.text for e in back.errors]
    assert back.entries == entries
    back = sheet.read_portfolio(writer.csv_file(entries, q), "x.csv", q, munis)
    assert back.ok, [e.text for e in back.errors]
    assert back.entries == [e.model_copy(update={"budgets": None}) for e in entries]  # a CSV has no budget sheet


def test_the_headers_to_map_are_the_ones_the_import_does_not_know(q):
    data = b"Regeling;Wie;Type;Beleidsveld;Opmerking\nA;Tiel, Buren;Convenant;Afval;x\n"
    headers = sheet.sheet_headers(data, "eigen.csv")
    assert headers == ["Regeling", "Wie", "Type", "Beleidsveld", "Opmerking"]
    assert sheet.unmapped(headers) == ["Wie", "Type", "Opmerking"]
