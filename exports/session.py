"""Exports of one workshop session, in two kinds that are kept plainly apart:

- *Resultaten voor de raad* (:func:`council_file`): shareable. Group numbers only, never a row per
  person: 'Per gemeente' and 'Per rol' as CSV for Dutch Excel and as one XLSX with a Toelichting.
  They are computed from the published view of the data (``SessionData.public``, complementary
  suppression in ``scoring.disclosure``): a group below the minimum has no numbers ("te weinig
  deelnemers om te tonen", counts "minder dan 3") and cannot be recovered from the other numbers.
  The chart images (PNG) belong to this kind too.
- *Ruwe antwoorden* (:func:`raw_file`): the begeleider's working file. Pseudonymous, one row per
  answer plus the scores per participant, with a warning in the file itself (the first sheet / the
  first line) that it is not for publication. Only the Begeleidersscherm offers it.

Every text cell passes through :func:`exports.neutralise` (spreadsheet formula injection);
numbers stay numbers. No Streamlit.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import findings
import scoring
from charts.style import fmt_number
from exports import images
from exports.tables import dutch_excel_csv, machine_csv, neutralise
from formatting import LOCAL_TZ, fmt_date, fmt_datetime
from scoring import disclosure

SMALL_GROUP = "(kleine groep)"
COUNCIL_TABLES = ["Per gemeente", "Per rol"]
RESULT_TABLES = COUNCIL_TABLES  # the old name: the shareable tables
SHEETS = ["Toelichting", *COUNCIL_TABLES]  # the shareable workbook
RAW_SHEETS = ["Niet publiceren", "Antwoorden", "Scores per deelnemer"]
RAW_WARNING = (
    "NIET PUBLICEREN. Dit bestand bevat de losse antwoorden en scores per deelnemer (pseudoniem), met "
    "gemeente en rol. Een deelnemer uit een kleine groep is hierin te herkennen. Alleen voor de begeleider: "
    "deel het niet met de raad, de griffie of de zaal. Om te delen: gebruik ‘Resultaten voor de raad’."
)
ANSWER_COLUMNS = [
    "deelnemer",
    "gemeente",
    "rol",
    "rolgroep",
    "onderdeel",
    "stelling",
    "waarde",
    "omgekeerd",
    "beantwoord_op",
    "aangemeld_op",
    "afgerond_op",
]
GROUP_COLUMNS = [
    "Soort",
    "Naam",
    "Code",
    "Deelnemers",
    "Gemiddelde",
    "Mediaan",
    "Standaardafwijking",
    "Laagste",
    "Hoogste",
    "Overeenstemming",
    "Uitkomst",
    "Aandeel (%)",
    "Opmerking",
]
DECIMALS = 2
PNG_WIDTH = images.IMAGE_WIDTH


def _note(min_n: int) -> str:
    return disclosure.TOO_FEW


# ---------------------------------------------------------------- answers (long form)


def _answers_long(data, q) -> pd.DataFrame:
    """One row per answer with the participant's facts; timestamps as tz-aware UTC."""
    item = q.item_table.set_index("item")
    parts = data.participants.set_index("participant")
    a = data.answers
    out = pd.DataFrame(
        {
            "deelnemer": a["participant"].astype(object),
            "gemeente": a["participant"].map(parts["municipality"]).astype(object),
            "rol": a["participant"].map(parts["role"]).astype(object),
            "rolgroep": a["participant"].map(parts["role_group"]).astype(object),
            "onderdeel": a["item"].map(item["section"]).astype(object),
            "stelling": a["item"].astype(object),
            "waarde": a["value"].astype("int64"),
            "omgekeerd": a["item"].map(item["reverse"]).fillna(False).astype(bool).astype("int64"),
            "beantwoord_op": pd.to_datetime(a["answered_at"], utc=True),
            "aangemeld_op": pd.to_datetime(a["participant"].map(parts["joined_at"]), utc=True),
            "afgerond_op": pd.to_datetime(a["participant"].map(parts["finished_at"]), utc=True),
        },
        columns=ANSWER_COLUMNS,
    )
    position = a["item"].map(item["position"])
    joined = a["participant"].map({p: n for n, p in enumerate(data.participants["participant"])})
    order = np.lexsort((position.to_numpy(dtype=float), joined.to_numpy(dtype=float)))
    return out.iloc[order].reset_index(drop=True)


