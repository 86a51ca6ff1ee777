"""Trend: the section scores of one cooperation across its rounds, and what rose or fell.

Input per round is what that round *published* (its groups below the anonymity minimum already
suppressed, its scores rounded once by the rounding rule), so every round keeps its own anonymity
rules. A section is compared with an earlier round only when it asked exactly the same statements
there as in the latest round (``questionnaire.versions``); otherwise it is left out for that
round and named with the reason. A change is the difference of the scores *as shown* (rounded to
one decimal), so the room can check it on the slide; a change of at least ``q.scoring.trend_change``
is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring._common import round_half_up

ALL = "*"  # the group of everyone in the round (every municipality together)

# Why a section of an earlier round is not compared with the latest round.
NOT_ASKED = "niet_gevraagd"  # the round did not ask the section
CHANGED = "anders_gevraagd"  # the section's statements differ from the latest round's
UNKNOWN = "versie_onbekend"  # the round was held before content versions were kept
NO_DATA = "geen_gegevens"  # the round's data are gone (deleted before a summary was kept)
NOT_IN_LATEST = "niet_in_laatste_ronde"  # asked before, not in the latest round

SECTION_COLUMNS = ["group", "section", "n", "mean", "suppressed"]
ADVICE_COLUMNS = ["group", "advice", "count", "n", "suppressed"]


@dataclass(frozen=True)
class RoundScores:
    """What one round published. ``sections`` per group (ALL or a municipality) x section."""

    number: int
    label: str  # "Ronde 1 (3 juni 2026)"
    asked: tuple[str, ...]  # section ids the round asked
    signatures: dict[str, tuple] | None  # section id -> statements asked (None: version unknown)
    sections: pd.DataFrame  # SECTION_COLUMNS; mean rounded once, NaN when suppressed
    advice: pd.DataFrame  # ADVICE_COLUMNS (ALL and per municipality)
    n: int  # participants who count in the round's published numbers
    available: bool = True  # False: neither the session nor a summary is left


@dataclass(frozen=True)
class NotCompared:
    section: str
    round: int  # number of the round left out (for NOT_IN_LATEST: the last round that asked it)
    reason: str


@dataclass(frozen=True)
class Trend:
    rounds: tuple[int, ...]  # round numbers, oldest first
    labels: dict[int, str]
    table: pd.DataFrame  # section, group, round, mean, n, suppressed: the compared cells only
    changes: pd.DataFrame  # section, group, before, after, delta: |delta| >= threshold, latest vs previous
    advice: pd.DataFrame  # round, advice, count, n, share (ALL), every round that has data
    not_compared: tuple[NotCompared, ...] = field(default_factory=tuple)

    @property
    def latest(self) -> int:
        return self.rounds[-1]

    @property
    def previous(self) -> int | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None


def _delta(after: float, before: float) -> float:
    return float(round_half_up(after - before))


def build(rounds: list[RoundScores], section_order: list[str], threshold: float) -> Trend:
    """The trend of ``rounds`` (oldest first) over the sections in ``section_order`` (content order).

    The latest round with data is the reference: a section is drawn for it and for every earlier
    round that asked the same statements. ``changes`` compares the latest round with the one
    before it (both with data) per section and group; a suppressed group has no change.
    """
    if not rounds:
        raise ValueError("een trend heeft minstens één ronde nodig")
    numbers = [r.number for r in rounds]
    if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
        raise ValueError(f"rondes moeten oplopend genummerd zijn, niet {numbers}")
    with_data = [r for r in rounds if r.available]
    # A round without data is named once, for no section in particular.
    not_compared = [NotCompared("", r.number, NO_DATA) for r in rounds if not r.available]
    empty = pd.DataFrame(columns=["section", "group", "round", "mean", "n", "suppressed"])
    if not with_data:
        return Trend(tuple(numbers), {r.number: r.label for r in rounds}, empty, _no_changes(), _advice([]), tuple(not_compared))
    latest = with_data[-1]
    cells = []
    for r in with_data:
        for section in section_order:
            if section not in latest.asked:
                continue
            if r is not latest:
                reason = _reason(r, latest, section)
                if reason is not None:
                    not_compared.append(NotCompared(section, r.number, reason))
                    continue
            rows = r.sections[r.sections["section"] == section]
            for row in rows.itertuples(index=False):
                cells.append(
                    {
                        "section": section,
                        "group": row.group,
                        "round": r.number,
                        "mean": np.nan if row.suppressed else float(row.mean),
                        "n": np.nan if row.suppressed else row.n,
                        "suppressed": bool(row.suppressed),
                    }
                )
    for section in section_order:
        if section in latest.asked:
            continue
        earlier = [r.number for r in with_data if section in r.asked]
        if earlier:
            not_compared.append(NotCompared(section, earlier[-1], NOT_IN_LATEST))
    table = pd.DataFrame(cells, columns=empty.columns) if cells else empty
    previous = with_data[-2] if len(with_data) > 1 else None
    changes = _changes(table, latest.number, previous.number, threshold, section_order) if previous else _no_changes()
    return Trend(
        tuple(numbers),
        {r.number: r.label for r in rounds},
        table,
        changes,
        _advice(with_data),
        tuple(not_compared),
    )


def _reason(r: RoundScores, latest: RoundScores, section: str) -> str | None:
    if section not in r.asked:
        return NOT_ASKED
    if r.signatures is None or latest.signatures is None:
        return UNKNOWN
    mine, theirs = r.signatures.get(section), latest.signatures.get(section)
    if mine is None or theirs is None or mine != theirs:
        return CHANGED
    return None


def _no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=["section", "group", "before", "after", "delta"])


def _changes(table: pd.DataFrame, latest: int, previous: int, threshold: float, order: list[str]) -> pd.DataFrame:
    shown = table[~table["suppressed"].astype(bool)]  # an empty frame has object dtype: ~ would select columns
    after = shown[shown["round"] == latest].set_index(["section", "group"])["mean"]
    before = shown[shown["round"] == previous].set_index(["section", "group"])["mean"]
    both = after.index.intersection(before.index)
    rows = []
    for key in both:
        delta = _delta(after[key], before[key])
        if abs(delta) >= threshold - 1e-9:
            rows.append({"section": key[0], "group": key[1], "before": before[key], "after": after[key], "delta": delta})
    out = pd.DataFrame(rows, columns=["section", "group", "before", "after", "delta"])
    if out.empty:
        return out
    rank = {s: i for i, s in enumerate(order)}
    out["_all"] = out["group"] != ALL  # everyone first, then the municipalities
    out["_s"] = out["section"].map(rank)
    out["_size"] = -out["delta"].abs()
    return out.sort_values(["_all", "_size", "_s", "group"]).drop(columns=["_all", "_s", "_size"]).reset_index(drop=True)


def _advice(rounds: list[RoundScores]) -> pd.DataFrame:
    rows = []
    for r in rounds:
        everyone = r.advice[r.advice["group"] == ALL]
        for row in everyone.itertuples(index=False):
            hidden = bool(row.suppressed)
            n = np.nan if hidden else float(row.n)
            count = np.nan if hidden else float(row.count)
            share = np.nan if hidden or not n else count / n
            rows.append({"round": r.number, "advice": row.advice, "count": count, "n": n, "share": share})
    return pd.DataFrame(rows, columns=["round", "advice", "count", "n", "share"])
