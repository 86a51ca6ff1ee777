"""Table definitions (SQLAlchemy Core). Only storage/ knows them.

A change here needs a migration in storage/migrations/versions (tests/test_migrations.py fails
when the migrated database and these definitions differ)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("join_code", String(6), nullable=False, unique=True),
    # SHA-256 of the facilitator token; the token itself is never stored.
    Column("facilitator_hash", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("sections", Text, nullable=False),  # JSON list of section ids
    Column("roles", Text, nullable=False),  # JSON list of role ids
    Column("min_group_size", SmallInteger, nullable=False),
    Column("revealed", Boolean, nullable=False, default=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)

session_municipalities = Table(
    "session_municipalities",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("name", String(100), nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # SHA-256 of the personal resume token; the token itself is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("pseudonym", String(12), nullable=False, unique=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE")),
    Column("cooperation", String(200), nullable=False),
    Column("municipality", String(100), nullable=False),
    Column("role", String(40), nullable=False),
    Column("step", SmallInteger, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)
Index("ix_participants_session", participants.c.session_id)

answers = Table(
    "answers",
    metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("item", String(40), primary_key=True),
    Column("value", SmallInteger, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)

# Links that open a session's screens: begeleiderslinks (kind "facilitator", full control) and
# presentatielinks (kind "projector", read-only). Only the SHA-256 of each token is stored; a link
# with revoked_at set opens nothing. sessions.facilitator_hash stays the first begeleiderslink.
session_links = Table(
    "session_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)
Index("ix_session_links_session", session_links.c.session_id)

# What the Presentatiescherm shows now: the current slide (by key), shared by every process.
presenter_state = Table(
    "presenter_state",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("slide", String(60), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Per-slide reveal, on top of sessions.revealed (the default for every slide: "alles tonen").
slide_reveals = Table(
    "slide_reveals",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("slide", String(60), primary_key=True),
    Column("revealed", Boolean, nullable=False),
)

# Choices made at set-up that the first tables did not hold (migration 0002). One row per session /
# participant, only when something was chosen.
session_options = Table(
    "session_options",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    # Kind of legally required cooperation (questionnaire.yaml required_kinds), NULL = not required.
    Column("required_kind", String(40)),
)

participant_options = Table(
    "participant_options",
    metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("required_kind", String(40)),  # as above, for a zelfscan
    Column("sections", Text),  # JSON list of the section ids of a zelfscan; NULL = the default sections
)

# Open questions of a session (position 0 and 1) and the answers to them. A zelfscan has no row in
# open_questions: it asks the content's zelfscan question at position 0.
open_questions = Table(
    "open_questions",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("text", String(300), nullable=False),
)

open_answers = Table(
    "open_answers",
    metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("text", Text, nullable=False),
    # pending (new or changed), approved (may be shown to the room), hidden (never shown)
    Column("status", String(10), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Column("moderated_at", DateTime(timezone=True)),
)

# How long a session is kept after it is closed (months); no row = the default (storage.store).
session_retention = Table(
    "session_retention",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("months", SmallInteger, nullable=False),
)

# ---------------------------------------------------------------- cooperations and rounds (0005)

# A cooperation between municipalities as a record of its own; its workshop sessions are rounds.
cooperations = Table(
    "cooperations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("form", String(40), nullable=False),  # questionnaire.yaml cooperation_forms id
    Column("domain", String(40), nullable=False),  # questionnaire.yaml domains id
    Column("required_kind", String(40)),  # questionnaire.yaml required_kinds id, NULL = voluntary
    Column("evaluation_moments", Text, nullable=False),  # JSON list of ISO dates the regeling names
    # Public key of the cooperation's zelfscan link (/?samenwerking=...): it only prefills a zelfscan.
    Column("scan_key", String(32), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

cooperation_municipalities = Table(
    "cooperation_municipalities",
    metadata,
    Column("cooperation_id", Integer, ForeignKey("cooperations.id", ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("name", String(100), nullable=False),
)

# The sections and statements a round asked (questionnaire.versions), once per version.
content_versions = Table(
    "content_versions",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("label", String(60), nullable=False),
    Column("snapshot", Text, nullable=False),  # JSON, questionnaire.versions.snapshot
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A round of a cooperation: one workshop session. The row outlives its session (session_id becomes
# NULL when the session is deleted after its retention period), keeping only ``summary``: the
# published (suppressed) results, written when the session closes, so a trend survives the purge.
rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cooperation_id", Integer, ForeignKey("cooperations.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="SET NULL"), unique=True),
    Column("held_at", DateTime(timezone=True), nullable=False),
    Column("content_hash", String(64), ForeignKey("content_versions.hash")),  # NULL: made before versions were kept
    Column("summary", Text),  # JSON, services.cooperation.RoundSummary
    Column("summary_at", DateTime(timezone=True)),
)
Index("ix_rounds_cooperation", rounds.c.cooperation_id)

# A zelfscan's content version, and the cooperation it was started for (when it came by that link).
scan_records = Table(
    "scan_records",
    metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("cooperation_id", Integer, ForeignKey("cooperations.id", ondelete="SET NULL")),
    Column("content_hash", String(64), ForeignKey("content_versions.hash")),
)

# ---------------------------------------------------------------- regions: netwerkregie (0006)

# A region's portfolio of cooperations (a griffie, or a regional secretariat for several councils).
regions = Table(
    "regions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Links that open a region: "owner" (changes allowed) and "read" (a council's read-only link).
# Only the SHA-256 of each token is stored; a link with revoked_at set opens nothing.
region_links = Table(
    "region_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_id", Integer, ForeignKey("regions.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("label", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)
Index("ix_region_links_region", region_links.c.region_id)

# A cooperation in a region's portfolio. ``key`` is the stable key a re-import matches on (the
# sheet's Kenmerk, else the name), unique within the region; ``ref`` is the Kenmerk as typed.
region_cooperations = Table(
    "region_cooperations",
    metadata,
    Column("cooperation_id", Integer, ForeignKey("cooperations.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", Integer, ForeignKey("regions.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("ref", String(60)),
    Column("start_year", SmallInteger),
    Column("motives", Text, nullable=False),  # JSON list of questionnaire.yaml motives ids
    Column("position", Integer, nullable=False),  # order of the sheet
    UniqueConstraint("region_id", "key", name="uq_region_cooperations_key"),
)
Index("ix_region_cooperations_region", region_cooperations.c.region_id)

# The budget contribution of a partner municipality to a cooperation in a year (whole euros).
region_budgets = Table(
    "region_budgets",
    metadata,
    Column("cooperation_id", Integer, ForeignKey("cooperations.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality", String(100), primary_key=True),
    Column("year", SmallInteger, primary_key=True),
    Column("amount", BigInteger, nullable=False),
)
