"""Retention period per session (AVG, issue 11): months after closing; no row = the default.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_retention",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("months", sa.SmallInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("session_retention")