def _iso(series: pd.Series) -> pd.Series:
    """ISO 8601 in UTC ('2025-03-01T19:04:05Z'); missing stays empty."""
    s = pd.to_datetime(series, utc=True)
    return pd.Series([None if pd.isna(v) else v.strftime("%Y-%m-%dT%H:%M:%SZ") for v in s], index=series.index, dtype=object)


def answers_csv(data, q) -> bytes:
    """All answers of the session in long form, machine-readable (UTF-8, ',', decimal point), for
    the begeleider only: the first line is the warning that it is not for publication (read it
    with ``pandas.read_csv(..., skiprows=1)``).

    waarde: 1..5 on the scale, 0 = weet niet / n.v.t. (never a score); omgekeerd: 1 when the
    statement is scored in reverse (6 - waarde).
    """
    df = _answers_long(data, q)
    for col in ("beantwoord_op", "aangemeld_op", "afgerond_op"):
        df[col] = _iso(df[col])
    warning = '"# ' + RAW_WARNING.replace('"', '""') + '"\r\n'  # one quoted cell on the first line
    return warning.encode("utf-8") + machine_csv(df)


# ---------------------------------------------------------------- result tables


def _visible_groups(data) -> tuple[set, set, set]:
    """Municipalities, role groups and (municipality, role group) pairs with enough participants."""
    min_n = data.min_n
    active = data.active
    m = active.groupby("municipality").size()
    r = active.dropna(subset=["role_group"]).groupby("role_group").size()
    pair = active.dropna(subset=["role_group"]).groupby(["municipality", "role_group"]).size()
    return set(m[m >= min_n].index), set(r[r >= min_n].index), set(pair[pair >= min_n].index)


def _scores_per_participant(data, q) -> pd.DataFrame:
    title_of = {s.id: s.title for s in q.sections}
    sec_ids = data.section_ids(q)
    big_m, big_r, big_pair = _visible_groups(data)
    group_label = q.role_group_label
    active = data.active.sort_values("participant", kind="stable").reset_index(drop=True)
    rows = []
    scores = (
        data.sections.pivot_table(index="participant", columns="section", values="score", dropna=False)
        if len(data.sections)
        else None
    )
    advice = data.advice.set_index("participant")["advice_label"] if len(data.advice) else pd.Series(dtype=object)
    for p in active.itertuples():
        show_m = p.municipality in big_m
        show_r = p.role_group in big_r and (not show_m or (p.municipality, p.role_group) in big_pair)
        row = {
            "Deelnemer": p.participant,
            "Gemeente": p.municipality if show_m else SMALL_GROUP,
            "Rolgroep": group_label.get(p.role_group, p.role_group) if show_r else SMALL_GROUP,
        }
        for s in sec_ids:
            value = (
                scores.loc[p.participant, s]
                if scores is not None and p.participant in scores.index and s in scores.columns
                else np.nan
            )
            row[title_of[s]] = float(value) if pd.notna(value) else np.nan
        if data.stop_ids(q):
            label = advice.get(p.participant)
            row["Advies"] = label if isinstance(label, str) else "Geen advies (te weinig beantwoord)"
        rows.append(row)
    columns = ["Deelnemer", "Gemeente", "Rolgroep", *[title_of[s] for s in sec_ids]] + (["Advies"] if data.stop_ids(q) else [])
    out = pd.DataFrame(rows, columns=columns)
    for s in sec_ids:
        out[title_of[s]] = out[title_of[s]].astype("float64")
    return out


