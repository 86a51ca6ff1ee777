"""Regions (netwerkregie): a region's portfolio of cooperations, its owner and read-only links,
motives, start year and budget contributions per municipality and year. New tables only.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "region_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("region_id", sa.Integer, sa.ForeignKey("regions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_region_links_region", "region_links", ["region_id"])
    op.create_table(
        "region_cooperations",
        sa.Column("cooperation_id", sa.Integer, sa.ForeignKey("cooperations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("region_id", sa.Integer, sa.ForeignKey("regions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("ref", sa.String(60)),
        sa.Column("start_year", sa.SmallInteger),
        sa.Column("motives", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("region_id", "key", name="uq_region_cooperations_key"),
    )
    op.create_index("ix_region_cooperations_region", "region_cooperations", ["region_id"])
    op.create_table(
        "region_budgets",
        sa.Column("cooperation_id", sa.Integer, sa.ForeignKey("cooperations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("municipality", sa.String(100), primary_key=True),
        sa.Column("year", sa.SmallInteger, primary_key=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in ("region_budgets", "region_cooperations", "region_links", "regions"):
        op.drop_table(table)
