"""The advice (doorgaan / herijken / uitkleden / stoppen) from the signals of the stop criteria.

The rules come from ``q.settings.advice_rules`` and are read top to bottom: the first rule
whose set conditions all hold gives the advice. Count conditions count the criteria named by
the rule's ``among`` (stop criteria, practice signals, or all). In a legally required
cooperation (``required=True``) an advice with ``when_required`` gives way to that advice
(stoppen -> herijken of uitkleden binnen de wet). One implementation (:func:`_evaluate`) works
on a participants x criteria matrix of signals; :func:`advise` is that same code for one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from questionnaire.models import Among, CriterionKind
from scoring._common import enough_answered, has_duplicates, object_column, red_orange, require_columns

if TYPE_CHECKING:  # pragma: no cover - typing only
    from questionnaire.loader import Questionnaire

NO_ADVICE_REASON = "Te weinig stopcriteria beantwoord om een advies te geven."
DRIVER_SEPARATOR = "; "


@dataclass(frozen=True)
class AdviceResult:
    """Outcome of the advice rule for one set of signals.

    ``advice``/``label``/``meaning`` are None when too few criteria have a signal; ``reason``
    is then :data:`NO_ADVICE_REASON`. ``drivers`` are the criterion ids that made the rule hold
    (content order); for the default rule the orange criteria, if any.
    """

    advice: str | None
    label: str | None
    meaning: str | None
    reason: str
    drivers: tuple[str, ...]


def _signal_matrix(sig: np.ndarray, q: Questionnaire):
    """Boolean red / orange-or-red / has-signal matrices from an object matrix of signal ids."""
    known = {s.id for s in q.scoring.signals}
    missing = np.asarray(pd.isna(sig), dtype=bool).reshape(sig.shape)
    unknown = sorted({str(v) for v in pd.unique(sig[~missing]) if v not in known})
    if unknown:
        raise ValueError(f"onbekend signaal {unknown} (bekend: {sorted(known)})")
    red_id, orange_id = red_orange(q)
    red = (sig == red_id) & ~missing
    orange = (sig == orange_id) & ~missing
    return red, orange, ~missing


def _evaluate(sig: np.ndarray, in_scope: np.ndarray, q: Questionnaire) -> tuple[np.ndarray, np.ndarray]:
    """Rule index per row (-1: too few criteria with a signal) and the drivers mask.

    ``sig`` is a (participants x criteria) object matrix of signal ids (or None), columns in the
    order of ``q.criteria``; ``in_scope`` marks the criteria that were asked (the denominator of
    the "too few" test). A signal outside the scope is ignored.
    """
    crit_ids = [c.id for c in q.criteria]
    col = {c: n for n, c in enumerate(crit_ids)}
    n_rows, n_crit = sig.shape
    sig = np.where(in_scope[None, :], sig, None) if n_crit else sig
    red, orange, has = _signal_matrix(sig, q)
    oor = red | orange
    kinds = np.array([c.kind.value for c in q.criteria], dtype=object)
    among_mask = {
        Among.stopcriteria: kinds == CriterionKind.stopcriterium.value,
        Among.signalen: kinds == CriterionKind.signaal.value,
        Among.alle: np.ones(n_crit, dtype=bool),
    }

    n_scope = int(in_scope.sum())
    undecided = (
        enough_answered(has.sum(axis=1), n_scope, q.scoring.min_answered_share) if n_scope else np.zeros(n_rows, dtype=bool)
    )
    chosen = np.full(n_rows, -1, dtype=np.int64)
    drivers = np.zeros((n_rows, n_crit), dtype=bool)

    def listed(ids: list[str]) -> np.ndarray:
        unknown = [c for c in ids if c not in col]
        if unknown:
            raise ValueError(f"adviesregel noemt onbekend criterium {unknown}")
        mask = np.zeros(n_crit, dtype=bool)
        mask[[col[c] for c in ids]] = True
        return mask

    for k, rule in enumerate(q.settings.advice_rules):
        holds = np.ones(n_rows, dtype=bool)
        drv = np.zeros((n_rows, n_crit), dtype=bool)
        counted = among_mask[rule.among]
        if rule.min_red is not None:
            holds &= (red & counted).sum(axis=1) >= rule.min_red
            drv |= red & counted
        if rule.min_orange_or_red is not None:
            holds &= (oor & counted).sum(axis=1) >= rule.min_orange_or_red
            drv |= oor & counted
        if rule.red_any_of is not None:
            m = red & listed(rule.red_any_of)
            holds &= m.any(axis=1)
            drv |= m
        if rule.orange_or_red_any_of is not None:
            m = oor & listed(rule.orange_or_red_any_of)
            holds &= m.any(axis=1)
            drv |= m
        if rule.is_default:
            drv = orange
        hit = undecided & holds
        chosen[hit] = k
        drivers[hit] = drv[hit]
        undecided &= ~hit
    return chosen, drivers


def advice_for_rule(advice_id: str, q: Questionnaire, required: bool) -> str:
    """The advice a rule gives: in a legally required cooperation, its ``when_required`` stand-in."""
    stand_in = q.advice_by_id[advice_id].when_required
    return stand_in if required and stand_in else advice_id


def possible_advices(q: Questionnaire, required: bool) -> list[str]:
    """The advices a (legally required or voluntary) cooperation can get, in content order (mildest
    first): what the rules give, with their stand-ins in a required one. Charts show these, not all."""
    given = {advice_for_rule(r.advice, q, required) for r in q.settings.advice_rules}
    return [a.id for a in q.settings.advices if a.id in given]


def _rule_tables(q: Questionnaire, required: bool = False):
    """Per rule index (and -1 = no advice, the last entry): advice id, label, meaning, reason."""
    rules = q.settings.advice_rules
    by_id = q.advice_by_id
    given = [advice_for_rule(r.advice, q, required) for r in rules]
    advice = [*given, None]
    label = [by_id[a].label for a in given] + [None]
    meaning = [by_id[a].meaning for a in given] + [None]
    reason = [r.reason for r in rules] + [NO_ADVICE_REASON]
    return (np.array(x, dtype=object) for x in (advice, label, meaning, reason))


def advise(signals: Mapping[str, str | None], q: Questionnaire, *, required: bool = False) -> AdviceResult:
    """Advice for one set of signals: ``{criterion id: signal id or None}``.

    ``signals`` names every criterion that was asked (the stop sections in scope, as from
    ``score_criteria``), None for one without a signal (too few answers). Criteria that are not
    in ``signals`` were not asked: they neither count nor hold a rule. If fewer than
    ``min_answered_share`` of the asked criteria have a signal there is no advice.
    Rule conditions (all set ones must hold): ``min_red`` (number of red criteria >= n),
    ``min_orange_or_red``, ``red_any_of`` (one of the listed is red), ``orange_or_red_any_of``.
    Drivers: the union of what each set condition looked at — all red criteria for
    ``min_red``, all orange-or-red for ``min_orange_or_red``, the listed criteria that are red
    (orange-or-red) for ``red_any_of`` (``orange_or_red_any_of``); for the default rule the
    orange criteria. Unknown criterion or signal ids raise ValueError.
    """
    crit_ids = [c.id for c in q.criteria]
    unknown = sorted(set(signals) - set(crit_ids))
    if unknown:
        raise ValueError(f"onbekend(e) criterium/criteria {unknown}")
    sig = np.array([[signals.get(c) for c in crit_ids]], dtype=object).reshape(1, len(crit_ids))
    chosen, drivers = _evaluate(sig, np.array([c in signals for c in crit_ids], dtype=bool), q)
    advice, label, meaning, reason = _rule_tables(q, required)
    k = int(chosen[0])
    return AdviceResult(
        advice=advice[k],
        label=label[k],
        meaning=meaning[k],
        reason=reason[k],
        drivers=tuple(c for c, d in zip(crit_ids, drivers[0], strict=True) if d),
    )


def _unique_rows(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a boolean matrix and the row -> distinct-row index (bit-packed when narrow)."""
    width = mask.shape[1]
    if width > 62:
        patterns, inverse = np.unique(mask, axis=0, return_inverse=True)
        return patterns, np.asarray(inverse).reshape(-1)
    bits = np.arange(width, dtype=np.int64)
    codes = mask.astype(np.int64) @ (np.int64(1) << bits)
    uniq, inverse = np.unique(codes, return_inverse=True)
    return ((uniq[:, None] >> bits) & 1).astype(bool), np.asarray(inverse).reshape(-1)


