"""Reading a region's sheet (XLSX or CSV, the template or a griffie's own columns) into checked
entries with Dutch errors per row and column (``portfolio.writer`` writes the same template)."""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from exports.tables import FORMULA_STARTS
from formatting import NotADate, parse_day
from portfolio import model as m
from questionnaire.loader import Questionnaire
from questionnaire.municipalities import MunicipalityList

MAX_ROWS = 2000
MAX_BYTES = 5_000_000
HEADER_SEARCH_ROWS = 15  # a title block above the header row is common

# Header words a griffie's own sheet uses for the template's columns (compared without case,
# punctuation and repeated spaces). An explicit mapping from the page goes before these.
ALIASES: dict[str, tuple[str, ...]] = {
    m.KEY: ("kenmerk", "nummer", "nr", "id", "code", "referentie"),
    m.NAME: ("samenwerking", "naam", "naam samenwerking", "naam van de samenwerking", "regeling", "naam regeling"),
    m.FORM: ("vorm", "rechtsvorm", "juridische vorm", "samenwerkingsvorm", "soort"),
    m.DOMAIN: ("domein", "beleidsveld", "beleidsterrein", "taakveld", "thema"),
    m.MUNIS: ("gemeenten", "deelnemende gemeenten", "deelnemers", "partners", "partnergemeenten"),
    m.START: ("startjaar", "sinds", "jaar van oprichting", "opgericht", "start"),
    m.MOTIVES: ("motieven", "motief", "reden", "redenen", "aanleiding"),
    m.MOMENTS: ("evaluatiemomenten", "evaluatiemoment", "evaluatie", "evaluaties", "evaluatiedatum", "evaluatiedata"),
}
BUDGET_ALIASES: dict[str, tuple[str, ...]] = {
    m.KEY: ALIASES[m.KEY],
    m.NAME: ALIASES[m.NAME],
    m.B_MUNI: ("gemeente",),
    m.B_YEAR: ("jaar", "begrotingsjaar"),
    m.B_AMOUNT: ("bedrag", "bedrag euro", "bijdrage", "bijdrage euro", "euro"),
}
_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")
_DATE_SPLIT = re.compile(r"\s*[;,\n]\s*")


