"""Cooperations as records, their rounds (workshop sessions), content versions and zelfscan links."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from storage import schema as t

MAX_EVALUATION_MOMENTS = 10


@dataclass(frozen=True)
class Cooperation:
    id: int
    name: str
    form: str  # a content cooperation_forms id
    domain: str  # a content domains id
    required_kind: str | None
    municipalities: tuple[str, ...]
    evaluation_moments: tuple[date, ...]
    scan_key: str  # public key of the zelfscan link
    created_at: datetime


@dataclass(frozen=True)
class Round:
    id: int
    cooperation_id: int
    number: int  # 1, 2, ... in the order the rounds were held
    session_id: int | None  # None once the session was deleted (only the summary is left)
    held_at: datetime
    content_hash: str | None  # None: made before content versions were kept
    summary: dict | None  # published results written at close (services.cooperation)


class CooperationsStore:
    """Mixed into ``storage.Store``: needs its ``engine``, ``_retry`` and ``_insert``."""

    # ------------------------------------------------------------- the record

    def create_cooperation(
        self,
        name: str,
        municipalities: list[str],
        *,
        form: str,
        domain: str,
        required_kind: str | None = None,
        evaluation_moments: list[date] = (),
    ) -> Cooperation:
        from storage.store import _now

        values = _record_values(name, municipalities, form, domain, evaluation_moments)

        def tx() -> int:
            with self.engine.begin() as c:
                cid = c.execute(
                    t.cooperations.insert().values(
                        **values["row"],
                        required_kind=required_kind,
                        scan_key=secrets.token_urlsafe(12),
                        created_at=_now(),
                        updated_at=_now(),
                    )
                ).inserted_primary_key[0]
                _write_municipalities(c, cid, values["municipalities"])
                return cid

        return self.cooperation(self._retry(tx))

    def update_cooperation(
        self,
        cooperation_id: int,
        *,
        name: str,
        municipalities: list[str],
        form: str,
        domain: str,
        required_kind: str | None,
        evaluation_moments: list[date],
    ) -> Cooperation:
        from storage.store import _now

        values = _record_values(name, municipalities, form, domain, evaluation_moments)

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    update(t.cooperations)
                    .where(t.cooperations.c.id == cooperation_id)
                    .values(**values["row"], required_kind=required_kind, updated_at=_now())
                )
                c.execute(
                    t.cooperation_municipalities.delete().where(t.cooperation_municipalities.c.cooperation_id == cooperation_id)
                )
                _write_municipalities(c, cooperation_id, values["municipalities"])

        self._retry(tx)
        return self.cooperation(cooperation_id)

    def cooperation(self, cooperation_id: int | None) -> Cooperation | None:
        if cooperation_id is None:
            return None
        return self._cooperation_where(t.cooperations.c.id == cooperation_id)

    def cooperation_by_scan_key(self, key: str | None) -> Cooperation | None:
        if not key or len(key) > 32:
            return None
        return self._cooperation_where(t.cooperations.c.scan_key == key)

    def cooperation_of_session(self, session_id: int) -> Cooperation | None:
        with self.engine.connect() as c:
            cid = c.execute(select(t.rounds.c.cooperation_id).where(t.rounds.c.session_id == session_id)).scalar()
        return self.cooperation(cid)

    def _cooperation_where(self, condition) -> Cooperation | None:
        with self.engine.connect() as c:
            row = c.execute(select(t.cooperations).where(condition)).mappings().first()
            if row is None:
                return None
            munis = c.execute(
                select(t.cooperation_municipalities.c.name)
                .where(t.cooperation_municipalities.c.cooperation_id == row["id"])
                .order_by(t.cooperation_municipalities.c.position)
            ).scalars()
            return Cooperation(
                id=row["id"],
                name=row["name"],
                form=row["form"],
                domain=row["domain"],
                required_kind=row["required_kind"],
                municipalities=tuple(munis),
                evaluation_moments=tuple(date.fromisoformat(d) for d in json.loads(row["evaluation_moments"] or "[]")),
                scan_key=row["scan_key"],
                created_at=_aware_dt(row["created_at"]),
            )

    # ------------------------------------------------------------- content versions

    def save_content_version(self, digest: str, label: str, snapshot: dict) -> None:
        """Keep a content version once (idempotent: a second save of the same hash does nothing)."""
        from storage.store import _now

        insert = self._insert()

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    insert(t.content_versions)
                    .values(hash=digest, label=label, snapshot=json.dumps(snapshot, ensure_ascii=False), created_at=_now())
                    .on_conflict_do_nothing(index_elements=["hash"])
                )

        self._retry(tx)

    def content_version(self, digest: str | None) -> tuple[str, dict] | None:
        """(label, snapshot) of a stored version, None when unknown."""
        if digest is None:
            return None
        with self.engine.connect() as c:
            row = c.execute(select(t.content_versions).where(t.content_versions.c.hash == digest)).mappings().first()
        return None if row is None else (row["label"], json.loads(row["snapshot"]))

    # ------------------------------------------------------------- rounds

    def rounds(self, cooperation_id: int) -> list[Round]:
        """The cooperation's rounds, oldest first, numbered from 1."""
        with self.engine.connect() as c:
            rows = (
                c.execute(
                    select(t.rounds)
                    .where(t.rounds.c.cooperation_id == cooperation_id)
                    .order_by(t.rounds.c.held_at, t.rounds.c.id)
                )
                .mappings()
                .all()
            )
        return [_round(r, i + 1) for i, r in enumerate(rows)]

    def round_of_session(self, session_id: int) -> Round | None:
        with self.engine.connect() as c:
            cid = c.execute(select(t.rounds.c.cooperation_id).where(t.rounds.c.session_id == session_id)).scalar()
        if cid is None:
            return None
        return next(r for r in self.rounds(cid) if r.session_id == session_id)

    def set_round_summary(self, round_id: int, summary: dict | None) -> None:
        from storage.store import _now

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    update(t.rounds)
                    .where(t.rounds.c.id == round_id)
                    .values(summary=None if summary is None else json.dumps(summary, ensure_ascii=False), summary_at=_now())
                )

        self._retry(tx)

    # ------------------------------------------------------------- zelfscans

    def record_scan(self, participant_id: int, cooperation_id: int | None, content_hash: str | None) -> None:
        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    t.scan_records.insert().values(
                        participant_id=participant_id, cooperation_id=cooperation_id, content_hash=content_hash
                    )
                )

        self._retry(tx)

    def scan_record(self, participant_id: int) -> tuple[int | None, str | None] | None:
        """(cooperation id, content hash) of a zelfscan, None when it has no record."""
        with self.engine.connect() as c:
            row = c.execute(select(t.scan_records).where(t.scan_records.c.participant_id == participant_id)).first()
        return None if row is None else (row.cooperation_id, row.content_hash)


