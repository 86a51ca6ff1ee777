"""Presenter: session links (begeleiderslink/presentatielink, hash only, revocable), current slide, per-slide reveal.

Every existing session's begeleiderslink (sessions.facilitator_hash) is listed in session_links,
so it can be seen and revoked on the Begeleidersscherm like a new one.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_session_links_session", "session_links", ["session_id"])
    op.create_table(
        "presenter_state",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("slide", sa.String(60), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "slide_reveals",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("slide", sa.String(60), primary_key=True),
        sa.Column("revealed", sa.Boolean, nullable=False),
    )
    op.execute(
        "INSERT INTO session_links (session_id, kind, token_hash, created_at) "
        "SELECT id, 'facilitator', facilitator_hash, created_at FROM sessions ORDER BY id"
    )


def downgrade() -> None:
    for table in ("slide_reveals", "presenter_state", "session_links"):
        op.drop_table(table)
