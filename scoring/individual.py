"""Scores of one participant: per section (bands) and per stop criterion (signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scoring._common import (
    ROUND_DECIMALS,
    STATUS_OK,
    STATUS_TOO_FEW,
    checked_answers,
    classify,
    enough_answered,
    object_column,
    round_half_up,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from questionnaire.loader import Questionnaire


def _check_section_ids(section_ids, q: Questionnaire) -> list[str] | None:
    if section_ids is None:
        return None
    if isinstance(section_ids, str):
        raise TypeError("section_ids moet een lijst van sectie-ids zijn, geen losse string")
    section_ids = list(section_ids)
    unknown = [s for s in section_ids if s not in q.section_by_id]
    if unknown:
        raise ValueError(f"onbekende sectie(s) {unknown}")
    return section_ids


def _score_units(answers: pd.DataFrame, q: Questionnaire, unit_of_item: np.ndarray, n_units: int):
    """Per participant x unit: number of items, number answered (1..5) and the score.

    ``unit_of_item[i]`` is the unit (section or criterion) of row i of ``q.item_table``, or -1
    when the item is out of scope. Reverse items are coded ``max + min - x``. Returns
    ``(participants, n_items[U], n_answered[P*U], raw[P*U], score[P*U], ok)``: ``raw`` is the
    unrounded mean, ``score`` that mean rounded once, half up, to one decimal (the score every
    output shows), both NaN where too few items were answered. Fully vectorised (bincount on
    participant x unit keys).
    """
    participants, p_code, item_pos, value = checked_answers(answers, q)
    unit = unit_of_item[item_pos]
    scale = q.scale
    answered = (unit >= 0) & (value != scale.dont_know.code)
    reverse = q.item_table["reverse"].to_numpy(dtype=bool)[item_pos]
    coded = np.where(reverse, scale.max_value + scale.min_value - value, value)

    n_p = len(participants)
    key = p_code[answered] * n_units + unit[answered]
    n_answered = np.bincount(key, minlength=n_p * n_units)
    # Sums of small integers in float64 are exact, so the mean is the correctly rounded quotient.
    sums = np.bincount(key, weights=coded[answered].astype(float), minlength=n_p * n_units)
    n_items = np.bincount(unit_of_item[unit_of_item >= 0], minlength=n_units)
    n_items_long = np.tile(n_items, n_p)
    ok = (n_answered > 0) & enough_answered(n_answered, n_items_long, q.scoring.min_answered_share)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(ok, np.round(sums / np.maximum(n_answered, 1), ROUND_DECIMALS), np.nan)
    return participants, n_items_long, n_answered, raw, round_half_up(raw), ok


def _skipped(q: Questionnaire, required: bool) -> np.ndarray:
    """Per row of ``q.item_table``: not asked (a legally required cooperation skips it)."""
    if not required:
        return np.zeros(len(q.item_table), dtype=bool)
    return q.item_table["skip_when_required"].to_numpy(dtype=bool)


def score_sections(
    answers: pd.DataFrame, q: Questionnaire, section_ids: list[str] | None = None, *, required: bool = False
) -> pd.DataFrame:
    """Score per participant x scored (non-stop) section.

    One row for every participant in ``answers`` and every section in scope (also unanswered
    ones), participants sorted, sections in content order. Columns: participant, section,
    n_items, n_answered, score, band, status, score_raw.

    ``score`` is the mean of the answered items (1..5; "weet niet" is not an answer), reverse
    items coded ``max + min - x``, rounded once, half up, to one decimal; ``score_raw`` is the
    unrounded mean (for the raw export and for group means, which are rounded once themselves).
    With ``required`` (a legally required cooperation) the items marked ``skip_when_required``
    are not asked: they do not count in ``n_items`` and their answers are ignored. With fewer than
    ``min_answered_share * n_items`` answered the score is NaN, band None and status
    ``"te_weinig_antwoorden"``; otherwise status ``"ok"`` and band = :func:`band_for` (score).
    Unknown items are ignored; a duplicated (participant, item) or an invalid value raises
    ValueError.
    """
    sections = q.scored_sections(_check_section_ids(section_ids, q))
    sec_ids = [s.id for s in sections]
    sec_index = {s: n for n, s in enumerate(sec_ids)}
    unit_of_item = q.item_table["section"].map(sec_index).fillna(-1).to_numpy(dtype=np.int64)
    unit_of_item[_skipped(q, required)] = -1
    participants, n_items, n_answered, raw, score, ok = _score_units(answers, q, unit_of_item, len(sec_ids))
    n_p = len(participants)
    return pd.DataFrame(
        {
            "participant": object_column(np.repeat(participants, len(sec_ids))),
            "section": object_column(np.tile(np.array(sec_ids, dtype=object), n_p)),
            "n_items": n_items.astype(np.int64),
            "n_answered": n_answered.astype(np.int64),
            "score": score,
            "band": object_column(classify(score, q.scoring.bands)),
            "status": object_column(np.where(ok, STATUS_OK, STATUS_TOO_FEW).astype(object)),
            "score_raw": raw,
        }
    )


def score_criteria(
    answers: pd.DataFrame, q: Questionnaire, section_ids: list[str] | None = None, *, required: bool = False
) -> pd.DataFrame:
    """Score per participant x stop criterion (of the stop sections in scope).

    Columns: participant, section, criterion, n_items, n_answered, score, signal, status, score_raw.
    With ``required`` the items marked ``skip_when_required`` are not asked, and a criterion
    left without items is not asked either (it gets no row). ``score`` is the mean agreement with the criterion's warning statements (reverse items
    coded ``max + min - x``), NaN with status ``"te_weinig_antwoorden"`` when fewer than
    ``min_answered_share`` of them are answered; ``signal`` = :func:`signal_for` (score).
    Criteria in content order, participants sorted.
    """
    sections = q.stop_sections(_check_section_ids(section_ids, q))
    skipped = {i.id for s in sections for i in s.items if required and i.skip_when_required}
    crit = [
        (s.id, c.id)
        for s in sections
        for c in s.criteria
        if any(i.criterion == c.id and i.id not in skipped for i in s.items)
    ]
    crit_index = {c: n for n, (_, c) in enumerate(crit)}
    in_scope = q.item_table["section"].isin([s.id for s in sections]) & ~_skipped(q, required)
    unit_of_item = q.item_table["criterion"].where(in_scope).map(crit_index).fillna(-1).to_numpy(dtype=np.int64)
    participants, n_items, n_answered, raw, score, ok = _score_units(answers, q, unit_of_item, len(crit))
    n_p = len(participants)
    return pd.DataFrame(
        {
            "participant": object_column(np.repeat(participants, len(crit))),
            "section": object_column(np.tile(np.array([s for s, _ in crit], dtype=object), n_p)),
            "criterion": object_column(np.tile(np.array([c for _, c in crit], dtype=object), n_p)),
            "n_items": n_items.astype(np.int64),
            "n_answered": n_answered.astype(np.int64),
            "score": score,
            "signal": object_column(classify(score, q.scoring.signals)),
            "status": object_column(np.where(ok, STATUS_OK, STATUS_TOO_FEW).astype(object)),
            "score_raw": raw,
        }
    )
