"""The top three topics for the raad's conversation: red criteria, largest gaps, weakest sections.

One source for this finding, so the zelfscan result, a slide and an export cannot disagree. Pure
function on the score tables; the numbers it carries are the rounded scores (the rounding rule).

Selection (``top_topics``), in plain words:
1. Candidates of three kinds, each in its own order:
   - *criterium*: a stop criterion or signal on the strongest signal (rood); stop criteria before
     signals, then the highest score, then content order;
   - *verschil*: a section whose gap between the highest and lowest municipality is a topic for
     the conversation (``conversation_gap``); the largest gap first, then content order;
   - *onderdeel*: a section below the top band; the lowest score first, then content order.
2. First the best candidate of each kind (in the order criterium, verschil, onderdeel), then the
   remaining candidates in that same order, until there are ``n``. A section appears once.
Each topic carries its matching tip: the criterion's tip, or the section's tip for its band
(``outcome_tips``), else its first tip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from questionnaire.models import CriterionKind
from scoring._common import band_for, red_orange

if TYPE_CHECKING:  # pragma: no cover - typing only
    from questionnaire.loader import Questionnaire
    from questionnaire.models import Section

KIND_CRITERION = "criterium"
KIND_GAP = "verschil"
KIND_SECTION = "onderdeel"


@dataclass(frozen=True)
class Topic:
    kind: str  # KIND_CRITERION, KIND_GAP or KIND_SECTION
    ref: str  # criterion id or section id
    title: str  # the criterion's or section's title as on screen
    score: float  # criterion score, section score, or the gap (all rounded)
    label: str  # signal label (criterium), band label (onderdeel), or "verschil" (verschil)
    tip: str | None
    high_group: str | None = None
    high_mean: float | None = None
    low_group: str | None = None
    low_mean: float | None = None


def section_tip(section: Section, band_id: str | None) -> str | None:
    """The tip for a section with this outcome: its tip for the band, else its first tip."""
    if band_id is not None and band_id in section.outcome_tips:
        return section.outcome_tips[band_id]
    return section.tips[0] if section.tips else None


def _score_column(df: pd.DataFrame) -> str:
    return "mean" if "mean" in df.columns else "score"


def top_topics(
    q: Questionnaire,
    sections: pd.DataFrame | None,
    criteria: pd.DataFrame | None,
    gaps: pd.DataFrame | None = None,
    n: int = 3,
) -> list[Topic]:
    """The ``n`` topics most worth the raad's time (see the module docstring for the order).

    ``sections``: one row per section with ``section`` and ``score`` (one person) or ``mean`` (a
    group), the rounded score; ``criteria``: one row per criterion with ``criterion``,
    ``score``/``mean`` and ``signal``; ``gaps``: ``scoring.section_gaps`` (optional). Rows without
    a score are ignored, as are suppressed rows (a ``suppressed`` column that is True).
    """
    order = {s.id: k for k, s in enumerate(q.sections)}
    crit_order = {c.id: k for k, c in enumerate(q.criteria)}
    red_id, _ = red_orange(q)
    band_label = {b.id: b.label for b in q.scoring.bands}
    signal_label = {s.id: s.label for s in q.scoring.signals}
    top_band = q.scoring.bands[0].id

    def usable(df: pd.DataFrame | None, value_col: str) -> pd.DataFrame:
        if df is None or not len(df):
            return pd.DataFrame(columns=[value_col])
        out = df[df[value_col].notna()]
        if "suppressed" in out.columns:
            out = out[~out["suppressed"].astype(bool)]
        return out

    crit_topics: list[Topic] = []
    if criteria is not None and len(criteria):
        col = _score_column(criteria)
        rows = usable(criteria, col)
        rows = rows[rows["signal"] == red_id]
        ranked = sorted(
            rows.itertuples(index=False),
            key=lambda r: (
                q.criterion_by_id[r.criterion].kind is not CriterionKind.stopcriterium,
                -float(getattr(r, col)),
                crit_order[r.criterion],
            ),
        )
        for r in ranked:
            c = q.criterion_by_id[r.criterion]
            crit_topics.append(Topic(KIND_CRITERION, c.id, c.title, float(getattr(r, col)), signal_label[red_id], c.tip))

    gap_topics: list[Topic] = []
    if gaps is not None and len(gaps):
        rows = gaps[gaps["topic"].astype(bool)]
        for r in sorted(rows.itertuples(index=False), key=lambda r: (-float(r.gap), order[r.section])):
            s = q.section_by_id[r.section]
            gap_topics.append(
                Topic(
                    KIND_GAP,
                    s.id,
                    s.title,
                    float(r.gap),
                    KIND_GAP,
                    section_tip(s, band_for(r.low_mean, q)),
                    high_group=str(r.high_group),
                    high_mean=float(r.high_mean),
                    low_group=str(r.low_group),
                    low_mean=float(r.low_mean),
                )
            )

    section_topics: list[Topic] = []
    if sections is not None and len(sections):
        col = _score_column(sections)
        rows = usable(sections, col)
        ranked = sorted(rows.itertuples(index=False), key=lambda r: (float(getattr(r, col)), order[r.section]))
        for r in ranked:
            score = float(getattr(r, col))
            band = band_for(score, q)
            if band == top_band:
                continue
            s = q.section_by_id[r.section]
            section_topics.append(Topic(KIND_SECTION, s.id, s.title, score, band_label[band], section_tip(s, band)))

    chosen: list[Topic] = []
    seen_sections: set[str] = set()

    def take(t: Topic) -> None:
        if len(chosen) >= n or t in chosen:
            return
        if t.kind != KIND_CRITERION:
            if t.ref in seen_sections:
                return
            seen_sections.add(t.ref)
        chosen.append(t)

    pools = [crit_topics, gap_topics, section_topics]
    for pool in pools:
        for t in pool:  # the best of this kind that is not taken yet
            before = len(chosen)
            take(t)
            if len(chosen) > before:
                break
    for pool in pools:
        for t in pool:
            take(t)
    return chosen
