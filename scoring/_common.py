"""Shared helpers: thresholds (bands and signals), input checks and code tables.

Every comparison of a score with a threshold from the content goes through :func:`classify`
(and its scalar wrappers :func:`band_for` and :func:`signal_for`), so there is exactly one
place where thresholds are applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover - typing only
    from questionnaire.loader import Questionnaire

# Float noise is removed at this many decimals (a mean such as (4 + 4 + 4) / 3 is exactly 4.0).
ROUND_DECIMALS = 10
# THE rounding rule for scores: every score (of a participant or a group) is rounded once, half
# up, to this many decimals, and its band or signal is read from that rounded number (3.95 ->
# 4.0 -> sterk). Screens, charts and exports show that same number.
SCORE_DECIMALS = 1
# Slack for comparisons of counts with a share (0.7 * 10 == 7.000000000000001 in floating point).
_EPS = 1e-9

STATUS_OK = "ok"
STATUS_TOO_FEW = "te_weinig_antwoorden"


# ---------------------------------------------------------------- rounding


def round_half_up(values, decimals: int = SCORE_DECIMALS) -> np.ndarray:
    """Round half up (away from zero for the positive numbers used here): 3.95 -> 4.0, 3.25 -> 3.3.

    Python's and numpy's ``round`` round half to even on the binary value (3.25 -> 3.2); people round
    by hand half up, and so does ``charts.style.fmt_number``. The value is first cleaned at 9
    decimals so that 3.95 stored as 3.9499999999999997 still rounds up. NaN stays NaN.
    """
    x = np.asarray(values, dtype=float)
    factor = 10.0**decimals
    scaled = np.round(x * factor, 6)
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / factor


def round_score(value: float | None) -> float | None:
    """:func:`round_half_up` for one score (None/NaN gives None)."""
    v = _scalar(value)
    return None if np.isnan(v) else float(round_half_up(v))


# ---------------------------------------------------------------- thresholds


def classify(scores, levels: Sequence) -> np.ndarray:
    """Level id per score: the first level (levels descending by ``min``) whose ``min`` <= score.

    ``levels`` is ``q.scoring.bands`` or ``q.scoring.signals``. NaN (or a score below every
    minimum) gives None. Returns an object array.
    """
    s = np.round(np.asarray(scores, dtype=float).reshape(-1), ROUND_DECIMALS)
    mins_asc = np.array([lv.min for lv in levels], dtype=float)[::-1]
    ids_asc = np.array([lv.id for lv in levels], dtype=object)[::-1]
    pos = np.searchsorted(mins_asc, s, side="right") - 1  # index of the largest min <= score
    out = np.full(s.shape, None, dtype=object)
    ok = (pos >= 0) & ~np.isnan(s)
    out[ok] = ids_asc[pos[ok]]
    return out


def _scalar(score) -> float:
    if score is None:
        return np.nan
    try:
        return float(score)
    except (TypeError, ValueError):
        return np.nan


def band_for(score: float | None, q: Questionnaire) -> str | None:
    """Band id for one section score (None for a missing score)."""
    return classify([_scalar(score)], q.scoring.bands)[0]


def signal_for(score: float | None, q: Questionnaire) -> str | None:
    """Signal id for one stop-criterion score (None for a missing score)."""
    return classify([_scalar(score)], q.scoring.signals)[0]


def red_orange(q: Questionnaire) -> tuple[str, str]:
    """The ids of the strongest (red) and second (orange) signal: the first two in the content."""
    signals = q.scoring.signals
    return signals[0].id, signals[1].id


def enough_answered(n_answered, n_total, share: float):
    """True where ``n_answered >= share * n_total`` (with float slack). Works on arrays."""
    return np.asarray(n_answered, dtype=float) + _EPS >= share * np.asarray(n_total, dtype=float)


# ---------------------------------------------------------------- input checks


def require_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} mist kolom(men) {missing}; aanwezig: {list(df.columns)}")


def check_min_n(min_n) -> int:
    if isinstance(min_n, bool) or int(min_n) != min_n or int(min_n) < 1:
        raise ValueError(f"min_n moet een geheel getal >= 1 zijn, niet {min_n!r}")
    return int(min_n)


def check_by(by, reserved: Sequence[str]) -> list[str]:
    if isinstance(by, str):
        raise TypeError("by moet een lijst van kolomnamen zijn, geen losse string")
    by = list(by)
    bad = [c for c in by if c in reserved or c == "participant"]
    if bad:
        raise ValueError(f"kan niet groeperen op {bad}")
    if len(set(by)) != len(by):
        raise ValueError(f"dubbele kolom in by: {by}")
    return by


def checked_answers(answers: pd.DataFrame, q: Questionnaire):
    """Validate long-form answers and return arrays for the known items.

    Returns ``(participants, p_code, item_pos, value)`` where ``participants`` are the unique
    participant ids sorted (every participant in ``answers``, also one who only answered unknown
    items), and the three arrays hold one entry per answer on a known item: the index into
    ``participants``, the row position in ``q.item_table`` and the value (int64).
    Raises ValueError for a duplicated (participant, item), a missing participant or a value
    that is neither 1..5 nor the dont-know code.
    """
    require_columns(answers, ["participant", "item", "value"], "answers")
    p_code, participants = pd.factorize(answers["participant"], sort=True)
    if (p_code < 0).any():
        raise ValueError("answers bevat een rij zonder participant")
    participants = np.asarray(participants, dtype=object)
    # Factorize first (fast on many rows), then look up only the few distinct item ids.
    i_code, i_uniques = pd.factorize(answers["item"])
    item_pos = np.append(pd.Index(q.item_table["item"]).get_indexer(i_uniques), -1)[i_code]
    known = item_pos >= 0
    p_code, item_pos = p_code[known], item_pos[known]
    value = pd.to_numeric(answers["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[known]

    allowed = np.array(list(q.scale.values) + [q.scale.dont_know.code], dtype=float)
    bad = ~np.isin(value, allowed)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"ongeldige waarde {value[i]!r} voor stelling '{q.item_table['item'].iloc[item_pos[i]]}' "
            f"van participant '{participants[p_code[i]]}' (toegestaan: {allowed.astype(int).tolist()})"
        )
    key = p_code.astype(np.int64) * len(q.item_table) + item_pos
    if has_duplicates(key, len(participants) * len(q.item_table)):
        i = int(np.flatnonzero(pd.Index(key).duplicated())[0])
        raise ValueError(
            f"dubbel antwoord: participant '{participants[p_code[i]]}' heeft stelling "
            f"'{q.item_table['item'].iloc[item_pos[i]]}' meer dan eens beantwoord"
        )
    return participants, p_code.astype(np.int64), item_pos.astype(np.int64), value.astype(np.int64)


def has_duplicates(key: np.ndarray, n_keys: int) -> bool:
    """Whether the non-negative integer ``key`` (all < ``n_keys``) holds a value twice."""
    if len(key) < 2:
        return False
    if n_keys <= 50_000_000:
        return bool(np.bincount(key, minlength=n_keys).max() > 1)
    s = np.sort(key)
    return bool((s[1:] == s[:-1]).any())


def group_codes(participant_ids, participants: pd.DataFrame | None, by: list[str]):
    """Group code per entry of ``participant_ids`` and the table of groups.

    With ``by == []`` everybody is in the single group 0 and ``participants`` is not used.
    Otherwise the groups are every combination of ``by`` values present in ``participants``
    (sorted), including groups nobody in ``participant_ids`` belongs to; an id that is not in
    ``participants`` (or has a missing value in a ``by`` column) gets code -1 and is left out.
    Returns ``(codes, groups)`` where ``groups`` has the ``by`` columns, row g = group g.
    """
    n = len(participant_ids)
    if not by:
        return np.zeros(n, dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    if participants is None:
        raise ValueError("participants is nodig om te groeperen")
    require_columns(participants, ["participant", *by], "participants")
    parts = participants[["participant", *by]]
    if parts["participant"].duplicated().any():
        dup = parts.loc[parts["participant"].duplicated(), "participant"].iloc[0]
        raise ValueError(f"participant '{dup}' staat meer dan eens in participants")
    codes, uniques = [], []
    for col in by:
        c, u = pd.factorize(parts[col], sort=True)  # missing values get -1
        codes.append(c.astype(np.int64))
        uniques.append(np.asarray(u, dtype=object))
    sizes = [max(len(u), 1) for u in uniques]
    ok = np.all([c >= 0 for c in codes], axis=0) if len(parts) else np.zeros(0, dtype=bool)
    combined = np.ravel_multi_index([c[ok] for c in codes], sizes) if ok.any() else np.zeros(0, dtype=np.int64)
    present, p_group = np.unique(combined, return_inverse=True)  # sorted by the by values
    per_col = np.unravel_index(present, sizes)
    groups = pd.DataFrame({col: object_column(u[i]) for col, u, i in zip(by, uniques, per_col, strict=True)})
    group_of_part = np.full(len(parts), -1, dtype=np.int64)
    group_of_part[ok] = np.asarray(p_group).reshape(-1)
    idx = pd.Index(parts["participant"]).get_indexer(participant_ids)
    codes_out = np.where(idx >= 0, group_of_part[np.maximum(idx, 0)] if len(parts) else -1, -1)
    return codes_out.astype(np.int64), groups


def expand_groups(groups: pd.DataFrame, g: np.ndarray, by: list[str]) -> dict[str, pd.Series]:
    """The ``by`` columns for group codes ``g`` (one entry per code), as a dict of columns."""
    return {col: object_column(groups[col].to_numpy(dtype=object)[g]) for col in by}


def object_column(values) -> pd.Series:
    """A Series that keeps None as None (pandas 3 would turn it into NaN in a str column)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)