def _record_values(name: str, municipalities: list[str], form: str, domain: str, moments) -> dict:
    from storage.store import MAX_MUNICIPALITY, MAX_NAME, InvalidInput, _clean_text

    name = _clean_text(name, "De naam van de samenwerking", MAX_NAME)
    munis = [_clean_text(m, "Een gemeentenaam", MAX_MUNICIPALITY) for m in municipalities]
    if len(set(munis)) != len(munis):
        raise InvalidInput("Een gemeente staat twee keer in de lijst.")
    if not form or not domain:
        raise InvalidInput("Kies de vorm en het domein van de samenwerking.")
    moments = sorted(set(moments))
    if len(moments) > MAX_EVALUATION_MOMENTS:
        raise InvalidInput(f"Noem hooguit {MAX_EVALUATION_MOMENTS} evaluatiemomenten.")
    row = {
        "name": name,
        "form": form,
        "domain": domain,
        "evaluation_moments": json.dumps([d.isoformat() for d in moments]),
    }
    return {"row": row, "municipalities": munis}


def _write_municipalities(c, cooperation_id: int, munis: list[str]) -> None:
    if munis:
        c.execute(
            t.cooperation_municipalities.insert(),
            [{"cooperation_id": cooperation_id, "position": i, "name": m} for i, m in enumerate(munis)],
        )


def _aware_dt(value):
    from storage.store import _aware

    return _aware(value)


def _round(row, number: int) -> Round:
    return Round(
        id=row["id"],
        cooperation_id=row["cooperation_id"],
        number=number,
        session_id=row["session_id"],
        held_at=_aware_dt(row["held_at"]),
        content_hash=row["content_hash"],
        summary=None if row["summary"] is None else json.loads(row["summary"]),
    )
