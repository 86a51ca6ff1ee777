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
    has_duplicates,
    object_column,
    require_columns,
    round_half_up,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from questionnaire.loader import Questionnaire

_STATS = ["n", "mean", "median", "std", "min", "max", "agreement"]
# Without a questionnaire: a five-point scale and r_wg rounded to two decimals.
_DEFAULT_OPTIONS = 5
_DEFAULT_AGREEMENT_DECIMALS = 2


def expected_variance(n_options: int) -> float:
    """Variance of the answers when every option is equally likely: (A^2 - 1) / 12 (2.0 for A = 5).

    The null distribution of r_wg (James, Demaree & Wolf 1984): a uniform choice among A options.
    """
    return (n_options * n_options - 1) / 12.0


def rwg(std, n, n_options: int = _DEFAULT_OPTIONS, decimals: int = _DEFAULT_AGREEMENT_DECIMALS) -> np.ndarray:
    """r_wg = 1 - s^2 / sigma^2_EU per group, from the sample standard deviation ``std`` and size ``n``.

    Values below 0 (more spread than random answering) count as 0 (James, Demaree & Wolf 1984
    advise so); a group of one person has no agreement (NaN). Rounded half up to ``decimals``.
    """
    std = np.asarray(std, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        value = np.clip(1.0 - std * std / expected_variance(n_options), 0.0, 1.0)
    return np.where(n >= 2, round_half_up(value, decimals), np.nan)


def _grouped_stats(key: np.ndarray, x: np.ndarray, n_keys: int):
    """n, mean, median, sample std (ddof=1), min and max of ``x`` per ``key`` in ``range(n_keys)``.

    Vectorised with one sort. Values are sorted within each key first, so every statistic
    depends only on the multiset of values of the key, never on the order of the input rows
    (and two groups with the same scores get bit-identical results). Empty keys give n = 0
    and NaN statistics.
    """
    order = np.lexsort((x, key))
    key, x = key[order], x[order]
    n = np.bincount(key, minlength=n_keys)
    has = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(key, weights=x, minlength=n_keys) / n
        dev = x - mean[key]
        std = np.sqrt(np.bincount(key, weights=dev * dev, minlength=n_keys) / (n - 1))
    std[n < 2] = np.nan
    mean[~has] = np.nan
    start = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)
    median, lo, hi = (np.full(n_keys, np.nan) for _ in range(3))
    s, c = start[has], n[has]
    lo[has] = x[s]
    hi[has] = x[s + c - 1]
    median[has] = (x[s + (c - 1) // 2] + x[s + c // 2]) / 2
    return n, mean, median, std, lo, hi


def _aggregate(
    scores: pd.DataFrame,
    participants: pd.DataFrame | None,
    by,
    min_n,
    unit_cols: list[str],
    what: str,
    q: Questionnaire | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Statistics of ``score`` per group x unit (the last of ``unit_cols``), suppression applied.

    The statistics are computed on ``score_raw`` when the frame has it (the unrounded scores of
    ``score_sections``/``score_criteria``), so a group mean is rounded once, not twice.
    """
    by = check_by(by, reserved=[*unit_cols, "score", "score_raw", *_STATS, "agreement_level", "suppressed", "band", "signal"])
    min_n = check_min_n(min_n)
    require_columns(scores, ["participant", *unit_cols, "score"], what)
    unit_col = unit_cols[-1]

    p_code, p_ids = pd.factorize(scores["participant"], sort=False)
    if (p_code < 0).any():
        raise ValueError(f"{what} bevat een rij zonder participant")
    u_code, units = pd.factorize(scores[unit_col], sort=False)  # content order = order of appearance
    if (u_code < 0).any():
        raise ValueError(f"{what} bevat een rij zonder {unit_col}")
    n_units = len(units)
    if has_duplicates(p_code.astype(np.int64) * max(n_units, 1) + u_code, len(p_ids) * max(n_units, 1)):
        raise ValueError(f"{what} heeft een participant x {unit_col} meer dan eens")
    g_of_p, groups = group_codes(np.asarray(p_ids, dtype=object), participants, by)
    g = g_of_p[p_code]
    n_groups = len(groups)

    n_keys = n_groups * n_units
    col = "score_raw" if "score_raw" in scores.columns else "score"
    score = scores[col].to_numpy(dtype=float, na_value=np.nan)
    valid = (g >= 0) & ~np.isnan(score)
    n, mean, median, std, lo, hi = _grouped_stats(g[valid] * n_units + u_code[valid], score[valid], n_keys)
    # Scores are rounded once, here (the rounding rule); std is a spread, not a score.
    mean, median, lo, hi = (round_half_up(x) for x in (mean, median, lo, hi))
    if q is not None:
        agreement = rwg(std, n, len(q.scale.options), q.scoring.agreement.decimals)
    else:
        agreement = rwg(std, n)
    suppressed = n < min_n

    gg = np.repeat(np.arange(n_groups), n_units)
    uu = np.tile(np.arange(n_units), n_groups)
    out = expand_groups(groups, gg, by)
    if len(unit_cols) == 2:  # criteria: the section of each criterion
        first = scores.drop_duplicates(unit_col).set_index(unit_col)[unit_cols[0]]
        out[unit_cols[0]] = object_column(first.reindex(units).to_numpy(dtype=object)[uu])
    out[unit_col] = object_column(np.asarray(units, dtype=object)[uu])
    for col, values in zip(_STATS, [n.astype(float), mean, median, std, lo, hi, agreement], strict=True):
        out[col] = np.where(suppressed, np.nan, values)
    if q is not None:
        out["agreement_level"] = object_column(classify(out["agreement"], q.scoring.agreement.levels))
    out["suppressed"] = suppressed
    return pd.DataFrame(out), by


def aggregate_sections(
    section_scores: pd.DataFrame,
    participants: pd.DataFrame | None,
    by: list[str],
    min_n: int,
    q: Questionnaire | None = None,
) -> pd.DataFrame:
    """Section scores per group (``by`` columns of ``participants``) x section.

    Columns: *by, section, n, mean, median, std, min, max, agreement, [agreement_level, band,]
    suppressed. ``n`` counts the participants of the group with a score for the section (NaN
    scores do not count). mean, median, min and max are computed on the unrounded scores and
    rounded once, half up, to one decimal; ``band`` is the band of that rounded mean.
    ``std`` is the sample standard deviation (ddof=1; NaN for n = 1).
    ``agreement`` is r_wg = 1 - std^2 / 2 (James, Demaree & Wolf 1984; 2 = (5^2 - 1) / 12 is the
    variance of random answers on five options), 0 when negative, NaN for one participant,
    rounded half up to two decimals; given ``q``, ``agreement_level`` puts it in words
    (``q.scoring.agreement.levels``).
    With ``n < min_n`` the row is kept with n/mean/median/std/min/max/agreement NaN and
    ``suppressed`` True. Given ``q``, a ``band`` column holds the band of the group mean.
    Groups sorted by ``by``, sections in their order in ``section_scores``.
    """
    out, _ = _aggregate(section_scores, participants, by, min_n, ["section"], "section_scores", q)
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

    Columns: *by, section, criterion, n, mean, median, std, min, max, agreement,
    agreement_level, signal, suppressed. ``mean`` is the mean warning score of the group; ``signal`` is the signal of
    that mean (None when suppressed).
    """
    out, _ = _aggregate(criteria_scores, participants, by, min_n, ["section", "criterion"], "criteria_scores", q)
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
    return pd.DataFrame(out)


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
    return pd.DataFrame(out)


def section_gaps(aggregated: pd.DataFrame, by: str, q: Questionnaire) -> pd.DataFrame:
    """Largest difference in mean score between groups, per section.

    ``aggregated`` is ``aggregate_sections(..., by=[by], ...)``. Only non-suppressed groups
    with a mean take part; a section with fewer than 2 of them gets no row. Columns: section,
    high_group, high_mean, low_group, low_mean, gap, topic: the gap is at least ``conversation_gap``
    and among the ``conversation_max_topics`` largest (equal gaps: the first in section order wins).
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
    shown = (~aggregated["suppressed"].astype(bool) & aggregated["mean"].notna()).to_numpy()
    sec = pd.Index(sections).get_indexer(aggregated["section"])[shown]
    mean = aggregated["mean"].to_numpy(dtype=float)[shown]
    m = np.round(mean, ROUND_DECIMALS)
    names = aggregated[by].to_numpy(dtype=object)[shown]
    rank, _ = pd.factorize(pd.Series(names, dtype=object).astype(str), sort=True)  # alphabetical

    def first_per_section(order: np.ndarray) -> np.ndarray:
        s = sec[order]
        return order[np.r_[True, s[1:] != s[:-1]]] if len(order) else order

    high = first_per_section(np.lexsort((rank, -m, sec)))  # highest mean, then alphabetical
    rest = np.setdiff1d(np.arange(len(sec)), high)
    low = first_per_section(rest[np.lexsort((rank[rest], m[rest], sec[rest]))])  # lowest mean, alphabetical
    high = high[np.isin(sec[high], sec[low])]  # sections with at least two groups
    # Both are sorted by section, and have the same sections now.
    gap = np.round(m[high] - m[low], ROUND_DECIMALS)
    place = np.empty(len(gap), dtype=int)
    place[np.lexsort((np.arange(len(gap)), -gap))] = np.arange(len(gap))  # 0 = largest, ties in section order
    topic = (gap >= q.scoring.conversation_gap) & (place < q.scoring.conversation_max_topics)
    return pd.DataFrame(
        {
            "section": object_column(np.asarray(sections, dtype=object)[sec[high]]),
            "high_group": object_column(names[high]),
            "high_mean": mean[high],
            "low_group": object_column(names[low]),
            "low_mean": mean[low],
            "gap": gap,
            "topic": topic,
        }
    )


def add_role_group(participants: pd.DataFrame, q: Questionnaire) -> pd.DataFrame:
    """Copy of ``participants`` with ``role_group`` (the group id of ``role``; None if unknown)."""
    require_columns(participants, ["role"], "participants")
    groups = {r.id: r.group for r in q.settings.roles}
    out = participants.copy()
    out["role_group"] = pd.Series([groups.get(r) for r in participants["role"]], index=out.index, dtype=object)
    return out
