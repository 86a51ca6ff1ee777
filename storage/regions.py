"""Regions (netwerkregie): a region's portfolio of cooperations, its owner and read-only links, and
the portfolio's rows read in bulk for the overview."""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from storage import schema as t

OWNER, READ = "owner", "read"  # kinds of region link: changes allowed / a council's read-only link
REGION_LINK_KINDS = (OWNER, READ)
MAX_LINK_LABEL = 120


@dataclass(frozen=True)
class Region:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class RegionLink:
    id: int
    region_id: int
    kind: str  # OWNER or READ
    label: str  # for whom (e.g. "Raad van Tiel")
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class PortfolioItem:
    """One cooperation of a region as the import writes it (validated by ``portfolio.sheet``)."""

    key: str
    ref: str | None
    name: str
    form: str
    domain: str
    municipalities: tuple[str, ...]
    start_year: int | None
    motives: tuple[str, ...]
    evaluation_moments: tuple
    budgets: tuple[tuple[str, int, int], ...] | None  # (municipality, year, euros); None: leave as stored


@dataclass(frozen=True)
class PortfolioRows:
    """A region's portfolio as plain rows (one query per table), for ``portfolio.views``."""

    cooperations: list[dict]  # id, name, form, domain, evaluation_moments (JSON), key, ref, start_year, motives (JSON), position
    municipalities: list[dict]  # cooperation_id, position, name
    budgets: list[dict]  # cooperation_id, municipality, year, amount
    rounds: list[dict]  # id, cooperation_id, session_id, held_at, summary (JSON text or None)


