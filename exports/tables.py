"""Tabular exports.

Two CSV dialects:
- ``dutch_excel_csv``: what Dutch Excel opens directly by double-click: UTF-8 with BOM,
  ``;`` as separator and a decimal comma.
- ``machine_csv``: for analysis tools: UTF-8 without BOM, ``,`` and a decimal point.

Both neutralise text cells that a spreadsheet would read as a formula (CSV/XLSX injection):
a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a line break gets a leading
apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Make one cell safe for a spreadsheet; non-text values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _prepare(df: pd.DataFrame, decimals: int) -> pd.DataFrame:
    out = neutralise_frame(df)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(decimals)
        elif pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    return out


def dutch_excel_csv(df: pd.DataFrame, decimals: int = 2) -> bytes:
    text = _prepare(df, decimals).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def machine_csv(df: pd.DataFrame, decimals: int = 4) -> bytes:
    # CRLF as in RFC 4180: a cell holding a lone CR or LF is then always quoted, so it can never
    # split a row (and start a new, unneutralised cell).
    text = _prepare(df, decimals).to_csv(sep=",", decimal=".", index=False, lineterminator="\r\n")
    return text.encode("utf-8")
