"""What every part of storage shares: errors, records, bounds and small helpers (no database access)."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "data" / "samenwerkingsspiegel.db"

# Join codes: 6 characters without look-alikes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
PSEUDONYM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

# Retention (AVG): a session is deleted completely this many months after it was closed (or, never
# closed, after it was created); a zelfscan this many months after its last change.
DEFAULT_RETENTION_MONTHS = 12
RETENTION_CHOICES = (1, 3, 6, 12, 24)
ZELFSCAN_RETENTION_MONTHS = 12

# Input bounds (also shown to people as limits in the forms).
MAX_NAME = 120
MAX_MUNICIPALITY = 100


class StoreError(Exception):
    """Base class for storage errors meant to be shown to a person (Dutch message)."""


class SessionClosed(StoreError):
    pass


class InvalidInput(StoreError):
    pass


class ParticipantGone(SessionClosed):
    """The participant (or their whole session) was deleted; a SessionClosed, so the answer
    screens that already handle a closed session show this message too."""


@dataclass(frozen=True)
class Session:
    id: int
    join_code: str
    name: str
    municipalities: tuple[str, ...]
    sections: tuple[str, ...]
    roles: tuple[str, ...]
    min_group_size: int
    revealed: bool
    closed: bool
    created_at: datetime
    closed_at: datetime | None = None
    retention_months: int = DEFAULT_RETENTION_MONTHS
    round_number: int = 1  # which round of its cooperation (storage.cooperations.Store.rounds numbers them the same)

    @property
    def delete_after(self) -> datetime:
        """When the purge deletes this session: ``retention_months`` after closing (or creation)."""
        return add_months(self.closed_at or self.created_at, self.retention_months)


FACILITATOR, PROJECTOR = "facilitator", "projector"  # kinds of session link
LINK_KINDS = (FACILITATOR, PROJECTOR)


@dataclass(frozen=True)
class SessionLink:
    id: int
    session_id: int
    kind: str  # FACILITATOR (begeleiderslink) or PROJECTOR (presentatielink)
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class PresenterView:
    slide: str | None  # key of the current slide; None: the first one
    reveal_all: bool  # sessions.revealed: the default for every slide
    overrides: dict[str, bool]  # per-slide reveal that differs from the default

    def revealed(self, slide: str) -> bool:
        return self.overrides.get(slide, self.reveal_all)


@dataclass(frozen=True)
class Participant:
    id: int
    pseudonym: str
    session_id: int | None
    cooperation: str
    municipality: str
    role: str
    step: int
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            # psycopg 3 is the driver we ship; a bare postgresql:// URL would ask for psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """An unguessable token for links: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def normalise_code(raw: str | None) -> str | None:
    """Uppercase a typed join code, drop spaces and dashes; None when it cannot be a code."""
    if raw is None:
        return None
    code = re.sub(r"[\s-]", "", str(raw)).upper()[:20]
    return code if _CODE_RE.match(code) else None


def looks_like_token(raw: str | None) -> bool:
    return bool(raw) and bool(_TOKEN_RE.match(raw))


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime | None) -> datetime | None:
    """Timezone-aware UTC: SQLite gives naive UTC back, PostgreSQL gives the session's time zone."""
    if dt is None:
        return None
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def add_months(dt: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months later (the last day of a shorter month)."""
    import calendar

    total = dt.month - 1 + int(months)
    year, month = dt.year + total // 12, total % 12 + 1
    return dt.replace(year=year, month=month, day=min(dt.day, calendar.monthrange(year, month)[1]))


def _check_retention(months: int) -> int:
    if int(months) not in RETENTION_CHOICES:
        raise InvalidInput(f"Kies een bewaartermijn van {', '.join(map(str, RETENTION_CHOICES))} maanden.")
    return int(months)


def _clean_text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{field} is leeg; vul het in.")
    if len(value) > limit:
        raise InvalidInput(f"{field} is te lang: hooguit {limit} tekens.")
    if any(ord(c) < 32 for c in value):
        raise InvalidInput(f"{field} bevat ongeldige tekens.")
    return value
