"""Session links (begeleiderslink, presentatielink) and what the Presentatiescherm shows, in the database."""

from __future__ import annotations

import hmac

from sqlalchemy import select, update

from storage import schema as t
from storage.base import (
    LINK_KINDS,
    InvalidInput,
    PresenterView,
    SessionLink,
    _aware,
    _now,
    hash_token,
    looks_like_token,
    new_token,
)


class PresenterStore:
    """Mixed into ``storage.Store``: needs its ``engine``, ``_retry``, ``_insert`` and ``session``."""

    # ------------------------------------------------------------- links (begeleiderslink, presentatielink)

    def link_by_token(self, token: str | None) -> SessionLink | None:
        """The stored link whose token this is (revoked ones included), by hash, compared in constant time."""
        if not looks_like_token(token):
            return None
        wanted = hash_token(token)
        with self.engine.connect() as c:
            row = c.execute(select(t.session_links).where(t.session_links.c.token_hash == wanted)).mappings().first()
        if row is None or not hmac.compare_digest(row["token_hash"], wanted):
            return None
        return self._link(row)

    def create_link(self, session_id: int, kind: str) -> tuple[SessionLink, str]:
        """A new link of ``kind`` (FACILITATOR or PROJECTOR) for a session; the token is shown once."""
        if kind not in LINK_KINDS:
            raise InvalidInput("Onbekend soort link.")
        token = new_token()

        def tx() -> int:
            with self.engine.begin() as c:
                if c.execute(select(t.sessions.c.id).where(t.sessions.c.id == session_id)).first() is None:
                    raise InvalidInput("Deze sessie bestaat niet.")
                return c.execute(
                    t.session_links.insert().values(
                        session_id=session_id, kind=kind, token_hash=hash_token(token), created_at=_now()
                    )
                ).inserted_primary_key[0]

        link_id = self._retry(tx)
        return next(link for link in self.links(session_id) if link.id == link_id), token

    def links(self, session_id: int) -> list[SessionLink]:
        """Every link of a session, oldest first (revoked ones included)."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(t.session_links).where(t.session_links.c.session_id == session_id).order_by(t.session_links.c.id)
            ).mappings()
            return [self._link(r) for r in rows]

    def revoke_link(self, session_id: int, link_id: int) -> None:
        """Make a link of this session open nothing any more (idempotent)."""

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(
                    update(t.session_links)
                    .where(
                        t.session_links.c.id == link_id,
                        t.session_links.c.session_id == session_id,
                        t.session_links.c.revoked_at.is_(None),
                    )
                    .values(revoked_at=_now())
                )

        self._retry(tx)

    @staticmethod
    def _link(row) -> SessionLink:
        return SessionLink(
            id=row["id"],
            session_id=row["session_id"],
            kind=row["kind"],
            created_at=_aware(row["created_at"]),
            revoked_at=_aware(row["revoked_at"]),
        )

    # ------------------------------------------------------------- presenter (slides on the Presentatiescherm)

    def presenter_view(self, session_id: int) -> PresenterView:
        """The current slide and which slides show their results, as every process sees them."""
        with self.engine.connect() as c:
            slide = c.execute(select(t.presenter_state.c.slide).where(t.presenter_state.c.session_id == session_id)).scalar()
            default = c.execute(select(t.sessions.c.revealed).where(t.sessions.c.id == session_id)).scalar()
            rows = c.execute(
                select(t.slide_reveals.c.slide, t.slide_reveals.c.revealed).where(t.slide_reveals.c.session_id == session_id)
            ).all()
        return PresenterView(slide=slide, reveal_all=bool(default), overrides={r.slide: bool(r.revealed) for r in rows})

    def set_slide(self, session_id: int, slide: str) -> None:
        stmt = self._insert()(t.presenter_state).values(session_id=session_id, slide=str(slide)[:60], updated_at=_now())
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.presenter_state.c.session_id],
            set_={"slide": stmt.excluded.slide, "updated_at": stmt.excluded.updated_at},
        )
        self._retry(lambda: self._execute(stmt))

    def set_slide_revealed(self, session_id: int, slide: str, revealed: bool) -> None:
        """Show or hide the results of one slide, whatever "alles tonen" says."""
        stmt = self._insert()(t.slide_reveals).values(session_id=session_id, slide=str(slide)[:60], revealed=bool(revealed))
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.slide_reveals.c.session_id, t.slide_reveals.c.slide], set_={"revealed": stmt.excluded.revealed}
        )
        self._retry(lambda: self._execute(stmt))

    def _execute(self, stmt) -> None:
        with self.engine.begin() as c:
            c.execute(stmt)

    def set_revealed(self, session_id: int, revealed: bool) -> None:
        """Show or hide the results of every slide at once ("alles tonen"/"alles verbergen")."""

        def tx() -> None:
            with self.engine.begin() as c:
                c.execute(update(t.sessions).where(t.sessions.c.id == session_id).values(revealed=bool(revealed)))
                c.execute(t.slide_reveals.delete().where(t.slide_reveals.c.session_id == session_id))

        self._retry(tx)

    def set_closed(self, session_id: int, closed: bool) -> None:
        self._retry(lambda: self._update_session(session_id, closed=bool(closed), closed_at=_now() if closed else None))
