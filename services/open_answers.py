"""Open answers: the participant's own words, moderated by the begeleider before the room sees them.

No Streamlit here. The phone stores an answer through ``submit`` (an over-long text is cut to the
limit and the person is told); the console lists them (``moderation_frame``) and approves or hides
them; the projector and the shareable exports get only approved texts (``approved_texts``,
``shareable_frame``), never beside the municipality of a group below the anonymity minimum.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from questionnaire.loader import Questionnaire
from storage import Session, Store
from storage.open_answers import MAX_OPEN_ANSWER

STATUS_LABEL = {"pending": "Nieuw", "approved": "Goedgekeurd", "hidden": "Verborgen"}
STOPWORDS_FILE = Path(__file__).resolve().parent.parent / "questionnaire" / "data" / "stopwoorden.txt"
_WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ'-]{2,}")


@dataclass(frozen=True)
class Submitted:
    text: str  # what was stored
    message: str | None  # for the person, when the text was cut


def questions(store: Store, q: Questionnaire, session: Session | None) -> list[str]:
    """The open questions this participant is asked: the session's (or the default), or the zelfscan's."""
    settings = q.settings.open_questions
    if session is None:
        return [settings.zelfscan]
    return store.open_questions(session.id) or list(settings.session_default)


def submit(store: Store, participant_id: int, position: int, raw: str | None) -> Submitted:
    """Store one open answer; longer than the limit is cut to it, with a Dutch message naming the limit."""
    text = (raw or "").strip()
    message = None
    if len(text) > MAX_OPEN_ANSWER:
        text = text[:MAX_OPEN_ANSWER].rstrip()
        message = (
            f"Uw antwoord was langer dan {MAX_OPEN_ANSWER} tekens. De eerste {MAX_OPEN_ANSWER} tekens zijn bewaard; "
            "kort het zelf in als u iets anders wilt bewaren."
        )
    store.save_open_answer(participant_id, position, text)
    return Submitted(text, message)


def moderation_frame(store: Store, q: Questionnaire, session: Session) -> pd.DataFrame:
    """For the begeleider's console: question, answer, status, and the key to act on (pseudonym, position).
    No municipality or role: moderating is about the text."""
    qs = questions(store, q, session)
    df = store.open_answers_frame(session.id)
    return pd.DataFrame(
        {
            "participant": df["participant"],
            "position": df["position"].astype("int64"),
            "Vraag": df["position"].map(lambda p: qs[p] if p < len(qs) else ""),
            "Antwoord": df["text"],
            "Status": df["status"].map(STATUS_LABEL),
        }
    )


def counts(store: Store, session_id: int) -> dict[str, int]:
    """How many answers are new, approved and hidden."""
    got = store.open_answers_frame(session_id)["status"].value_counts()
    return {s: int(got.get(s, 0)) for s in STATUS_LABEL}


def approved_texts(store: Store, session_id: int, position: int) -> list[str]:
    """What the room may see for one question: approved texts only, in alphabetical order (so the
    order on the screen says nothing about who answered when)."""
    df = store.open_answers_frame(session_id)
    chosen = df[(df["status"] == "approved") & (df["position"] == position)]["text"]
    return sorted(chosen, key=lambda s: (s.casefold(), s))


def grouped(texts: list[str]) -> list[tuple[str, int]]:
    """The same answer given by several people once, with how many gave it (case and spaces do not
    count), most given first, then in the order of ``texts``."""
    first: dict[str, str] = {}
    count: dict[str, int] = {}
    for text in texts:
        key = " ".join(text.casefold().split())
        first.setdefault(key, text)
        count[key] = count.get(key, 0) + 1
    order = {k: n for n, k in enumerate(first)}
    return [(first[k], count[k]) for k in sorted(first, key=lambda k: (-count[k], order[k]))]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = []
    for line in STOPWORDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words += line.split()
    return frozenset(words)


def top_words(texts: list[str], n: int = 8, min_answers: int = 2) -> list[tuple[str, int]]:
    """The words named in the most answers (each answer counts a word once), Dutch stop words left
    out, only words in at least ``min_answers`` answers; ties in alphabetical order."""
    per_answer = Counter()
    stop = stopwords()
    for text in texts:
        per_answer.update({w for w in _WORD.findall(text.casefold()) if w not in stop})
    ranked = sorted(((w, c) for w, c in per_answer.items() if c >= min_answers), key=lambda wc: (-wc[1], wc[0]))
    return ranked[:n]


def shareable_frame(store: Store, q: Questionnaire, session: Session, shown_municipalities: set[str]) -> pd.DataFrame:
    """Approved answers for a shareable export: Vraag, Gemeente, Antwoord. The municipality is named
    only when its group is shown elsewhere in the same results (``SessionData.shown_municipalities``);
    otherwise "niet genoemd (kleine groep)". The rule lives in exports.session.open_answer_rows."""
    from exports.session import open_answer_rows

    frame = store.open_answers_frame(session.id)
    return open_answer_rows(frame, questions(store, q, session), shown_municipalities, approved_only=True)
