"""Open questions and their answers in the database, with the begeleider's moderation state."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import delete, select, update

from storage import schema as t

MAX_OPEN_QUESTION = 200  # characters of a question the begeleider writes
MAX_OPEN_ANSWER = 500  # characters of an answer (shown to people as the limit)
STATUSES = ("pending", "approved", "hidden")


class OpenAnswersStore:
    """Mixed into ``storage.Store``: needs its ``engine``, ``_retry``, ``_insert``, ``_check_open`` and ``_now``."""

    # ------------------------------------------------------------- questions of a session

    def set_open_questions(self, session_id: int, questions: list[str]) -> None:
        """Replace the session's open questions (at most two; empty ones are dropped)."""
        from storage.store import InvalidInput, _clean_text

        cleaned = [_clean_text(q, "Een open vraag", MAX_OPEN_QUESTION) for q in questions if (q or "").strip()]
        if len(cleaned) > 2:
            raise InvalidInput("Een sessie heeft hooguit twee open vragen.")

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(delete(t.open_questions).where(t.open_questions.c.session_id == session_id))
                if cleaned:
                    c.execute(
                        t.open_questions.insert(),
                        [{"session_id": session_id, "position": i, "text": q} for i, q in enumerate(cleaned)],
                    )

        self._retry(tx)

    def open_questions(self, session_id: int) -> list[str]:
        with self.engine.connect() as c:
            return list(
                c.execute(
                    select(t.open_questions.c.text)
                    .where(t.open_questions.c.session_id == session_id)
                    .order_by(t.open_questions.c.position)
                ).scalars()
            )

    # ------------------------------------------------------------- answers

    def save_open_answer(self, participant_id: int, position: int, text: str) -> None:
        """Store (or with an empty text: remove) one open answer. A changed text is moderated anew.

        The caller has cut the text to MAX_OPEN_ANSWER and told the person; longer is refused here.
        Refuses (SessionClosed) when the participant's session is closed.
        """
        from storage.store import InvalidInput, _now

        text = _clean_answer(text)
        if len(text) > MAX_OPEN_ANSWER:
            raise InvalidInput(f"Uw antwoord is te lang: hooguit {MAX_OPEN_ANSWER} tekens.")
        if position not in (0, 1):
            raise InvalidInput("Deze open vraag bestaat niet.")

        def tx() -> None:
            with self.engine.begin() as c:
                if not text:
                    c.execute(
                        delete(t.open_answers).where(
                            t.open_answers.c.participant_id == participant_id, t.open_answers.c.position == position
                        )
                    )
                else:
                    insert = self._insert()
                    stmt = insert(t.open_answers).values(
                        participant_id=participant_id, position=position, text=text, status="pending", answered_at=_now()
                    )
                    c.execute(
                        stmt.on_conflict_do_update(
                            index_elements=[t.open_answers.c.participant_id, t.open_answers.c.position],
                            set_={"text": stmt.excluded.text, "answered_at": stmt.excluded.answered_at, "status": "pending", "moderated_at": None},
                            where=t.open_answers.c.text != stmt.excluded.text,
                        )
                    )
                self._check_open(c, participant_id)  # after the write (see Store.save_answers)

        self._retry(tx)

    def open_answers_of(self, participant_id: int) -> dict[int, str]:
        with self.engine.connect() as c:
            rows = c.execute(
                select(t.open_answers.c.position, t.open_answers.c.text).where(t.open_answers.c.participant_id == participant_id)
            )
            return {r.position: r.text for r in rows}

    def open_answers_frame(self, session_id: int) -> pd.DataFrame:
        """participant (pseudonym), municipality, role, position, text, status, answered_at; oldest first."""
        q = (
            select(
                t.participants.c.pseudonym.label("participant"),
                t.participants.c.municipality,
                t.participants.c.role,
                t.open_answers.c.position,
                t.open_answers.c.text,
                t.open_answers.c.status,
                t.open_answers.c.answered_at,
            )
            .select_from(t.open_answers.join(t.participants))
            .where(t.participants.c.session_id == session_id)
            .order_by(t.open_answers.c.answered_at, t.participants.c.id, t.open_answers.c.position)
        )
        with self.engine.connect() as c:
            rows = c.execute(q).all()
        df = pd.DataFrame(rows, columns=["participant", "municipality", "role", "position", "text", "status", "answered_at"])
        df["answered_at"] = pd.to_datetime(df["answered_at"], utc=True)
        return df

    def set_open_answer_status(
        self, session_id: int, status: str, *, participant: str | None = None, position: int | None = None, only_pending: bool = False
    ) -> int:
        """Approve or hide answers of this session: one (participant pseudonym + position) or all
        (optionally only the pending ones, optionally of one question). Returns how many changed."""
        from storage.store import InvalidInput, _now

        if status not in STATUSES:
            raise InvalidInput(f"Onbekende status {status!r}.")
        members = select(t.participants.c.id).where(t.participants.c.session_id == session_id)
        if participant is not None:
            members = members.where(t.participants.c.pseudonym == participant)
        stmt = update(t.open_answers).where(t.open_answers.c.participant_id.in_(members))
        if position is not None:
            stmt = stmt.where(t.open_answers.c.position == position)
        if only_pending:
            stmt = stmt.where(t.open_answers.c.status == "pending")

        def tx() -> int:
            with self.engine.begin() as c:
                return c.execute(stmt.values(status=status, moderated_at=_now())).rowcount

        return self._retry(tx)


def _clean_answer(text: str | None) -> str:
    """Trim, keep line breaks and tabs as spaces/newlines, drop other control characters."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32).strip()
