"""Scoring of the Samenwerkingsspiegel: pure functions on pandas DataFrames.

No Streamlit, no database. Thresholds come from the questionnaire content and are applied in
one place (:func:`band_for`, :func:`signal_for`).

Individual scores
    score_sections(answers, q, section_ids=None)   participant x scored section
    score_criteria(answers, q, section_ids=None)   participant x stop criterion
Advice
    advise(signals, q) -> AdviceResult             one set of {criterion: signal}
    advise_participants(criteria_scores, q)        every participant
Groups (with suppression of groups smaller than min_n)
    aggregate_sections(section_scores, participants, by, min_n, q=None)
    aggregate_criteria(criteria_scores, participants, by, min_n, q)
    advice_distribution(advice_df, participants, by, min_n, q=None)
    option_shares(answers, participants, q, by, min_n)
    section_gaps(aggregated, by, q)
Rounding (one rule: once, half up, one decimal) and agreement (r_wg)
    round_half_up(values), round_score(value), SCORE_DECIMALS, rwg(std, n)
Topics for the conversation
    top_topics(q, sections, criteria, gaps=None, n=3) -> list[Topic]
"""

from scoring._common import SCORE_DECIMALS, STATUS_OK, STATUS_TOO_FEW, band_for, round_half_up, round_score, signal_for
from scoring.advice import NO_ADVICE_REASON, AdviceResult, advise, advise_participants
from scoring.groups import (
    add_role_group,
    advice_distribution,
    aggregate_criteria,
    aggregate_sections,
    option_shares,
    rwg,
    section_gaps,
)
from scoring.individual import score_criteria, score_sections
from scoring.topics import Topic, top_topics

__all__ = [
    "NO_ADVICE_REASON",
    "SCORE_DECIMALS",
    "Topic",
    "round_half_up",
    "round_score",
    "rwg",
    "top_topics",
    "STATUS_OK",
    "STATUS_TOO_FEW",
    "AdviceResult",
    "add_role_group",
    "advice_distribution",
    "advise",
    "advise_participants",
    "aggregate_criteria",
    "aggregate_sections",
    "band_for",
    "option_shares",
    "score_criteria",
    "score_sections",
    "section_gaps",
    "signal_for",
]
