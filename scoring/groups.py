"""Group views: aggregates per municipality / role group, option shares, gaps between groups.

Privacy rule: a group (a combination of the ``by`` values) with fewer than ``min_n``
participants who count for a row is *suppressed*: the row is kept (so the UI can say "n < 3")
but every number in it is NaN and ``suppressed`` is True. The numbers of a small group never
leave this module.

Groups are the combinations of ``by`` values present in ``participants`` (sorted), including
groups without anybody in the scores (they come out suppressed). Participants that are not in
``participants`` or have a missing ``by`` value are left out of a breakdown; ``by=[]`` takes
everybody in the scores as one group and does not need ``participants``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scoring._common import (
    ROUND_DECIMALS,
    check_by,
    check_min_n,
    checked_answers,
    classify,
    expand_groups,
    group_codes,
    object_column,
    require_columns,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from questionnaire.loader import Questionnaire

_STATS = ["n", "mean", "median", "std", "min", "max", "agreement"]


def _aggregate(
    scores: pd.DataFrame, participants: pd.DataFrame | None, by, min_n, unit_cols: list[str], what: str
) -> tuple[pd.DataFrame, list[str]]:
    """Statistics of ``score`` per group x unit (the last of ``unit_cols``), suppression applied."""
    by = check_by(by, reserved=[*unit_cols, "score", *_STATS, "suppressed", "band", "signal"])
    min_n = check_min_n(min_n)
    require_columns(scores, ["participant", *unit_cols, "score"], what)
    unit_col = unit_cols[-1]

    p_code, p_ids = pd.factorize(scores["participant"], sort=True)
    if (p_code < 0).any():
        raise ValueError(f"{what} bevat een rij zonder participant")
    u_code, units = pd.factorize(scores[unit_col], sort=False)  # content order = order of appearance
    if (u_code < 0).any():
        raise ValueError(f"{what} bevat een rij zonder {unit_col}")
    n_units = len(units)
    if pd.Index(p_code.astype(np.int64) * max(n_units, 1) + u_code).has_duplicates:
        raise ValueError(f"{what} heeft een participant x {unit_col} meer dan eens")
    g_of_p, groups = group_codes(np.asarray(p_ids, dtype=object), participants, by)
    g = g_of_p[p_code]
    n_groups = len(groups)

    keep = g >= 0
    g, u, p = g[keep], u_code[keep], p_code[keep]
    score = scores["score"].to_numpy(dtype=float, na_value=np.nan)[keep]
    # Sort so that sums are taken in the same order whatever the row order of the input.
    order = np.lexsort((p, u, g))
    frame = pd.DataFrame({"g": g[order], "u": u[order], "score": score[order]})
    stats = frame.groupby(["g", "u"], sort=True)["score"].agg(["count", "mean", "median", "std", "min", "max"])
    full = pd.MultiIndex.from_product([range(n_groups), range(n_units)], names=["g", "u"])
    stats = stats.reindex(full)
    n = stats["count"].fillna(0).to_numpy(dtype=float)
    std = stats["std"].to_numpy(dtype=float)
    # Agreement = 1 - std / 2, clipped to [0, 1]; one person agrees with themselves (1.0).
    agreement = np.where(n >= 1, np.clip(1.0 - np.nan_to_num(std, nan=0.0) / 2.0, 0.0, 1.0), np.nan)
    suppressed = n < min_n

    gg = np.repeat(np.arange(n_groups), n_units)
    uu = np.tile(np.arange(n_units), n_groups)
    out = expand_groups(groups, gg, by)
    if len(unit_cols) == 2:  # criteria: the section of each criterion
        first = scores.drop_duplicates(unit_col).set_index(unit_col)[unit_cols[0]]
        out[unit_cols[0]] = object_column(first.reindex(units).to_numpy(dtype=object)[uu])
    out[unit_col] = object_column(np.asarray(units, dtype=object)[uu])
    out["n"] = n
    for col in ["mean", "median", "std", "min", "max"]:
        out[col] = stats[col].to_numpy(dtype=float)
    out["agreement"] = agreement
    out.loc[suppressed, _STATS] = np.nan
    out["suppressed"] = suppressed
    return out, by


def aggregate_sections(
    section_scores: pd.DataFrame,
    participants: pd.DataFrame | None,
    by: list[str],
    min_n: int,
    q: Questionnaire | None = None,
) -> pd.DataFrame:
    """Section scores per group (``by`` columns of ``participants``) x section.

    Columns: *by, section, n, mean, median, std, min, max, agreement, [band,] suppressed.
    ``n`` counts the participants of the group with a score for the section (NaN scores do not
    count). ``std`` is the sample standard deviation (ddof=1; NaN for n = 1).
    ``agreement = clip(1 - std / 2, 0, 1)``: 1.0 when everybody gives the same score (and for a
    single participant), falling to 0 as opinions spread; 2 is the largest (population) standard
    deviation on a 1-5 scale (half at 1, half at 5). The sample std of a very small, maximally
    split group can exceed 2, hence the clip.
    With ``n < min_n`` the row is kept with n/mean/median/std/min/max/agreement NaN and
    ``suppressed`` True. Given ``q``, a ``band`` column holds the band of the group mean.
    Groups sorted by ``by``, sections in their order in ``section_scores``.
    """
    out, _ = _aggregate(section_scores, participants, by, min_n, ["section"], "section_scores")
    if q is not None:
        out.insert(len(out.columns) - 1, "band", object_column(classify(out["mean"], q.scoring.bands)))
    return out


def aggregate_criteria(
    criteria_scores: pd.DataFrame,
    participants: pd.DataFrame | None,
    by: list[str],
    min_n: int,
    q: Questionnaire,
) -> pd.DataFrame:
    """Stop-criterion scores per group x criterion, as :func:`aggregate_sections`.

    Columns: *by, section, criterion, n, mean, median, std, min, max, agreement, signal,
    suppressed. ``mean`` is the mean warning score of the group; ``signal`` is the signal of
    that mean (None when suppressed).
    """
    out, _ = _aggregate(criteria_scores, participants, by, min_n, ["section", "criterion"], "criteria_scores")
    out.insert(len(out.columns) - 1, "signal", object_column(classify(out["mean"], q.scoring.signals)))
    return out


def advice_distribution(
    advice_df: pd.DataFrame,
    participants: pd.DataFrame | None,
    by: list[str],
    min_n: int,
    q: Questionnaire | None = None,
) -> pd.DataFrame:
    """How often each advice occurs per group.

    ``advice_df`` is the output of ``advise_participants``. Columns: *by, advice, n, count,
    share. ``n`` = participants of the group with an advice (those without one, for too few
    answers, are not counted), ``share = count / n``. Every advice appears for every group: all
    advices of ``q`` in content order, or without ``q`` the advices that occur (sorted).
    A group with ``n < min_n`` gets rows with NaN n/count/share and ``suppressed`` True.
    """
    by = check_by(by, reserved=["advice", "n", "count", "share", "suppressed"])
    min_n = check_min_n(min_n)
    require_columns(advice_df, ["participant", "advice"], "advice_df")
    if advice_df["participant"].duplicated().any():
        raise ValueError("advice_df heeft een participant meer dan eens")
    g, groups = group_codes(advice_df["participant"].to_numpy(dtype=object), participants, by)
    adv = advice_df["advice"].to_numpy(dtype=object)
    has = ~np.asarray(pd.isna(adv), dtype=bool)
    ids = [a.id for a in q.settings.advices] if q is not None else sorted({str(a) for a in adv[has]})
    a_code = pd.Index(ids, dtype=object).get_indexer(adv) if len(adv) else np.array([], dtype=np.int64)
    if (has & (a_code < 0)).any():
        raise ValueError(f"onbekend advies {sorted(set(adv[has & (a_code < 0)]))} (bekend: {ids})")
    n_groups, n_adv = len(groups), len(ids)
    keep = (g >= 0) & has
    counts = np.bincount(g[keep] * n_adv + a_code[keep], minlength=n_groups * n_adv).astype(float)
    n = counts.reshape(n_groups, n_adv).sum(axis=1) if n_adv else np.zeros(n_groups)
    n_long = np.repeat(n, n_adv)
    suppressed = n_long < min_n
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts / n_long
    out = expand_groups(groups, np.repeat(np.arange(n_groups), n_adv), by)
    out["advice"] = object_column(np.tile(np.array(ids, dtype=object), n_groups))
    out["n"] = np.where(suppressed, np.nan, n_long)
    out["count"] = np.where(suppressed, np.nan, counts)
    out["share"] = np.where(suppressed, np.nan, share)
    out["suppressed"] = suppressed
    return out


def option_shares(
    answers: pd.DataFrame, participants: pd.DataFrame | None, q: Questionnaire, by: list[str], min_n: int
) -> pd.DataFrame:
    """How often each answer option was chosen per group x item.

    Columns: *by, item, option, count, share, n, suppressed. Options are the scale values 1..5
    followed by the dont-know code; every option appears (0 counts included). ``n`` = group
    members who answered the item (including "weet niet"), ``share = count / n``; the shares of
    a non-suppressed group x item sum to 1. Items in content order (all items of ``q``); a
    group x item with ``n < min_n`` gets NaN count/share/n and ``suppressed`` True.
    """
    by = check_by(by, reserved=["item", "option", "count", "share", "n", "suppressed"])
    min_n = check_min_n(min_n)
    p_ids, p_code, item_pos, value = checked_answers(answers, q)
    g_of_p, groups = group_codes(p_ids, participants, by)
    g = g_of_p[p_code]
    options = np.array(list(q.scale.values) + [q.scale.dont_know.code], dtype=np.int64)
    lookup = pd.Index(options).get_indexer(value)
    n_groups, n_items, n_opt = len(groups), len(q.item_table), len(options)
    keep = g >= 0
    key = (g[keep] * n_items + item_pos[keep]) * n_opt + lookup[keep]
    counts = np.bincount(key, minlength=n_groups * n_items * n_opt).astype(float)
    n = np.repeat(counts.reshape(n_groups * n_items, n_opt).sum(axis=1), n_opt)
    suppressed = n < min_n
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts / n
    out = expand_groups(groups, np.repeat(np.arange(n_groups), n_items * n_opt), by)
    items = q.item_table["item"].to_numpy(dtype=object)
    out["item"] = object_column(np.tile(np.repeat(items, n_opt), n_groups))
    out["option"] = np.tile(options, n_groups * n_items)
    out["count"] = np.where(suppressed, np.nan, counts)
    out["share"] = np.where(suppressed, np.nan, share)
    out["n"] = np.where(suppressed, np.nan, n)
    out["suppressed"] = suppressed
    return out


def section_gaps(aggregated: pd.DataFrame, by: str, q: Questionnaire) -> pd.DataFrame:
    """Largest difference in mean score between groups, per section.

    ``aggregated`` is ``aggregate_sections(..., by=[by], ...)``. Only non-suppressed groups
    with a mean take part; a section with fewer than 2 of them gets no row. Columns: section,
    high_group, high_mean, low_group, low_mean, gap, topic (``gap >= conversation_gap``).
    Ties are broken alphabetically by group name: the highest mean goes to the alphabetically
    first of the tied groups, the lowest to the alphabetically first of the remaining groups
    (so high and low are always two different groups, also when all means are equal).
    Means are compared after rounding to 10 decimals. Sections in their order in ``aggregated``.
    """
    if not isinstance(by, str):
        raise TypeError("by is hier één kolomnaam")
    require_columns(aggregated, [by, "section", "mean", "suppressed"], "aggregated")
    if by in ("section", "mean", "suppressed"):
        raise ValueError(f"kan niet vergelijken op {by!r}")
    if aggregated.duplicated([by, "section"]).any():
        raise ValueError(f"aggregated heeft een {by} x sectie meer dan eens; aggregeer op alleen [{by!r}]")
    sections = pd.unique(aggregated["section"])
    df = aggregated.loc[
        ~aggregated["suppressed"].astype(bool) & aggregated["mean"].notna(), [by, "section", "mean"]
    ].reset_index(drop=True)
    df["_s"] = pd.Categorical(df["section"], categories=sections).codes
    df["_m"] = df["mean"].astype(float).round(ROUND_DECIMALS)
    df["_name"] = df[by].astype(str)

    high = df.sort_values(["_s", "_m", "_name"], ascending=[True, False, True], kind="stable").groupby("_s").head(1)
    rest = df.drop(index=high.index)
    low = rest.sort_values(["_s", "_m", "_name"], ascending=[True, True, True], kind="stable").groupby("_s").head(1)
    res = high.merge(low, on="_s", suffixes=("_high", "_low")).sort_values("_s")
    gap = (res["_m_high"] - res["_m_low"]).round(ROUND_DECIMALS).to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "section": object_column(res["section_high"].to_numpy(dtype=object)),
            "high_group": object_column(res[f"{by}_high"].to_numpy(dtype=object)),
            "high_mean": res["mean_high"].to_numpy(dtype=float),
            "low_group": object_column(res[f"{by}_low"].to_numpy(dtype=object)),
            "low_mean": res["mean_low"].to_numpy(dtype=float),
            "gap": gap,
            "topic": gap >= q.scoring.conversation_gap,
        }
    )


def add_role_group(participants: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """Copy of ``participants`` with ``role_group`` (the group id of ``role``; None if unknown)."""
    require_columns(participants, ["role"], "participants")
    groups = {r.id: r.group for r in q.settings.roles}
    out = participants.copy()
    out["role_group"] = pd.Series([groups.get(r) for r in participants["role"]], index=out.index, dtype=object)
    return out