@dataclass(frozen=True)
class SheetError:
    """One problem in the sheet, in Dutch: which row and column, and what to change."""

    sheet: str
    row: int | None  # as Excel numbers it (1 = the first row); None: about the whole sheet
    column: str | None  # the header as the sheet has it
    letter: str | None  # the column letter (A, B, ...)
    message: str

    @property
    def text(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom ‘{self.column}’" + (f" ({self.letter})" if self.letter else ""))
        place = ", ".join(where)
        return f"{self.sheet}, {place}: {self.message}" if place else f"{self.sheet}: {self.message}"


@dataclass
class Table:
    """Rows of one sheet, header row found, merged header cells filled in."""

    sheet: str
    header_row: int
    headers: list[str]  # per column, as written (filled across merged cells)
    rows: list[tuple[int, list]]  # (Excel row number, cell values)


@dataclass
class Reading:
    entries: list[m.Entry] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # extra columns, not part of the template

    @property
    def ok(self) -> bool:
        return not self.errors


def _norm(text) -> str:
    s = re.sub(r"[^\w\s]", " ", str(text or "").casefold())
    return " ".join(s.split())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return str(value)
    text = " ".join(str(value).split())
    # The export puts an apostrophe before text a spreadsheet would run as a formula
    # (exports.tables.neutralise); reading that file back takes it off again, so nothing changes.
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


# ---------------------------------------------------------------- reading files


class FileProblem(ValueError):
    """The file itself cannot be read (Dutch message)."""


def read_tables(data: bytes, filename: str) -> dict[str, Table | list[list]]:
    """Raw rows per sheet: XLSX (every sheet, merged cells filled) or CSV (one sheet)."""
    if len(data) > MAX_BYTES:
        raise FileProblem(f"Het bestand is te groot: hooguit {MAX_BYTES // 1_000_000} MB.")
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        try:
            wb = load_workbook(io.BytesIO(data), data_only=True)
        except Exception:  # noqa: BLE001 - any broken file gets the same plain message
            raise FileProblem("Dit bestand is geen leesbaar Excel-bestand (.xlsx).") from None
        out = {}
        for ws in wb.worksheets:
            grid = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS)]
            for rng in ws.merged_cells.ranges:  # a merged cell's value belongs to every cell it covers
                value = ws.cell(rng.min_row, rng.min_col).value
                for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        row = grid[r - 1]
                        row.extend([None] * (c - len(row)))
                        row[c - 1] = value
            out[ws.title] = grid
        return out
    if name.endswith(".csv") or name.endswith(".txt"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        first = text.splitlines()[0] if text else ""
        delimiter = max((";", ",", "\t"), key=first.count)
        grid = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
        return {m.MAIN_SHEET: grid[: MAX_ROWS + HEADER_SEARCH_ROWS]}
    raise FileProblem("Kies een Excel-bestand (.xlsx) of een CSV-bestand (.csv).")


def _find_header(sheet: str, grid: list[list], aliases: dict[str, tuple[str, ...]], mapping: dict[str, str]) -> Table | None:
    """The first row among the first rows that names the cooperation's column and one more known column."""
    known = _alias_index(aliases, mapping)
    name_col = m.NAME
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        hits = {known.get(_norm(v)) for v in row if v is not None} - {None}
        if name_col in hits and len(hits) >= 2:
            headers = [_cell_text(v) for v in row]
            body = [(i + 1 + n + 1, list(r)) for n, r in enumerate(grid[i + 1 :])]
            return Table(sheet, i + 1, headers, body)
    return None


def _alias_index(aliases: dict[str, tuple[str, ...]], mapping: dict[str, str]) -> dict[str, str]:
    index = {}
    for target, words in aliases.items():
        index[_norm(target)] = target
        for w in words:
            index[_norm(w)] = target
    for theirs, target in (mapping or {}).items():  # the page's column mapping wins
        if target in aliases:
            index[_norm(theirs)] = target
    return index


def sheet_headers(data: bytes, filename: str) -> list[str]:
    """The headers of the main sheet as the file has them (for the column mapping on the page)."""
    grids = read_tables(data, filename)
    grid = next(iter(grids.values()), [])
    table = _find_header("", grid, ALIASES, {})
    row = table.headers if table else [_cell_text(v) for v in (grid[0] if grid else [])]
    return [h for h in dict.fromkeys(row) if h]


def unmapped(headers: list[str]) -> list[str]:
    """The headers the import does not know by name (for the page's column mapping)."""
    known = _alias_index(ALIASES, {})
    return [h for h in headers if _norm(h) not in known]


# ---------------------------------------------------------------- checking


class _Checker:
    def __init__(self, q: Questionnaire, munis: MunicipalityList):
        self.forms = _choices(q.settings.cooperation_forms)
        self.domains = _choices(q.settings.domains)
        self.motives = _choices(q.settings.motives)
        self.form_labels = [c.label for c in q.settings.cooperation_forms]
        self.domain_labels = [c.label for c in q.settings.domains]
        self.motive_labels = [c.label for c in q.settings.motives]
        self.munis = munis
        self.official = {n.casefold(): n for n in munis.names()}
        self.alias = {a.casefold(): n for n, a in munis.aliases}

    def municipality(self, raw: str) -> tuple[str | None, str | None]:
        """(official name, None) or (None, Dutch message)."""
        text = " ".join(raw.split())
        hit = self.official.get(text.casefold())
        if hit:
            return hit, None
        alias = self.alias.get(text.casefold())
        if alias:
            return None, f"‘{text}’ heet officieel ‘{alias}’; schrijf de officiële naam."
        close = difflib.get_close_matches(text.casefold(), list(self.official), n=1, cutoff=0.75)
        if close:
            return None, f"‘{text}’ is geen gemeente; bedoelt u ‘{self.official[close[0]]}’?"
        return None, f"‘{text}’ is geen Nederlandse gemeente (lijst van {self.munis.reference_date:%Y})."

    def choice(self, raw: str, choices: dict[str, str], labels: list[str], what: str) -> tuple[str | None, str | None]:
        text = " ".join(raw.split())
        hit = choices.get(_norm(text))
        if hit:
            return hit, None
        close = difflib.get_close_matches(text, labels, n=1, cutoff=0.6)
        hint = f" Bedoelt u ‘{close[0]}’?" if close else ""
        return None, f"‘{text}’ is geen {what} uit de lijst.{hint} Kies uit: {', '.join(labels)}."


def _choices(items) -> dict[str, str]:
    out = {}
    for c in items:
        out[_norm(c.id)] = c.id
        out[_norm(c.label)] = c.id
    return out


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_day(str(value))


def _year(value) -> int | None:
    text = _cell_text(value)
    if isinstance(value, (datetime, date)):
        return value.year
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"‘{text}’ is geen jaartal; schrijf bijvoorbeeld 2019.")
    year = int(text)
    if not m.MIN_YEAR <= year <= m.MAX_YEAR:
        raise ValueError(f"‘{text}’ is geen geldig jaartal.")
    return year