def _group_table(data, q, by: str) -> pd.DataFrame:
    """Sections, stop criteria and advice per group, suppressed groups without numbers."""
    min_n = data.min_n
    if by == "municipality":
        order, head, label = data.municipalities, "Gemeente", str
    else:
        order, head = data.role_groups(q), "Rol"
        label = lambda g: q.role_group_label.get(g, g)  # noqa: E731
    section_title = {s.id: s.title for s in q.sections}
    crit_title = {c.id: c.title for c in q.criteria}
    band_label = {b.id: b.label for b in q.scoring.bands}
    signal_label = {s.id: s.label for s in q.scoring.signals}
    advice_label = {a.id: a.label for a in q.settings.advices}
    frames = []

    def reindexed(frame: pd.DataFrame, unit_col: str, units: list[str]) -> pd.DataFrame:
        full = pd.MultiIndex.from_product([order, units], names=[by, unit_col])
        out = frame.set_index([by, unit_col]).reindex(full).reset_index()
        out["suppressed"] = out["suppressed"].astype("boolean").fillna(True).astype(bool)
        return out

    sec_ids = data.section_ids(q)
    if sec_ids:
        agg = reindexed(scoring.aggregate_sections(data.sections, data.active, [by], min_n, q), "section", sec_ids)
        frames.append(
            pd.DataFrame(
                {
                    "_group": agg[by],
                    "_order": 0,
                    "Soort": "Onderdeel",
                    "Naam": agg["section"].map(section_title),
                    "Code": agg["section"],
                    "Deelnemers": agg["n"],
                    "Gemiddelde": agg["mean"],
                    "Mediaan": agg["median"],
                    "Standaardafwijking": agg["std"],
                    "Laagste": agg["min"],
                    "Hoogste": agg["max"],
                    "Overeenstemming": agg["agreement"],
                    "Uitkomst": agg["band"].map(band_label),
                    "Aandeel (%)": np.nan,
                    "suppressed": agg["suppressed"],
                }
            )
        )
    stop_ids = data.stop_ids(q)
    if stop_ids:
        crit_ids = [c.id for s in q.stop_sections(stop_ids) for c in s.criteria]
        agg = scoring.aggregate_criteria(data.criteria, data.active, [by], min_n, q).drop(columns="section")
        agg = reindexed(agg, "criterion", crit_ids)
        frames.append(
            pd.DataFrame(
                {
                    "_group": agg[by],
                    "_order": 1,
                    "Soort": "Stopcriterium",
                    "Naam": agg["criterion"].map(crit_title),
                    "Code": agg["criterion"],
                    "Deelnemers": agg["n"],
                    "Gemiddelde": agg["mean"],
                    "Mediaan": agg["median"],
                    "Standaardafwijking": agg["std"],
                    "Laagste": agg["min"],
                    "Hoogste": agg["max"],
                    "Overeenstemming": agg["agreement"],
                    "Uitkomst": agg["signal"].map(signal_label),
                    "Aandeel (%)": np.nan,
                    "suppressed": agg["suppressed"],
                }
            )
        )
        dist = scoring.advice_distribution(data.advice, data.active, [by], min_n, q)
        dist = reindexed(dist, "advice", [a.id for a in q.settings.advices])
        frames.append(
            pd.DataFrame(
                {
                    "_group": dist[by],
                    "_order": 2,
                    "Soort": "Advies",
                    "Naam": dist["advice"].map(advice_label),
                    "Code": dist["advice"],
                    "Deelnemers": dist["count"],
                    "Gemiddelde": np.nan,
                    "Mediaan": np.nan,
                    "Standaardafwijking": np.nan,
                    "Laagste": np.nan,
                    "Hoogste": np.nan,
                    "Overeenstemming": np.nan,
                    "Uitkomst": None,
                    "Aandeel (%)": dist["share"] * 100,
                    "suppressed": dist["suppressed"],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=[head, *GROUP_COLUMNS])
    df = pd.concat(frames, ignore_index=True)
    df["_g"] = df["_group"].map({g: n for n, g in enumerate(order)})
    df = df.sort_values(["_g", "_order"], kind="stable").reset_index(drop=True)
    numbers = [
        "Deelnemers",
        "Gemiddelde",
        "Mediaan",
        "Standaardafwijking",
        "Laagste",
        "Hoogste",
        "Overeenstemming",
        "Aandeel (%)",
    ]
    sup = df["suppressed"].to_numpy(dtype=bool)
    for col in numbers:
        df[col] = df[col].astype("float64").where(~sup)
    df["Uitkomst"] = df["Uitkomst"].astype(object).where(~sup & df["Uitkomst"].notna(), None)
    counts = df["Deelnemers"].round().astype("Int64")
    df["Deelnemers"] = pd.Series(
        [disclosure.fewer_than(min_n) if hide else (None if pd.isna(n) else int(n)) for n, hide in zip(counts, sup, strict=True)],
        index=df.index,
        dtype=object,
    )
    df["Opmerking"] = np.where(sup, _note(min_n), "")
    df.insert(0, head, df["_group"].map(label))
    return df[[head, *GROUP_COLUMNS]]


def results_tables(data, q) -> dict[str, pd.DataFrame]:
    """The shareable tables 'Per gemeente' and 'Per rol' (Dutch headers, numbers as numbers), from
    the published view of the data (complementary suppression)."""
    public = data.public
    return {
        "Per gemeente": _group_table(public, q, "municipality"),
        "Per rol": _group_table(public, q, "role_group"),
    }


def results_csv(data, q, table: str) -> bytes:
    """One of the shareable tables as CSV for Dutch Excel (UTF-8 BOM, ';', decimal comma)."""
    if table not in COUNCIL_TABLES:
        raise ValueError(f"onbekende tabel {table!r}; kies uit {COUNCIL_TABLES}")
    return dutch_excel_csv(results_tables(data, q)[table], decimals=DECIMALS)


# ---------------------------------------------------------------- workbook


def _cell_value(value):
    """A Python value openpyxl writes as the right cell type: numbers as numbers, text neutralised."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), DECIMALS + 4)
    if isinstance(value, pd.Timestamp):
        ts = value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
        return ts.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(value)
    return value


def _write_table(ws, df: pd.DataFrame, *, number_format: str | None = "0.00", widths: dict[str, int] | None = None) -> None:
    """Header row in bold, the rows below; column widths from the content; header frozen."""
    bold = Font(bold=True)
    ws.append([neutralise(str(c)) for c in df.columns])
    for cell in ws[1]:
        cell.font = bold
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in row])
    for n, col in enumerate(df.columns, start=1):
        letter = get_column_letter(n)
        is_float = pd.api.types.is_float_dtype(df[col])
        is_time = pd.api.types.is_datetime64_any_dtype(df[col])
        if (is_float and number_format) or is_time:
            fmt = "yyyy-mm-dd hh:mm:ss" if is_time else number_format
            for cell in ws[letter][1:]:
                cell.number_format = fmt
        longest = max(
            [len(str(col))]
            + [len(str(v)) for v in df[col].head(500) if v is not None and not (isinstance(v, float) and math.isnan(v))]
        )
        ws.column_dimensions[letter].width = (widths or {}).get(col, min(max(10, longest + 2), 60 if not is_time else 22))
    ws.freeze_panes = "A2"


def _local_tz():
    """Dutch local time for dates a person reads (one place: formatting.LOCAL_TZ)."""
    return LOCAL_TZ


def _counted(data) -> int:
    """How many participants count in at least one published number (never the exact total, which
    minus the shown groups would give the size of a hidden group)."""
    return data.public.n_counted


def _per_role_text(data, q) -> str:
    text = "Hetzelfde als 'Per gemeente', maar per rolgroep (raad, college, ambtelijk, overig)."
    merged = sorted(q.role_group_label.get(g, g) for g in data.public.merged_roles)
    if merged:
        text += f" '{disclosure.MERGED_ROLES}' zijn deze rollen samen: {', '.join(merged)} (elk te klein om apart te tonen)."
    return text


def _explanation(data, q) -> pd.DataFrame:
    s = data.session
    min_n = data.min_n
    scale = q.scale
    codes = "; ".join(f"{o.value} = {o.label.lower()}" for o in scale.options)
    bands = "; ".join(f"{b.label}: vanaf {fmt_number(b.min)}" for b in q.scoring.bands)
    signals = "; ".join(f"{x.label}: vanaf {fmt_number(x.min)}" for x in q.scoring.signals)
    created = fmt_date(s.created_at)
    made = fmt_datetime()
    gap = fmt_number(q.scoring.conversation_gap)
    rows = [
        ("Sessie", s.name),
        ("Datum", created),
        ("Export gemaakt op", made),
        ("Gemeenten", ", ".join(data.municipalities)),
        ("Deelnemers die meetellen", _counted(data)),
        (
            "Wie telt mee",
            "Deelnemers met minstens één antwoord, behalve wie in een te kleine groep zit (zie ‘Kleine groepen’).",
        ),
        ("Anonimiteitsgrens", min_n),
        (
            "Deze werkmap",
            "Resultaten voor de raad: alleen cijfers per groep, geen rij per deelnemer. Deze werkmap mag gedeeld worden.",
        ),
        ("Kleine groepen", disclosure.rule_text(min_n)),
        (
            "Per gemeente",
            "Per gemeente: per onderdeel en stopcriterium het aantal deelnemers dat meetelt, gemiddelde, mediaan, "
            "standaardafwijking, laagste en hoogste score en de overeenstemming; per advies het aantal en aandeel.",
        ),
        ("Per rol", _per_role_text(data, q)),
        ("Antwoordschaal", f"{codes}; {scale.dont_know.code} = {scale.dont_know.label.lower()} (telt nooit mee als getal)."),
        ("Omgekeerde stellingen", "Bij een negatief gestelde stelling (omgekeerd = 1) telt 6 min het antwoord mee in de score."),
        ("Score per onderdeel", "Het gemiddelde van de beantwoorde stellingen; minder dan de helft beantwoord geeft geen score."),
        ("Banden (onderdelen)", bands + "."),
        ("Signalen (stopcriteria)", signals + ". Hoe hoger de score, hoe sterker het waarschuwingssignaal."),
        ("Overeenstemming", " ".join(q.scoring.agreement.explanation.split())),
        (
            "Gespreksonderwerp",
            f"Een verschil van {gap} punt of meer tussen de hoogste en laagste gemeente; "
            f"alleen de grootste {q.scoring.conversation_max_topics}.",
        ),
    ]
    return pd.DataFrame(rows, columns=["Onderwerp", "Uitleg"])


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _wrap(ws) -> None:
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_xlsx(data, q) -> bytes:
    """Resultaten voor de raad in one workbook: Toelichting, Per gemeente, Per rol (no row per person)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Toelichting"
    _write_table(ws, _explanation(data, q), widths={"Onderwerp": 26, "Uitleg": 110})
    _wrap(ws)
    tables = results_tables(data, q)
    for name in COUNCIL_TABLES:
        _write_table(wb.create_sheet(name), tables[name])
    topics = findings.session_topics(data, q)
    if topics:  # the three topics for the conversation, in the same words as the slide and the report
        rows = []
        for n, t in enumerate(topics, start=1):
            title, rest = findings.topic_parts(t)
            rows.append({"Nr": n, "Onderwerp": title, "Wat": (title + rest), "Tip": t.tip or ""})
        _write_table(wb.create_sheet(TOPICS_SHEET), pd.DataFrame(rows), number_format=None, widths={"Wat": 70, "Tip": 90})
    approved = _open_answers(data, approved_only=True)
    if len(approved):  # only what the begeleider approved, never beside a small group's municipality
        _write_table(wb.create_sheet(OPEN_SHEET), approved, number_format=None, widths={"Vraag": 40, "Antwoord": 90})
    return _save(wb)


NOT_NAMED = "niet genoemd (kleine groep)"
TOPICS_SHEET = "Gespreksonderwerpen"
OPEN_SHEET = "Open antwoorden"


def open_answer_rows(frame, questions, shown_municipalities, *, approved_only: bool) -> pd.DataFrame:
    """Open answers for a file: shareable (approved only: Vraag, Gemeente, Antwoord) or raw (every answer
    with its pseudonym and moderation status). The municipality is named only when that group has
    numbers in the same results (``shown_municipalities``), never beside a small group."""
    columns = ["Vraag", "Gemeente", "Antwoord"] if approved_only else ["Vraag", "Deelnemer", "Gemeente", "Antwoord", "Status"]
    if frame is None or len(frame) == 0:
        return pd.DataFrame(columns=columns)
    rows = frame[frame["status"] == "approved"] if approved_only else frame
    rows = rows.sort_values(["position", "text"], kind="stable")
    status = {"pending": "nieuw", "approved": "goedgekeurd", "hidden": "verborgen"}
    out = pd.DataFrame(
        {
            "Vraag": rows["position"].map(lambda p: questions[p] if p < len(questions) else ""),
            "Deelnemer": rows["participant"],
            "Gemeente": rows["municipality"].map(lambda m: m if m in shown_municipalities else NOT_NAMED),
            "Antwoord": rows["text"],
            "Status": rows["status"].map(status),
        }
    )
    return out[columns].reset_index(drop=True)


def _open_answers(data, *, approved_only: bool) -> pd.DataFrame:
    frame = getattr(data, "open_answers", None)
    if frame is None or len(frame) == 0:
        return open_answer_rows(None, (), set(), approved_only=approved_only)
    return open_answer_rows(
        frame, list(getattr(data, "open_questions", ())), data.shown_municipalities, approved_only=approved_only
    )


def raw_workbook_xlsx(data, q) -> bytes:
    """Ruwe antwoorden for the begeleider: the warning sheet first, then Antwoorden and Scores per deelnemer."""
    wb = Workbook()
    ws = wb.active
    ws.title = RAW_SHEETS[0]
    rows = [
        ("Let op", RAW_WARNING),
        ("Sessie", data.session.name),
        ("Antwoorden", "Alle losse antwoorden, per deelnemer (pseudoniem) en stelling; 0 = weet niet / n.v.t."),
        ("Scores per deelnemer", "Per deelnemer (pseudoniem) de score per onderdeel en het advies."),
        ("Tijden", "In de kolommen beantwoord_op, aangemeld_op en afgerond_op staat de tijd in UTC."),
    ]
    _write_table(ws, pd.DataFrame(rows, columns=["Onderwerp", "Uitleg"]), widths={"Onderwerp": 26, "Uitleg": 110})
    _wrap(ws)
    ws["A2"].font = ws["B2"].font = Font(bold=True, color="9C0006")
    _write_table(wb.create_sheet(RAW_SHEETS[1]), _answers_long(data, q), number_format=None)
    _write_table(wb.create_sheet(RAW_SHEETS[2]), _scores_per_participant(data, q))
    opened = _open_answers(data, approved_only=False)
    if len(opened):
        _write_table(wb.create_sheet(OPEN_SHEET), opened, number_format=None, widths={"Vraag": 40, "Antwoord": 90})
    return _save(wb)


# ---------------------------------------------------------------- the two kinds, by name


@dataclass(frozen=True)
class FileKind:
    label: str  # Dutch button text
    suffix: str  # end of the file name
    mime: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNCIL_FILES: dict[str, FileKind] = {
    "xlsx": FileKind("Resultaten voor de raad (Excel, XLSX)", "resultaten.xlsx", XLSX),
    **{
        name: FileKind(f"{name} (CSV voor Excel)", f"resultaten-{name.lower().replace(' ', '-')}.csv", "text/csv")
        for name in COUNCIL_TABLES
    },
}
RAW_FILES: dict[str, FileKind] = {
    "xlsx": FileKind("Ruwe antwoorden (XLSX) – niet publiceren", "ruwe-antwoorden-niet-publiceren.xlsx", XLSX),
    "csv": FileKind("Ruwe antwoorden, lange vorm (CSV) – niet publiceren", "ruwe-antwoorden-niet-publiceren.csv", "text/csv"),
}


def council_file(data, q, name: str) -> bytes:
    """A file of *Resultaten voor de raad* (shareable; see ``COUNCIL_FILES``): group numbers only."""
    if name == "xlsx":
        return workbook_xlsx(data, q)
    if name in COUNCIL_TABLES:
        return results_csv(data, q, name)
    raise ValueError(f"onbekend bestand {name!r}; kies uit {list(COUNCIL_FILES)}")


def raw_file(data, q, name: str) -> bytes:
    """A file of *Ruwe antwoorden* (see ``RAW_FILES``): for the begeleider only, never to be published."""
    if name == "xlsx":
        return raw_workbook_xlsx(data, q)
    if name == "csv":
        return answers_csv(data, q)
    raise ValueError(f"onbekend bestand {name!r}; kies uit {list(RAW_FILES)}")


# ---------------------------------------------------------------- chart images

# The images live in exports.images (thread-safe spec, finding and stamp in the image); these names
# stay here for the callers that know them from this module.
chart_png = images.chart_png
chart_svg = images.chart_svg
