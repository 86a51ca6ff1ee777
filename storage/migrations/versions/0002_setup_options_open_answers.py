"""Set-up choices (legally required, a zelfscan's modules) and open questions with their answers.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_options",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("required_kind", sa.String(40)),
    )
    op.create_table(
        "participant_options",
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("required_kind", sa.String(40)),
        sa.Column("sections", sa.Text),
    )
    op.create_table(
        "open_questions",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("text", sa.String(300), nullable=False),
    )
    op.create_table(
        "open_answers",
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderated_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for table in ("open_answers", "open_questions", "participant_options", "session_options"):
        op.drop_table(table)