def advise_participants(criteria_scores: pd.DataFrame, q: Questionnaire, *, required: bool = False) -> pd.DataFrame:
    """:func:`advise` for every participant in ``criteria_scores`` (output of ``score_criteria``).

    The criteria in ``criteria_scores`` are the ones that were asked (the "too few" test counts
    against them); a participant without a row for one of them has no signal for it.
    Columns: participant (sorted), advice, advice_label, reason, drivers (criterion ids joined
    with ``"; "``, empty string when none). Vectorised over participants.
    """
    require_columns(criteria_scores, ["participant", "criterion", "signal"], "criteria_scores")
    crit_ids = [c.id for c in q.criteria]
    p_code, participants = pd.factorize(criteria_scores["participant"], sort=True)
    if (p_code < 0).any():
        raise ValueError("criteria_scores bevat een rij zonder participant")
    c_code = pd.Index(crit_ids).get_indexer(criteria_scores["criterion"])
    if (c_code < 0).any():
        bad = criteria_scores["criterion"][c_code < 0].iloc[0]
        raise ValueError(f"onbekend criterium '{bad}' in criteria_scores")
    key = p_code.astype(np.int64) * max(len(crit_ids), 1) + c_code
    if has_duplicates(key, max(len(participants), 1) * max(len(crit_ids), 1)):
        raise ValueError("criteria_scores heeft een participant x criterium meer dan eens")
    n_p = len(participants)
    sig = np.full((n_p, len(crit_ids)), None, dtype=object)
    sig[p_code, c_code] = criteria_scores["signal"].to_numpy(dtype=object)

    in_scope = np.zeros(len(crit_ids), dtype=bool)
    in_scope[np.unique(c_code)] = True
    chosen, drivers = _evaluate(sig, in_scope, q)
    advice, label, _meaning, reason = _rule_tables(q, required)
    if n_p and crit_ids:
        patterns, inverse = _unique_rows(drivers)
        texts = np.array(
            [DRIVER_SEPARATOR.join(c for c, d in zip(crit_ids, row, strict=True) if d) for row in patterns], dtype=object
        )
        driver_text = texts[np.asarray(inverse).reshape(-1)]
    else:
        driver_text = np.full(n_p, "", dtype=object)
    return pd.DataFrame(
        {
            "participant": object_column(np.asarray(participants, dtype=object)),
            "advice": object_column(advice[chosen]),
            "advice_label": object_column(label[chosen]),
            "reason": object_column(reason[chosen]),
            "drivers": object_column(driver_text),
        }
    )
