"""Complementary suppression: which answers may count in the numbers that are published together.

Everything the room and the raad see (the whole group, per municipality, per role group, shares per
statement, advice per group, the participant's own comparison screen, counts) is computed from one
*published population* per unit (section, stop criterion, statement, advice). Suppressing only the
small cells is not enough: "whole group minus the shown municipalities" or "all role groups minus all
shown municipalities" gives the small group back, and with extreme answers (all 1 or all 5) even two
suppressed cells can be recovered from their combined total. So the rule here is the strict one from
statistical disclosure control: a participant whose group in *any* published cut is below the
minimum counts in *no* published number for that unit. Removing them can push another group below
the minimum, so the removal is repeated until every group of every cut has either 0 or at least
``min_n`` counted participants (a fixed point). Suppressed participants then appear in no published
constraint at all, and nothing about them can be derived by subtraction or by combining cuts.

Before that, role groups below the minimum are taken together as one group (global recoding,
:func:`merge_small_groups`), so that fewer people drop out because of their role alone.

Totals published next to the groups ("hele groep") are therefore totals over the counted
participants only, and the screens and files say so (:func:`rule_text`).

No Streamlit, no database: pure functions on pandas frames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

# The cuts that are published side by side: per municipality and per role group (the whole group,
# the empty cut, is always included). Add ("municipality", "role_group") if that table is published.
PUBLISHED_CUTS: tuple[tuple[str, ...], ...] = (("municipality",), ("role_group",))

TOO_FEW = "te weinig deelnemers om te tonen"
MERGED_ROLES = "Rollen samengenomen"  # role groups below the minimum, taken together (recoding)
_MISSING = "\x00missing"  # a missing group value is a group of its own (it is in the total, too)


def fewer_than(min_n: int) -> str:
    """How a count below the minimum is written: 'minder dan 3'."""
    return f"minder dan {int(min_n)}"


def count_label(n, min_n: int):
    """A count as it may be published: the number when it is 0 or at least ``min_n``, else 'minder dan N'."""
    if n is None or pd.isna(n):
        return fewer_than(min_n)
    n = int(n)
    return n if n == 0 or n >= int(min_n) else fewer_than(min_n)


def merge_small_groups(participants: pd.DataFrame, col: str, min_n: int, label: str = MERGED_ROLES, *, among=None):
    """Global recoding before suppression: the groups of ``col`` with fewer than ``min_n`` people
    (a missing value counts as a group) are taken together as one group ``label``; while that group
    is still below the minimum, the next smallest group joins it (so a lone wethouder next to three
    raadsleden is not dropped, and their role cannot be read as 'all minus raad' either).
    Sizes are counted over the rows where ``among`` is True (default: all), for example only the
    people of municipalities that are large enough, who are the ones that can count at all.
    Returns (copy of ``participants`` with ``col`` recoded, the group values taken together)."""
    values = participants[col].astype(object).where(participants[col].notna(), _MISSING)
    counted = values if among is None else values[np.asarray(among, dtype=bool)]
    sizes = counted.value_counts().sort_values(kind="stable")
    small = [v for v, n in sizes.items() if n < int(min_n)]
    out = participants.copy()
    if not small:
        return out, frozenset()
    rest = [v for v in sizes.index if v not in small]
    while sizes[small].sum() < int(min_n) and rest:
        small.append(rest.pop(0))
    if len(small) < 2:
        return out, frozenset()
    out[col] = participants[col].astype(object).where(~values.isin(small), label)
    return out, frozenset(v for v in small if v != _MISSING)


def counted_mask(
    frame: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    unit_col: str,
    value_col: str | None,
    min_n: int,
    cuts: Sequence[Sequence[str]] = PUBLISHED_CUTS,
) -> np.ndarray:
    """True for the rows of ``frame`` (participant x unit) that may count in published numbers.

    A row counts when it has a value (``value_col`` not NaN; every row when ``value_col`` is None)
    and, per unit, every group of every cut it belongs to (and the whole group) holds at least
    ``min_n`` counted rows. Rows are removed until that holds for all groups at once. Group values
    come from ``participants`` (columns ``participant`` + the cut columns); a participant missing
    there or with a missing value is in a group of their own.
    """
    min_n = int(min_n)
    n_rows = len(frame)
    if n_rows == 0:
        return np.zeros(0, dtype=bool)
    keep = np.ones(n_rows, dtype=bool) if value_col is None else frame[value_col].notna().to_numpy().copy()
    unit, _ = pd.factorize(frame[unit_col], sort=False)
    n_units = int(unit.max()) + 1
    facts = participants.drop_duplicates("participant").set_index("participant")
    keys = [unit]  # the whole group of each unit
    for cut in cuts:
        parts = []
        for col in cut:
            values = frame["participant"].map(facts[col]) if col in facts.columns else pd.Series(np.nan, index=frame.index)
            parts.append(values.astype(object).where(values.notna(), _MISSING).astype(str))
        group = parts[0].str.cat(parts[1:], sep="\x01") if len(parts) > 1 else parts[0]
        code, uniques = pd.factorize(group, sort=False)
        keys.append(unit * max(len(uniques), 1) + code)
    sizes = [int(k.max()) + 1 if len(k) else 0 for k in keys]
    sizes[0] = n_units
    while True:
        changed = False
        for key, size in zip(keys, sizes, strict=True):
            count = np.bincount(key[keep], minlength=size)
            small = (count > 0) & (count < min_n)
            drop = keep & small[key]
            if drop.any():
                keep &= ~drop
                changed = True
        if not changed:
            return keep


def publishable(
    participants: pd.DataFrame,
    frames: Mapping[str, tuple[pd.DataFrame, str, str | None]],
    min_n: int,
    cuts: Sequence[Sequence[str]] = PUBLISHED_CUTS,
) -> dict[str, pd.DataFrame]:
    """The per-person frames behind every published table, with complementary suppression applied.

    ``frames`` maps a name to ``(frame, unit_col, value_col)``: for example section scores
    ``(sections, "section", "score")``, criterion scores ``(criteria, "criterion", "score")``,
    answers ``(answers, "item", None)`` ("weet niet" counts as answered) and advice
    ``(advice, "_all", "advice")``. Every table published together must be computed from the
    returned frames (and nothing else per person); then the whole group, every municipality and
    every role group hold either nobody or at least ``min_n`` counted participants per unit, and no
    suppressed participant is in any of them. A frame without ``unit_col`` is taken as one unit.
    """
    out = {}
    for name, (frame, unit_col, value_col) in frames.items():
        work = frame if unit_col in frame.columns else frame.assign(**{unit_col: "all"})
        mask = counted_mask(work, participants, unit_col=unit_col, value_col=value_col, min_n=min_n, cuts=cuts)
        out[name] = frame[mask].reset_index(drop=True)
    return out


def publishable_counts(counts: pd.DataFrame, label_col: str, count_cols: Sequence[str], min_n: int, total_label: str):
    """Attendance counts for the room: a count from 1 to ``min_n - 1`` becomes 'minder dan N';
    the total row adds up only the counts that are shown (so it cannot give a hidden count back).
    Returns (rows as a frame of objects, True when some count is hidden)."""
    rows, hidden = [], False
    totals = dict.fromkeys(count_cols, 0)
    for r in counts.itertuples(index=False):
        row = {label_col: getattr(r, label_col)}
        for col in count_cols:
            shown = count_label(getattr(r, col), min_n)
            row[col] = shown
            if isinstance(shown, str):
                hidden = True
            else:
                totals[col] += shown
        rows.append(row)
    rows.append({label_col: total_label, **totals})
    return pd.DataFrame(rows, columns=[label_col, *count_cols], dtype=object), hidden


def rule_text(min_n: int) -> str:
    """The rule in plain Dutch (B1), for the screens, the Toelichting and the privacy page."""
    n = int(min_n)
    return (
        f"Een groep (een gemeente of een rol) met minder dan {n} deelnemers krijgt geen cijfers: "
        f"er staat ‘{TOO_FEW}’. Rollen met minder dan {n} deelnemers worden eerst samengenomen (zo nodig "
        f"met de kleinste andere rol) als ‘{MERGED_ROLES}’. Zo'n kleine groep mag ook niet terug te rekenen zijn uit de andere "
        "cijfers, bijvoorbeeld door de hele groep min de getoonde gemeenten te nemen. Daarom tellen de "
        "antwoorden van een deelnemer uit een te kleine groep nergens mee: niet bij de gemeente, niet bij "
        "de rol en niet bij de hele groep. Soms valt daardoor ook een andere groep onder de grens; die "
        "wordt dan ook niet getoond. Dit geldt per onderdeel, stopcriterium en stelling. ‘Hele groep’ is "
        f"dus het totaal van de deelnemers die meetellen. Aantallen onder de {n} staan er als "
        f"‘{fewer_than(n)}’; een totaal telt alleen de getoonde aantallen op."
    )
