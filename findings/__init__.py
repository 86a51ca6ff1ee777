"""The findings of a session in words: one source for the sentence under a chart, on a slide, in a report or an export."""

from findings.sentences import (
    advice_sentence,
    conversation_topics,
    gap_sentence,
    join,
    not_enough,
    session_topics,
    spread_sentence,
    statements_sentence,
    stop_sentence,
    topic_parts,
    topic_sentence,
)
from findings.trend import not_compared_sentences, trend_advice_sentence, trend_sentence

__all__ = [
    "advice_sentence",
    "conversation_topics",
    "gap_sentence",
    "join",
    "not_compared_sentences",
    "not_enough",
    "session_topics",
    "spread_sentence",
    "statements_sentence",
    "stop_sentence",
    "topic_parts",
    "topic_sentence",
    "trend_advice_sentence",
    "trend_sentence",
]
