"""The storage module: sessions, participants and answers through SQLAlchemy 2.

SQLite file by default (WAL, busy timeout, foreign keys on), any SQLAlchemy URL through
``DATABASE_URL`` (PostgreSQL with psycopg 3 included). Tables are created on start.
Tokens (facilitator and personal resume links) are stored only as SHA-256 hashes.
Every write is one short transaction; answering an item again overwrites (upsert).
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import pandas as pd
from sqlalchemy import Engine, and_, bindparam, create_engine, event, func, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import migrate
from storage import schema as t
from storage.base import (  # re-exported: callers import these from storage.store
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_RETENTION_MONTHS,
    DEFAULT_SQLITE,
    FACILITATOR,
    LINK_KINDS,
    MAX_MUNICIPALITY,
    MAX_NAME,
    PROJECTOR,
    PSEUDONYM_ALPHABET,
    RETENTION_CHOICES,
    ZELFSCAN_RETENTION_MONTHS,
    InvalidInput,
    Participant,
    ParticipantGone,
    PresenterView,
    Session,
    SessionClosed,
    SessionLink,
    StoreError,
    _aware,
    _check_retention,
    _clean_text,
    _now,
    add_months,
    database_url,
    hash_token,
    looks_like_token,
    new_token,
    normalise_code,
)
from storage.cooperations import CooperationsStore
from storage.open_answers import OpenAnswersStore
from storage.presenter import PresenterStore
from storage.retention import RetentionStore

T = TypeVar("T")


class Store(PresenterStore, RetentionStore, OpenAnswersStore, CooperationsStore):
    """The database: sessions, participants and answers here; links and slides, retention, open answers
    and cooperations in their own modules (mixins)."""

    def __init__(self, url: str | None = None, *, echo: bool = False):
        self.url = url or database_url()
        self.engine: Engine = self._make_engine(self.url, echo)
        self._upsert = None
        migrate.upgrade(self.url)  # the schema changes only through storage/migrations (Alembic)

    # ------------------------------------------------------------- engine

    @staticmethod
    def _make_engine(url: str, echo: bool) -> Engine:
        if url.startswith("sqlite"):
            engine = create_engine(url, echo=echo, connect_args={"timeout": 30, "check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn, _record):
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            return engine
        return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # Transient errors worth running a short write transaction again for: SQLite's lock errors and
    # PostgreSQL's deadlock (40P01) and serialization (40001) failures.
    _TRANSIENT = ("database is locked", "database table is locked", "deadlock detected", "could not serialize")
    # Stop retrying after this long in total: SQLite already waits up to its busy timeout (30 s) per try.
    RETRY_DEADLINE = 45.0

    def _retry(self, fn: Callable[[], T], attempts: int = 8) -> T:
        """Run a short write transaction, retrying on transient lock errors (see _TRANSIENT)."""
        deadline = time.monotonic() + self.RETRY_DEADLINE
        for attempt in range(attempts):
            try:
                return fn()
            except OperationalError as e:
                message = str(e.orig if e.orig is not None else e).lower()
                transient = any(m in message for m in self._TRANSIENT)
                if not transient or attempt == attempts - 1 or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05 * (2**attempt) * (0.5 + secrets.randbelow(1000) / 1000))
        raise AssertionError("unreachable")

    def _insert(self):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - other databases are not supported for upserts
            raise NotImplementedError(f"database {self.dialect} wordt niet ondersteund")
        return insert

    def dispose(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------- sessions

    def create_session(
        self,
        name: str,
        municipalities: Iterable[str],
        roles: Iterable[str],
        sections: Iterable[str],
        min_group_size: int,
        retention_months: int = DEFAULT_RETENTION_MONTHS,
        *,
        cooperation_id: int | None = None,
        content_hash: str | None = None,
    ) -> tuple[Session, str]:
        """Create a workshop session. Returns the session and the facilitator token (shown once).

        Every session is a round of a cooperation: of ``cooperation_id`` (asked with the content
        version ``content_hash``, saved before with ``save_content_version``), or without it of a
        new record of its own (form "anders", domain "overig"; ``services.cooperation`` sets them)."""
        retention_months = _check_retention(retention_months)
        name = _clean_text(name, "De naam van de samenwerking", MAX_NAME)
        munis = [_clean_text(m, "Een gemeentenaam", MAX_MUNICIPALITY) for m in municipalities]
        if len(set(munis)) != len(munis):
            raise InvalidInput("Een gemeente staat twee keer in de lijst.")
        if not 2 <= len(munis) <= 20:
            raise InvalidInput("Kies 2 tot en met 20 partnergemeenten.")
        roles, sections = list(roles), list(sections)
        if not roles:
            raise InvalidInput("Kies minstens één rol.")
        if not sections:
            raise InvalidInput("Kies minstens één onderdeel van de vragenlijst.")
        if not 1 <= int(min_group_size) <= 50:
            raise InvalidInput("De anonimiteitsgrens moet tussen 1 en 50 liggen.")
        token = new_token()

        def tx() -> int:
            with self.engine.begin() as c:
                for _ in range(20):
                    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                    exists = c.execute(select(t.sessions.c.id).where(t.sessions.c.join_code == code)).first()
                    if not exists:
                        break
                sid = c.execute(
                    t.sessions.insert().values(
                        join_code=code,
                        facilitator_hash=hash_token(token),
                        name=name,
                        sections=json.dumps(sections),
                        roles=json.dumps(roles),
                        min_group_size=int(min_group_size),
                        revealed=False,
                        closed=False,
                        created_at=_now(),
                    )
                ).inserted_primary_key[0]
                c.execute(
                    t.session_municipalities.insert(),
                    [{"session_id": sid, "position": i, "name": m} for i, m in enumerate(munis)],
                )
                c.execute(t.session_retention.insert().values(session_id=sid, months=retention_months))
                c.execute(
                    t.session_links.insert().values(
                        session_id=sid, kind=FACILITATOR, token_hash=hash_token(token), created_at=_now()
                    )
                )
                coop = cooperation_id
                if coop is None:  # every session is a round: without a record, one of its own
                    coop = c.execute(
                        t.cooperations.insert().values(
                            name=name,
                            form="anders",
                            domain="overig",
                            evaluation_moments="[]",
                            scan_key=secrets.token_urlsafe(12),
                            created_at=_now(),
                            updated_at=_now(),
                        )
                    ).inserted_primary_key[0]
                    c.execute(
                        t.cooperation_municipalities.insert(),
                        [{"cooperation_id": coop, "position": i, "name": m} for i, m in enumerate(munis)],
                    )
                c.execute(
                    t.rounds.insert().values(cooperation_id=coop, session_id=sid, held_at=_now(), content_hash=content_hash)
                )
                return sid

        sid = self._retry(tx)
        return self.session(sid), token

    def session(self, session_id: int) -> Session | None:
        with self.engine.connect() as c:
            row = c.execute(select(t.sessions).where(t.sessions.c.id == session_id)).mappings().first()
            if row is None:
                return None
            munis = c.execute(
                select(t.session_municipalities.c.name)
                .where(t.session_municipalities.c.session_id == session_id)
                .order_by(t.session_municipalities.c.position)
            ).scalars()
            months = c.execute(
                select(t.session_retention.c.months).where(t.session_retention.c.session_id == session_id)
            ).scalar()
            shown_one = c.execute(
                select(t.slide_reveals.c.slide).where(
                    t.slide_reveals.c.session_id == session_id, t.slide_reveals.c.revealed.is_(True)
                )
            ).first()
            mine = c.execute(
                select(t.rounds.c.id, t.rounds.c.cooperation_id, t.rounds.c.held_at).where(t.rounds.c.session_id == session_id)
            ).first()
            number = 1
            if mine is not None:  # rounds are ordered by (held_at, id), as in Store.rounds
                number = c.execute(
                    select(func.count())
                    .select_from(t.rounds)
                    .where(
                        t.rounds.c.cooperation_id == mine.cooperation_id,
                        or_(
                            t.rounds.c.held_at < mine.held_at, and_(t.rounds.c.held_at == mine.held_at, t.rounds.c.id <= mine.id)
                        ),
                    )
                ).scalar()
            return Session(
                id=row["id"],
                join_code=row["join_code"],
                name=row["name"],
                municipalities=tuple(munis),
                sections=tuple(json.loads(row["sections"])),
                roles=tuple(json.loads(row["roles"])),
                min_group_size=row["min_group_size"],
                # Group results are on screen: all of them, or at least one slide (participants follow this).
                revealed=bool(row["revealed"]) or shown_one is not None,
                closed=bool(row["closed"]),
                created_at=_aware(row["created_at"]),
                closed_at=_aware(row["closed_at"]),
                retention_months=int(months) if months is not None else DEFAULT_RETENTION_MONTHS,
                round_number=int(number),
            )

    def session_by_code(self, raw_code: str | None) -> Session | None:
        code = normalise_code(raw_code)
        if code is None:
            return None
        with self.engine.connect() as c:
            sid = c.execute(select(t.sessions.c.id).where(t.sessions.c.join_code == code)).scalar()
        return self.session(sid) if sid is not None else None

    def session_by_facilitator_token(self, token: str | None) -> Session | None:
        """The session a begeleiderslink opens; None for a wrong, revoked or projector token."""
        link = self.link_by_token(token)
        if link is not None:
            return self.session(link.session_id) if link.kind == FACILITATOR and link.revoked_at is None else None
        if not looks_like_token(token):
            return None
        wanted = hash_token(token)
        with (
            self.engine.connect() as c
        ):  # a session made before session_links existed (migration 0003 lists those; this is a safety net)
            row = c.execute(
                select(t.sessions.c.id, t.sessions.c.facilitator_hash).where(t.sessions.c.facilitator_hash == wanted)
            ).first()
        # The lookup is by hash (an attacker cannot steer it byte by byte); the final check is constant-time.
        if row is None or not hmac.compare_digest(row.facilitator_hash, wanted):
            return None
        return self.session(row.id)

    def session_by_projector_token(self, token: str | None) -> Session | None:
        """The session a presentatielink opens (read-only); None for anything else."""
        link = self.link_by_token(token)
        if link is None or link.kind != PROJECTOR or link.revoked_at is not None:
            return None
        return self.session(link.session_id)

    def _update_session(self, session_id: int, **values) -> None:
        with self.engine.begin() as c:
            c.execute(update(t.sessions).where(t.sessions.c.id == session_id).values(**values))

    # ------------------------------------------------------------- set-up options

    def set_session_required(self, session_id: int, required_kind: str | None) -> None:
        """Mark a session's cooperation as legally required (a kind id) or not (None)."""
        kind = _clean_text(required_kind, "De soort samenwerking", 40) if required_kind else None

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(t.session_options.delete().where(t.session_options.c.session_id == session_id))
                if kind is not None:
                    c.execute(t.session_options.insert().values(session_id=session_id, required_kind=kind))

        self._retry(tx)

    def session_required(self, session_id: int) -> str | None:
        """The kind of legally required cooperation of a session, or None."""
        with self.engine.connect() as c:
            return c.execute(
                select(t.session_options.c.required_kind).where(t.session_options.c.session_id == session_id)
            ).scalar()

    def set_participant_options(
        self, participant_id: int, *, required_kind: str | None = None, sections: Iterable[str] | None = None
    ) -> None:
        """A zelfscan's choices at set-up: legally required (a kind id) and its sections (None = default)."""
        kind = _clean_text(required_kind, "De soort samenwerking", 40) if required_kind else None
        chosen = json.dumps(list(sections)) if sections is not None else None

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(t.participant_options.delete().where(t.participant_options.c.participant_id == participant_id))
                if kind is not None or chosen is not None:
                    c.execute(
                        t.participant_options.insert().values(participant_id=participant_id, required_kind=kind, sections=chosen)
                    )

        self._retry(tx)

    def participant_options(self, participant_id: int) -> tuple[str | None, tuple[str, ...] | None]:
        """``(required_kind, sections)`` chosen for a zelfscan; ``(None, None)`` when nothing was chosen."""
        with self.engine.connect() as c:
            row = c.execute(
                select(t.participant_options.c.required_kind, t.participant_options.c.sections).where(
                    t.participant_options.c.participant_id == participant_id
                )
            ).first()
        if row is None:
            return None, None
        return row.required_kind, (tuple(json.loads(row.sections)) if row.sections is not None else None)

    # ------------------------------------------------------------- participants

    def create_participant(
        self, *, cooperation: str, municipality: str, role: str, session_id: int | None = None
    ) -> tuple[Participant, str]:
        """Register a participant. Returns the participant and the personal resume token."""
        cooperation = _clean_text(cooperation, "De naam van de samenwerking", MAX_NAME)
        municipality = _clean_text(municipality, "De gemeente", MAX_MUNICIPALITY)
        role = _clean_text(role, "De rol", 40)
        token = new_token()

        def tx() -> int:
            with self.engine.begin() as c:
                if session_id is not None:
                    closed = c.execute(select(t.sessions.c.closed).where(t.sessions.c.id == session_id)).scalar()
                    if closed is None:
                        raise InvalidInput("Deze sessie bestaat niet.")
                    if closed:
                        raise SessionClosed("Deze sessie is gesloten; meedoen kan niet meer.")
                now = _now()
                for _ in range(20):
                    pseudonym = "D-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))
                    if not c.execute(select(t.participants.c.id).where(t.participants.c.pseudonym == pseudonym)).first():
                        break
                return c.execute(
                    t.participants.insert().values(
                        token_hash=hash_token(token),
                        pseudonym=pseudonym,
                        session_id=session_id,
                        cooperation=cooperation,
                        municipality=municipality,
                        role=role,
                        step=0,
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key[0]

        pid = self._retry(tx)
        return self.participant(pid), token

    def participant(self, participant_id: int) -> Participant | None:
        with self.engine.connect() as c:
            row = c.execute(select(t.participants).where(t.participants.c.id == participant_id)).mappings().first()
        return self._participant(row) if row else None

    def participant_by_token(self, token: str | None) -> Participant | None:
        if not looks_like_token(token):
            return None
        wanted = hash_token(token)
        with self.engine.connect() as c:
            row = c.execute(select(t.participants).where(t.participants.c.token_hash == wanted)).mappings().first()
        if row is None or not hmac.compare_digest(row["token_hash"], wanted):
            return None
        return self._participant(row)

    @staticmethod
    def _participant(row) -> Participant:
        return Participant(
            id=row["id"],
            pseudonym=row["pseudonym"],
            session_id=row["session_id"],
            cooperation=row["cooperation"],
            municipality=row["municipality"],
            role=row["role"],
            step=row["step"],
            created_at=_aware(row["created_at"]),
            finished_at=_aware(row["finished_at"]),
        )

    def _check_open(self, c, participant_id: int) -> None:
        closed = c.execute(
            select(t.sessions.c.closed).select_from(t.participants.join(t.sessions)).where(t.participants.c.id == participant_id)
        ).scalar()
        if closed:
            raise SessionClosed("Deze sessie is gesloten; antwoorden kan niet meer. Uw eerdere antwoorden zijn bewaard.")

    def save_answers(self, participant_id: int, values: Mapping[str, int], *, step: int | None = None) -> None:
        """Store answers (upsert: one row per participant and item) and optionally the current step.

        Refuses (SessionClosed) when the participant's session is closed. One answer is one
        statement: the insert itself only selects the participant while their session is open, so
        the check and the write cannot be separated by a close and no read lock is held first.
        """
        # Sorted, so that concurrent transactions lock the answer rows in the same order (PostgreSQL
        # would otherwise detect deadlocks between two multi-item upserts of one participant).
        rows = [
            {"pid": participant_id, "item": str(k), "value": int(v)} for k, v in sorted(values.items(), key=lambda kv: str(kv[0]))
        ]
        stmt = self._upsert_answer()

        def tx() -> None:
            with self.engine.begin() as c:
                now = _now()
                if step is not None:
                    # Write first, then read: on SQLite a transaction that reads first and then
                    # writes fails at once ("database is locked", no busy wait) when another write
                    # committed in between; writing first takes the lock (waiting for it).
                    c.execute(
                        update(t.participants).where(t.participants.c.id == participant_id).values(step=int(step), updated_at=now)
                    )
                    self._check_open(c, participant_id)
                for row in rows:
                    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … SELECT upsert.
                    if c.execute(stmt, {**row, "at": now}).first() is None:
                        self._check_open(c, participant_id)  # raises SessionClosed when that is why
                        raise ParticipantGone("Deze antwoorden zijn verwijderd; antwoorden kan hier niet meer.")

        self._retry(tx)

    def _upsert_answer(self):
        """INSERT … SELECT the participant if their session is open … ON CONFLICT update (built once)."""
        if self._upsert is None:
            insert = self._insert()
            open_participant = (
                select(
                    t.participants.c.id,
                    bindparam("item", type_=t.answers.c.item.type),
                    bindparam("value", type_=t.answers.c.value.type),
                    bindparam("at", type_=t.answers.c.answered_at.type),
                )
                .select_from(t.participants.outerjoin(t.sessions))
                .where(
                    t.participants.c.id == bindparam("pid"), or_(t.sessions.c.closed.is_(None), t.sessions.c.closed.is_(False))
                )
            )
            stmt = insert(t.answers).from_select(["participant_id", "item", "value", "answered_at"], open_participant)
            self._upsert = stmt.on_conflict_do_update(
                index_elements=[t.answers.c.participant_id, t.answers.c.item],
                set_={"value": stmt.excluded.value, "answered_at": stmt.excluded.answered_at},
            ).returning(t.answers.c.participant_id)
        return self._upsert

    def set_step(self, participant_id: int, step: int) -> None:
        self.save_answers(participant_id, {}, step=step)

    def finish(self, participant_id: int) -> None:
        def tx() -> None:
            with self.engine.begin() as c:
                now = _now()  # write first, then check (see save_answers)
                c.execute(
                    update(t.participants)
                    .where(t.participants.c.id == participant_id, t.participants.c.finished_at.is_(None))
                    .values(finished_at=now, updated_at=now)
                )
                self._check_open(c, participant_id)

        self._retry(tx)

    def reopen(self, participant_id: int, step: int) -> None:
        """Go back to answering after finishing (to change answers)."""

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    update(t.participants)
                    .where(t.participants.c.id == participant_id)
                    .values(finished_at=None, step=int(step), updated_at=_now())
                )
                self._check_open(c, participant_id)  # after the write (see save_answers)

        self._retry(tx)

    def answers_of(self, participant_id: int) -> dict[str, int]:
        with self.engine.connect() as c:
            rows = c.execute(select(t.answers.c.item, t.answers.c.value).where(t.answers.c.participant_id == participant_id))
            return {r.item: r.value for r in rows}

    # ------------------------------------------------------------- frames for scoring and export

    def answers_frame(self, *, session_id: int | None = None, participant_id: int | None = None) -> pd.DataFrame:
        """Long-form answers: participant (pseudonym), item, value, answered_at."""
        q = select(
            t.participants.c.pseudonym.label("participant"),
            t.answers.c.item,
            t.answers.c.value,
            t.answers.c.answered_at,
        ).select_from(t.answers.join(t.participants))
        if session_id is not None:
            q = q.where(t.participants.c.session_id == session_id)
        if participant_id is not None:
            q = q.where(t.participants.c.id == participant_id)
        with self.engine.connect() as c:
            rows = c.execute(q.order_by(t.participants.c.id, t.answers.c.item)).all()
        df = pd.DataFrame(rows, columns=["participant", "item", "value", "answered_at"])
        df["value"] = df["value"].astype("int64")
        df["answered_at"] = pd.to_datetime(df["answered_at"], utc=True)
        return df

    def participants_frame(self, session_id: int) -> pd.DataFrame:
        """Participants of a session: participant (pseudonym), municipality, role, joined_at, finished_at, step."""
        q = select(
            t.participants.c.pseudonym.label("participant"),
            t.participants.c.municipality,
            t.participants.c.role,
            t.participants.c.created_at.label("joined_at"),
            t.participants.c.finished_at,
            t.participants.c.step,
        ).where(t.participants.c.session_id == session_id)
        with self.engine.connect() as c:
            rows = c.execute(q.order_by(t.participants.c.id)).all()
        df = pd.DataFrame(rows, columns=["participant", "municipality", "role", "joined_at", "finished_at", "step"])
        for col in ("joined_at", "finished_at"):
            df[col] = pd.to_datetime(df[col], utc=True)
        return df

    def session_counts(self, session_id: int) -> pd.DataFrame:
        """Joined and finished per municipality (all municipalities of the session, zeros included)."""
        sess = self.session(session_id)
        with self.engine.connect() as c:
            rows = c.execute(
                select(
                    t.participants.c.municipality,
                    func.count().label("joined"),
                    func.count(t.participants.c.finished_at).label("finished"),
                )
                .where(t.participants.c.session_id == session_id)
                .group_by(t.participants.c.municipality)
            ).all()
        got = {r.municipality: (r.joined, r.finished) for r in rows}
        names = list(sess.municipalities) if sess else sorted(got)
        return pd.DataFrame(
            [{"municipality": m, "joined": got.get(m, (0, 0))[0], "finished": got.get(m, (0, 0))[1]} for m in names]
        )

    def session_fingerprint(self, session_id: int) -> tuple:
        """Cheap summary that changes whenever the session's answers or participants change:
        (participants, finished, answers, last answer time). Lets a dashboard reuse its charts."""
        with self.engine.connect() as c:
            p = c.execute(
                select(func.count(), func.count(t.participants.c.finished_at), func.max(t.participants.c.updated_at)).where(
                    t.participants.c.session_id == session_id
                )
            ).one()
            a = c.execute(
                select(func.count(), func.max(t.answers.c.answered_at))
                .select_from(t.answers.join(t.participants))
                .where(t.participants.c.session_id == session_id)
            ).one()
        return (int(p[0]), int(p[1]), str(p[2]), int(a[0]), str(a[1]))

    def count_answers(self, session_id: int | None = None) -> int:
        q = select(func.count()).select_from(t.answers.join(t.participants))
        if session_id is not None:
            q = q.where(t.participants.c.session_id == session_id)
        with self.engine.connect() as c:
            return int(c.execute(q).scalar())


__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DEFAULT_RETENTION_MONTHS",
    "DEFAULT_SQLITE",
    "LINK_KINDS",
    "MAX_MUNICIPALITY",
    "MAX_NAME",
    "PSEUDONYM_ALPHABET",
    "RETENTION_CHOICES",
    "ZELFSCAN_RETENTION_MONTHS",
    "add_months",
    "hash_token",
    "looks_like_token",
    "new_token",
    "_aware",
    "_check_retention",
    "_clean_text",
    "_now",
    "FACILITATOR",
    "PROJECTOR",
    "PresenterView",
    "SessionLink",
    "IntegrityError",
    "InvalidInput",
    "Participant",
    "ParticipantGone",
    "Session",
    "SessionClosed",
    "Store",
    "StoreError",
    "database_url",
    "normalise_code",
]
