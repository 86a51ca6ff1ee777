"""Baseline: the schema as the app made it with create_all until stop 8 (commit a78d90a).

A database made by that version has these four tables and no alembic_version; storage.migrate
stamps it at this revision and upgrades from here.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("join_code", sa.String(6), nullable=False, unique=True),
        sa.Column("facilitator_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sections", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("min_group_size", sa.SmallInteger, nullable=False),
        sa.Column("revealed", sa.Boolean, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "session_municipalities",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("pseudonym", sa.String(12), nullable=False, unique=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE")),
        sa.Column("cooperation", sa.String(200), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("step", sa.SmallInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_participants_session", "participants", ["session_id"])
    op.create_table(
        "answers",
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("value", sa.SmallInteger, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("answers", "participants", "session_municipalities", "sessions"):
        op.drop_table(table)