class RegionsStore:
    """Mixed into ``storage.Store``: needs its ``engine`` and ``_retry``."""

    # ------------------------------------------------------------- regions and links

    def create_region(self, name: str, owner_label: str = "Eigenaar") -> tuple[Region, str]:
        """A new region and its first owner link; returns the region and the owner token (shown once)."""
        from storage.store import MAX_NAME, _clean_text, _now, hash_token, new_token

        name = _clean_text(name, "De naam van de regio", MAX_NAME)
        token = new_token()

        def tx() -> int:
            with self.engine.begin() as c:
                rid = c.execute(t.regions.insert().values(name=name, created_at=_now())).inserted_primary_key[0]
                c.execute(
                    t.region_links.insert().values(
                        region_id=rid, kind=OWNER, label=owner_label, token_hash=hash_token(token), created_at=_now()
                    )
                )
                return rid

        return self.region(self._retry(tx)), token

    def region(self, region_id: int) -> Region | None:
        from storage.store import _aware

        with self.engine.connect() as c:
            row = c.execute(select(t.regions).where(t.regions.c.id == region_id)).mappings().first()
        return None if row is None else Region(row["id"], row["name"], _aware(row["created_at"]))

    def region_link_by_token(self, token: str | None) -> RegionLink | None:
        """The link whose token this is, None for an unknown or revoked one (by hash, constant-time compare)."""
        from storage.store import hash_token, looks_like_token

        if not looks_like_token(token):
            return None
        wanted = hash_token(token)
        with self.engine.connect() as c:
            row = c.execute(select(t.region_links).where(t.region_links.c.token_hash == wanted)).mappings().first()
        if row is None or not hmac.compare_digest(row["token_hash"], wanted) or row["revoked_at"] is not None:
            return None
        return _link(row)

    def create_region_link(self, region_id: int, kind: str, label: str) -> tuple[RegionLink, str]:
        from storage.store import InvalidInput, _clean_text, _now, hash_token, new_token

        if kind not in REGION_LINK_KINDS:
            raise InvalidInput("Onbekend soort link.")
        label = _clean_text(label, "Voor wie de link is", MAX_LINK_LABEL)
        token = new_token()

        def tx() -> int:
            with self.engine.begin() as c:
                return c.execute(
                    t.region_links.insert().values(
                        region_id=region_id, kind=kind, label=label, token_hash=hash_token(token), created_at=_now()
                    )
                ).inserted_primary_key[0]

        link_id = self._retry(tx)
        return next(link for link in self.region_links(region_id) if link.id == link_id), token

    def region_links(self, region_id: int) -> list[RegionLink]:
        """Every link of a region, oldest first (revoked ones included)."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(t.region_links).where(t.region_links.c.region_id == region_id).order_by(t.region_links.c.id)
            ).mappings()
            return [_link(r) for r in rows]

    def revoke_region_link(self, region_id: int, link_id: int) -> None:
        from storage.store import _now

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    update(t.region_links)
                    .where(
                        t.region_links.c.id == link_id,
                        t.region_links.c.region_id == region_id,
                        t.region_links.c.revoked_at.is_(None),
                    )
                    .values(revoked_at=_now())
                )

        self._retry(tx)

    # ------------------------------------------------------------- the portfolio

    def region_of_cooperation(self, cooperation_id: int) -> int | None:
        with self.engine.connect() as c:
            return c.execute(
                select(t.region_cooperations.c.region_id).where(t.region_cooperations.c.cooperation_id == cooperation_id)
            ).scalar()

    def import_portfolio(self, region_id: int, items: list[PortfolioItem]) -> tuple[int, int]:
        """Write validated items in one transaction: an item whose key the region has updates that
        cooperation, a new key adds one. Nothing is deleted. Returns (added, updated)."""
        from storage.cooperations import _record_values, _write_municipalities
        from storage.store import _now

        def tx() -> tuple[int, int]:
            added = updated = 0
            with self.engine.begin() as c:
                known = dict(
                    c.execute(
                        select(t.region_cooperations.c.key, t.region_cooperations.c.cooperation_id).where(
                            t.region_cooperations.c.region_id == region_id
                        )
                    ).all()
                )
                for position, item in enumerate(items):
                    values = _record_values(item.name, list(item.municipalities), item.form, item.domain, item.evaluation_moments)
                    extra = {
                        "ref": item.ref,
                        "start_year": item.start_year,
                        "motives": json.dumps(list(item.motives)),
                        "position": position,
                    }
                    budgets = None if item.budgets is None else sorted(item.budgets)
                    cid = known.get(item.key)
                    if cid is None:
                        cid = c.execute(
                            t.cooperations.insert().values(
                                **values["row"], scan_key=secrets.token_urlsafe(12), created_at=_now(), updated_at=_now()
                            )
                        ).inserted_primary_key[0]
                        c.execute(
                            t.region_cooperations.insert().values(cooperation_id=cid, region_id=region_id, key=item.key, **extra)
                        )
                        known[item.key] = cid
                        added += 1
                    else:
                        stored = self._record_row(c, cid)
                        if stored[:3] == (values["row"], values["municipalities"], extra) and budgets in (None, stored[3]):
                            continue  # unchanged: a re-import of the same sheet writes nothing
                        c.execute(
                            update(t.cooperations).where(t.cooperations.c.id == cid).values(**values["row"], updated_at=_now())
                        )
                        c.execute(
                            update(t.region_cooperations).where(t.region_cooperations.c.cooperation_id == cid).values(**extra)
                        )
                        c.execute(
                            t.cooperation_municipalities.delete().where(t.cooperation_municipalities.c.cooperation_id == cid)
                        )
                        updated += 1
                    _write_municipalities(c, cid, values["municipalities"])
                    if budgets is not None:
                        c.execute(t.region_budgets.delete().where(t.region_budgets.c.cooperation_id == cid))
                        if budgets:
                            c.execute(
                                t.region_budgets.insert(),
                                [{"cooperation_id": cid, "municipality": m, "year": y, "amount": a} for m, y, a in budgets],
                            )
            return added, updated

        return self._retry(tx)

    @staticmethod
    def _record_row(c, cid: int) -> tuple[dict, list[str], dict, list[tuple[str, int, int]]]:
        row = c.execute(select(t.cooperations).where(t.cooperations.c.id == cid)).mappings().one()
        munis = list(
            c.execute(
                select(t.cooperation_municipalities.c.name)
                .where(t.cooperation_municipalities.c.cooperation_id == cid)
                .order_by(t.cooperation_municipalities.c.position)
            ).scalars()
        )
        rc = c.execute(select(t.region_cooperations).where(t.region_cooperations.c.cooperation_id == cid)).mappings().one()
        record = {k: row[k] for k in ("name", "form", "domain", "evaluation_moments")}
        extra = {k: rc[k] for k in ("ref", "start_year", "motives", "position")}
        budgets = sorted(
            (b.municipality, b.year, b.amount)
            for b in c.execute(select(t.region_budgets).where(t.region_budgets.c.cooperation_id == cid))
        )
        return record, munis, extra, budgets

    def portfolio_rows(self, region_id: int) -> PortfolioRows:
        """The region's cooperations, partners, budgets and rounds: four queries, no per-row round trips."""
        rc, co = t.region_cooperations, t.cooperations
        mine = select(rc.c.cooperation_id).where(rc.c.region_id == region_id)
        with self.engine.connect() as c:
            coops = (
                c.execute(
                    select(
                        co.c.id,
                        co.c.name,
                        co.c.form,
                        co.c.domain,
                        co.c.evaluation_moments,
                        rc.c.key,
                        rc.c.ref,
                        rc.c.start_year,
                        rc.c.motives,
                        rc.c.position,
                    )
                    .join(rc, rc.c.cooperation_id == co.c.id)
                    .where(rc.c.region_id == region_id)
                    .order_by(rc.c.position, co.c.id)
                )
                .mappings()
                .all()
            )
            munis = (
                c.execute(
                    select(t.cooperation_municipalities)
                    .where(t.cooperation_municipalities.c.cooperation_id.in_(mine))
                    .order_by(t.cooperation_municipalities.c.cooperation_id, t.cooperation_municipalities.c.position)
                )
                .mappings()
                .all()
            )
            budgets = (
                c.execute(
                    select(t.region_budgets)
                    .where(t.region_budgets.c.cooperation_id.in_(mine))
                    .order_by(t.region_budgets.c.cooperation_id, t.region_budgets.c.municipality, t.region_budgets.c.year)
                )
                .mappings()
                .all()
            )
            rounds = (
                c.execute(
                    select(
                        t.rounds.c.id, t.rounds.c.cooperation_id, t.rounds.c.session_id, t.rounds.c.held_at, t.rounds.c.summary
                    )
                    .where(t.rounds.c.cooperation_id.in_(mine))
                    .order_by(t.rounds.c.cooperation_id, t.rounds.c.held_at, t.rounds.c.id)
                )
                .mappings()
                .all()
            )
        return PortfolioRows(
            [dict(r) for r in coops], [dict(r) for r in munis], [dict(r) for r in budgets], [dict(r) for r in rounds]
        )


def _link(row) -> RegionLink:
    from storage.store import _aware

    return RegionLink(
        id=row["id"],
        region_id=row["region_id"],
        kind=row["kind"],
        label=row["label"],
        created_at=_aware(row["created_at"]),
        revoked_at=_aware(row["revoked_at"]),
    )
