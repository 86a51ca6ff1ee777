"""Writing a region's portfolio in the import template (``portfolio.sheet`` reads it back): XLSX with
the sheets Samenwerkingen, Bijdragen and Toelichting, and CSV for Dutch Excel."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from exports.session import _save, _write_table
from exports.tables import dutch_excel_csv
from formatting import fmt_date
from portfolio import model as m
from questionnaire.loader import Questionnaire


def template_frame(entries: list[m.Entry], q: Questionnaire, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """The main sheet: labels (not ids), lists joined with '; ', dates as 1-6-2027; ``extra``
    columns (the latest round's results) after the template's, which an import ignores."""
    form = {c.id: c.label for c in q.settings.cooperation_forms}
    domain = {c.id: c.label for c in q.settings.domains}
    motive = {c.id: c.label for c in q.settings.motives}
    rows = [
        {
            m.KEY: e.ref or "",
            m.NAME: e.name,
            m.FORM: form.get(e.form, e.form),
            m.DOMAIN: domain.get(e.domain, e.domain),
            m.MUNIS: "; ".join(e.municipalities),
            m.START: e.start_year,
            m.MOTIVES: "; ".join(motive.get(x, x) for x in e.motives),
            m.MOMENTS: "; ".join(f"{d.day}-{d.month}-{d.year}" for d in e.evaluation_moments),
        }
        for e in entries
    ]
    out = pd.DataFrame(rows, columns=list(m.COLUMNS))
    out[m.START] = out[m.START].astype("Int64")
    if extra is not None and len(extra.columns):
        out = pd.concat([out, extra.reset_index(drop=True)], axis=1)
    return out


def budget_frame(entries: list[m.Entry]) -> pd.DataFrame:
    rows = [
        {m.KEY: e.ref or "", m.NAME: e.name, m.B_MUNI: b.municipality, m.B_YEAR: b.year, m.B_AMOUNT: b.amount}
        for e in entries
        for b in (e.budgets or ())
    ]
    return pd.DataFrame(rows, columns=list(m.BUDGET_COLUMNS))


def _explanation(region: str) -> pd.DataFrame:
    rows = [
        ("Regio", region),
        ("Export gemaakt op", fmt_date()),
        (
            m.MAIN_SHEET,
            "Eén rij per samenwerking. Kolommen na ‘Evaluatiemomenten’ zijn uitkomsten en worden bij inlezen overgeslagen.",
        ),
        ("Gemeenten, motieven, data", "Meerdere waarden scheiden met een puntkomma (;). Data als 1-6-2027 of 1 juni 2027."),
        (
            "Kenmerk",
            "Uw eigen nummer. Bij opnieuw inlezen wordt een samenwerking op kenmerk gevonden, anders op naam: niets komt dubbel.",
        ),
        (m.BUDGET_SHEET, "Eén rij per samenwerking, gemeente en jaar: de bijdrage in hele euro's."),
    ]
    return pd.DataFrame(rows, columns=["Onderwerp", "Uitleg"])


def workbook(entries: list[m.Entry], q: Questionnaire, region: str, extra: pd.DataFrame | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = m.MAIN_SHEET
    main = template_frame(entries, q, extra)
    main[m.START] = main[m.START].astype(object).where(main[m.START].notna(), None)
    _write_table(ws, main, number_format="0.0")
    _write_table(wb.create_sheet(m.BUDGET_SHEET), budget_frame(entries), number_format=None)
    _write_table(wb.create_sheet("Toelichting"), _explanation(region), widths={"Onderwerp": 26, "Uitleg": 110})
    return _save(wb)


def csv_file(entries: list[m.Entry], q: Questionnaire, extra: pd.DataFrame | None = None) -> bytes:
    """The main sheet for Dutch Excel (';', decimal comma, BOM); the budgets go in their own CSV."""
    return dutch_excel_csv(template_frame(entries, q, extra), decimals=1)


def budgets_csv(entries: list[m.Entry]) -> bytes:
    return dutch_excel_csv(budget_frame(entries), decimals=0)
