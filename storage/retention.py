"""Retention and deletion (AVG) in the database: a session's or participant's rows, and the purge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from storage import schema as t
from storage.base import (
    DEFAULT_RETENTION_MONTHS,
    ZELFSCAN_RETENTION_MONTHS,
    SessionClosed,
    _aware,
    _check_retention,
    _now,
    add_months,
)


class RetentionStore:
    """Mixed into ``storage.Store``: needs its ``engine`` and ``_retry``."""

    # ------------------------------------------------------------- retention and deletion (AVG)

    def set_retention(self, session_id: int, months: int) -> None:
        """How many months after closing the session is deleted (one of RETENTION_CHOICES)."""
        months = _check_retention(months)
        insert = self._insert()
        stmt = insert(t.session_retention).values(session_id=session_id, months=months)
        stmt = stmt.on_conflict_do_update(index_elements=[t.session_retention.c.session_id], set_={"months": months})

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(stmt)

        self._retry(tx)

    @staticmethod
    def _delete_session_rows(c, session_id: int, keep_rounds: bool = False) -> None:
        """Every row that belongs to the session, in every table (children first), then the session.
        Also tables added later: any table with a foreign key to sessions or participants, or a
        session_id column. ON DELETE CASCADE would do the same; this does not depend on it.
        A row whose foreign key says ON DELETE SET NULL (a cooperation's round) goes too, or with
        ``keep_rounds`` stays, unlinked (the retention purge: the round keeps its published summary)."""
        for table in reversed(t.metadata.sorted_tables):
            if table is t.sessions:
                continue
            done = False
            for fk in table.foreign_keys:
                if fk.column.table is t.sessions and fk.ondelete == "SET NULL":
                    if keep_rounds:
                        c.execute(update(table).where(fk.parent == session_id).values({fk.parent.name: None}))
                    else:
                        c.execute(delete(table).where(fk.parent == session_id))
                    done = True
                elif fk.column.table is t.participants and fk.ondelete == "SET NULL":
                    pass
                elif fk.column.table is t.participants:
                    c.execute(
                        delete(table).where(
                            fk.parent.in_(select(t.participants.c.id).where(t.participants.c.session_id == session_id))
                        )
                    )
                    done = True
                elif fk.column.table is t.sessions:
                    c.execute(delete(table).where(fk.parent == session_id))
                    done = True
            if not done and "session_id" in table.c:
                c.execute(delete(table).where(table.c.session_id == session_id))
        c.execute(delete(t.sessions).where(t.sessions.c.id == session_id))

    def delete_session(self, session_id: int, *, keep_round: bool = False) -> bool:
        """Delete a session and everything in it (participants, answers, settings). True if it existed.

        ``keep_round`` (the retention purge) keeps the cooperation's round with its published
        summary, unlinked from the session; a begeleider who deletes a session deletes its round too."""

        def tx() -> bool:
            with self.engine.begin() as c:
                exists = c.execute(select(t.sessions.c.id).where(t.sessions.c.id == session_id)).first() is not None
                if exists:
                    self._delete_session_rows(c, session_id, keep_round)
                return exists

        return self._retry(tx)

    def delete_participant(self, participant_id: int) -> None:
        """A participant deletes their own answers and registration (municipality, role, times).
        Refused (SessionClosed) once their workshop session is closed; a zelfscan can always go."""

        def tx() -> None:
            with self.engine.begin() as c:
                closed = c.execute(
                    select(t.sessions.c.closed)
                    .select_from(t.participants.join(t.sessions))
                    .where(t.participants.c.id == participant_id)
                ).scalar()
                if closed:
                    raise SessionClosed("Deze sessie is gesloten; uw antwoorden verwijderen kan nu alleen de begeleider.")
                for table in reversed(t.metadata.sorted_tables):
                    for fk in table.foreign_keys:
                        if fk.column.table is t.participants:
                            c.execute(delete(table).where(fk.parent == participant_id))
                c.execute(delete(t.participants).where(t.participants.c.id == participant_id))

        self._retry(tx)

    def expired_sessions(self, now: datetime | None = None) -> list[int]:
        """Ids of the sessions whose retention period has passed."""
        now = now or _now()
        with self.engine.connect() as c:
            rows = c.execute(
                select(
                    t.sessions.c.id, t.sessions.c.created_at, t.sessions.c.closed_at, t.session_retention.c.months
                ).select_from(t.sessions.outerjoin(t.session_retention))
            ).all()
        return [
            r.id
            for r in rows
            if add_months(_aware(r.closed_at) or _aware(r.created_at), r.months or DEFAULT_RETENTION_MONTHS) <= now
        ]

    def purge_expired(self, now: datetime | None = None) -> tuple[int, int]:
        """Delete every expired session completely, and every zelfscan not changed for
        ZELFSCAN_RETENTION_MONTHS. Returns (sessions deleted, zelfscans deleted)."""
        now = now or _now()
        sessions = 0
        for sid in self.expired_sessions(now):
            sessions += int(self.delete_session(sid, keep_round=True))
        cutoff = add_months(now, -ZELFSCAN_RETENTION_MONTHS)

        def tx() -> int:
            with self.engine.begin() as c:
                old = select(t.participants.c.id).where(
                    t.participants.c.session_id.is_(None), t.participants.c.updated_at < cutoff
                )
                for table in reversed(t.metadata.sorted_tables):
                    for fk in table.foreign_keys:
                        if fk.column.table is t.participants:
                            c.execute(delete(table).where(fk.parent.in_(old)))
                return c.execute(
                    delete(t.participants).where(t.participants.c.session_id.is_(None), t.participants.c.updated_at < cutoff)
                ).rowcount

        return sessions, int(self._retry(tx) or 0)
