"""Cooperations as records of their own, sessions as their rounds, content versions.

Every existing session becomes round 1 of a cooperation of its own (its name, partners and the
legally required kind taken over; form "anders", domain "overig" until the begeleider sets them).
Its content version is unknown (NULL): those rounds are named, not compared, in a trend.

Revision ID: 0005
Revises: 0004
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cooperations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("form", sa.String(40), nullable=False),
        sa.Column("domain", sa.String(40), nullable=False),
        sa.Column("required_kind", sa.String(40)),
        sa.Column("evaluation_moments", sa.Text, nullable=False),
        sa.Column("scan_key", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cooperation_municipalities",
        sa.Column("cooperation_id", sa.Integer, sa.ForeignKey("cooperations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
    )
    op.create_table(
        "content_versions",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(60), nullable=False),
        sa.Column("snapshot", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cooperation_id", sa.Integer, sa.ForeignKey("cooperations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="SET NULL"), unique=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), sa.ForeignKey("content_versions.hash")),
        sa.Column("summary", sa.Text),
        sa.Column("summary_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_rounds_cooperation", "rounds", ["cooperation_id"])
    op.create_table(
        "scan_records",
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cooperation_id", sa.Integer, sa.ForeignKey("cooperations.id", ondelete="SET NULL")),
        sa.Column("content_hash", sa.String(64), sa.ForeignKey("content_versions.hash")),
    )

    bind = op.get_bind()
    sessions = bind.execute(
        sa.text("SELECT s.id, o.required_kind FROM sessions s LEFT JOIN session_options o ON o.session_id = s.id ORDER BY s.id")
    ).all()
    for s in sessions:
        # Dates are copied in SQL, so each database keeps its own representation of them.
        cid = bind.execute(
            sa.text(
                "INSERT INTO cooperations (name, form, domain, required_kind, evaluation_moments, scan_key, created_at, updated_at) "
                "SELECT name, 'anders', 'overig', :kind, '[]', :key, created_at, created_at FROM sessions WHERE id = :sid "
                "RETURNING id"
            ),
            {"kind": s.required_kind, "key": secrets.token_urlsafe(12), "sid": s.id},
        ).scalar_one()
        bind.execute(
            sa.text(
                "INSERT INTO cooperation_municipalities (cooperation_id, position, name) "
                "SELECT :cid, position, name FROM session_municipalities WHERE session_id = :sid"
            ),
            {"cid": cid, "sid": s.id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO rounds (cooperation_id, session_id, held_at) SELECT :cid, id, created_at FROM sessions WHERE id = :sid"
            ),
            {"cid": cid, "sid": s.id},
        )


def downgrade() -> None:
    for table in ("scan_records", "rounds", "content_versions", "cooperation_municipalities", "cooperations"):
        op.drop_table(table)