def _amount(value) -> int:
    """Whole euros (half up, as everywhere in the app) from 120000, 120000.5, '€ 120.000',
    '120.000,50' or '120000,-'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _half_up(repr(value))
    text = str(value).replace("€", "").replace(" ", "").replace("\u00a0", "").removesuffix(",-")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d{1,2})?|-?\d+(,\d{1,2})?", text):
        return _half_up(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+\.\d{1,2}", text):
        return _half_up(text)
    raise ValueError(f"‘{str(value).strip()}’ is geen bedrag; schrijf bijvoorbeeld 120000 of € 120.000.")


def _half_up(text: str) -> int:
    from decimal import ROUND_HALF_UP, Decimal

    return int(Decimal(text).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def read_portfolio(
    data: bytes, filename: str, q: Questionnaire, munis: MunicipalityList, mapping: dict[str, str] | None = None
) -> Reading:
    """Check the whole file. Every problem is listed (not only the first); ``entries`` is only
    filled when there are none, so a file with errors imports nothing."""
    out = Reading()
    try:
        grids = read_tables(data, filename)
    except FileProblem as e:
        out.errors.append(SheetError("Bestand", None, None, None, str(e)))
        return out
    names = list(grids)
    main_name = m.MAIN_SHEET if m.MAIN_SHEET in grids else next((n for n in names if n != m.BUDGET_SHEET), names[0])
    main = _find_header(main_name, grids[main_name], ALIASES, mapping or {})
    if main is None:
        out.errors.append(
            SheetError(
                main_name,
                None,
                None,
                None,
                "geen kopregel gevonden. De kopregel moet minstens de kolom ‘Samenwerking’ en nog een kolom uit het "
                f"sjabloon noemen ({', '.join(m.COLUMNS)}), of koppel de kolommen hieronder.",
            )
        )
        return out
    check = _Checker(q, munis)
    index = _alias_index(ALIASES, mapping or {})
    cols: dict[str, list[int]] = {}
    for i, h in enumerate(main.headers):
        target = index.get(_norm(h)) if h else None
        if target:
            cols.setdefault(target, []).append(i)
        elif h and h not in out.ignored_columns:
            out.ignored_columns.append(h)
    for need in m.REQUIRED:
        if need not in cols:
            out.errors.append(SheetError(main.sheet, main.header_row, None, None, f"de kolom ‘{need}’ ontbreekt."))
    if out.errors:
        return out

    def cells(row: list, target: str) -> list[tuple[object, int]]:
        return [(row[i] if i < len(row) else None, i) for i in cols.get(target, [])]

    def err(row_no: int, i: int, message: str, sheet: str = main.sheet, headers: list[str] = main.headers) -> None:
        out.errors.append(SheetError(sheet, row_no, headers[i] or None, get_column_letter(i + 1), message))

    drafts: list[dict] = []
    seen: dict[str, int] = {}
    for row_no, row in main.rows:
        if all(_cell_text(v) == "" for v in row):
            continue
        before = len(out.errors)
        d: dict = {"row": row_no}
        ((name, ni),) = cells(row, m.NAME)[:1]
        d["name"] = _cell_text(name)
        if not d["name"]:
            err(row_no, ni, "de naam van de samenwerking is leeg.")
        elif len(d["name"]) > 120:
            err(row_no, ni, "de naam is te lang: hooguit 120 tekens.")
        ref = next((_cell_text(v) for v, _ in cells(row, m.KEY) if _cell_text(v)), "") or None
        if ref and len(ref) > 60:
            err(row_no, cols[m.KEY][0], "het kenmerk is te lang: hooguit 60 tekens.")
        d["ref"] = ref
        for target, key, choices, labels, what in (
            (m.FORM, "form", check.forms, check.form_labels, "vorm"),
            (m.DOMAIN, "domain", check.domains, check.domain_labels, "domein"),
        ):
            ((value, ci),) = cells(row, target)[:1]
            text = _cell_text(value)
            if not text:
                err(row_no, ci, f"het {what} is leeg; kies uit: {', '.join(labels)}.")
                continue
            d[key], problem = check.choice(text, choices, labels, what)
            if problem:
                err(row_no, ci, problem)
        partners: list[str] = []
        for value, ci in cells(row, m.MUNIS):
            for part in filter(None, _LIST_SPLIT.split(_cell_text(value))):
                official, problem = check.municipality(part)
                if problem:
                    err(row_no, ci, problem)
                elif official in partners:
                    err(row_no, ci, f"‘{official}’ staat twee keer in de lijst.")
                else:
                    partners.append(official)
        if len(out.errors) == before and not m.MIN_PARTNERS <= len(partners) <= m.MAX_PARTNERS:
            err(
                row_no, cols[m.MUNIS][0], f"noem {m.MIN_PARTNERS} tot en met {m.MAX_PARTNERS} gemeenten (gescheiden door ; of ,)."
            )
        d["municipalities"] = tuple(partners)
        d["start_year"] = None
        for value, ci in cells(row, m.START):
            if _cell_text(value):
                try:
                    d["start_year"] = _year(value)
                except ValueError as e:
                    err(row_no, ci, str(e))
        motives: list[str] = []
        for value, ci in cells(row, m.MOTIVES):
            for part in filter(None, _LIST_SPLIT.split(_cell_text(value))):
                motive, problem = check.choice(part, check.motives, check.motive_labels, "motief")
                if problem:
                    err(row_no, ci, problem)
                elif motive not in motives:
                    motives.append(motive)
        d["motives"] = tuple(motives)
        moments: set[date] = set()
        for value, ci in cells(row, m.MOMENTS):
            parts = [value] if isinstance(value, (datetime, date)) else list(filter(None, _DATE_SPLIT.split(_cell_text(value))))
            for part in parts:
                try:
                    moments.add(_day(part))
                except NotADate as e:
                    err(row_no, ci, str(e))
        d["evaluation_moments"] = tuple(sorted(moments))
        if d["name"]:
            key = m.entry_key(ref, d["name"])
            if key in seen:
                err(row_no, (cols[m.KEY] if ref else cols[m.NAME])[0], f"deze samenwerking staat al in rij {seen[key]}.")
            seen.setdefault(key, row_no)
            d["key"] = key
        if len(out.errors) == before:
            drafts.append(d)
        if len(drafts) + len(out.errors) > MAX_ROWS:
            out.errors.append(SheetError(main.sheet, None, None, None, f"te veel rijen: hooguit {MAX_ROWS}."))
            return out

    budgets = _read_budgets(grids, mapping or {}, check, drafts, out)
    if out.errors:
        return out
    for d in drafts:
        row_no = d.pop("row")
        out.entries.append(m.Entry(**d, budgets=None if budgets is None else tuple(budgets.get(d["key"], ()))))
    return out


def _read_budgets(grids, mapping, check: _Checker, drafts: list[dict], out: Reading) -> dict[str, list[m.Budget]] | None:
    """The Bijdragen sheet, when the file has one: per entry key its budget rows. None: no sheet."""
    if m.BUDGET_SHEET not in grids:
        return None
    table = _find_header(m.BUDGET_SHEET, grids[m.BUDGET_SHEET], BUDGET_ALIASES, mapping)
    if table is None:
        out.errors.append(
            SheetError(m.BUDGET_SHEET, None, None, None, f"geen kopregel gevonden ({', '.join(m.BUDGET_COLUMNS)}).")
        )
        return None
    index = _alias_index(BUDGET_ALIASES, mapping)
    cols: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        target = index.get(_norm(h)) if h else None
        if target and target not in cols:
            cols[target] = i
    for need in (m.B_MUNI, m.B_YEAR, m.B_AMOUNT):
        if need not in cols:
            out.errors.append(SheetError(m.BUDGET_SHEET, table.header_row, None, None, f"de kolom ‘{need}’ ontbreekt."))
    if out.errors:
        return None
    by_ref = {d["ref"].casefold(): d for d in drafts if d.get("ref")}
    by_name = {d["name"].casefold(): d for d in drafts}
    result: dict[str, list[m.Budget]] = {}
    seen: set[tuple] = set()

    def err(row_no: int, i: int, message: str) -> None:
        out.errors.append(SheetError(m.BUDGET_SHEET, row_no, table.headers[i] or None, get_column_letter(i + 1), message))

    def get(row, target):
        i = cols.get(target)
        return (row[i] if i is not None and i < len(row) else None), (i if i is not None else 0)

    for row_no, row in table.rows:
        if all(_cell_text(v) == "" for v in row):
            continue
        ref, ri = get(row, m.KEY)
        name, ni = get(row, m.NAME)
        d = by_ref.get(_cell_text(ref).casefold()) if _cell_text(ref) else by_name.get(_cell_text(name).casefold())
        if d is None:
            what = f"kenmerk ‘{_cell_text(ref)}’" if _cell_text(ref) else f"samenwerking ‘{_cell_text(name)}’"
            err(
                row_no,
                ri if _cell_text(ref) else ni,
                f"de {what} staat niet op het blad {m.MAIN_SHEET} (of heeft daar een fout).",
            )
            continue
        muni_raw, mi = get(row, m.B_MUNI)
        official, problem = check.municipality(_cell_text(muni_raw))
        if problem:
            err(row_no, mi, problem)
            continue
        if official not in d["municipalities"]:
            err(row_no, mi, f"‘{official}’ is geen partner van ‘{d['name']}’.")
            continue
        year_raw, yi = get(row, m.B_YEAR)
        amount_raw, ai = get(row, m.B_AMOUNT)
        try:
            year = _year(year_raw)
        except ValueError as e:
            err(row_no, yi, str(e))
            continue
        try:
            amount = _amount(amount_raw)
        except ValueError as e:
            err(row_no, ai, str(e))
            continue
        if (d["key"], official, year) in seen:
            err(row_no, mi, f"de bijdrage van ‘{official}’ in {year} staat er twee keer.")
            continue
        seen.add((d["key"], official, year))
        result.setdefault(d["key"], []).append(m.Budget(municipality=official, year=year, amount=amount))
    return result
