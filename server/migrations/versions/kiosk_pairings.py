"""one-time kiosk pairing codes (stored hashed)

Revision ID: kiosk_pairings
Revises: security_logins
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = "kiosk_pairings"
down_revision = "security_logins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", server.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"],
                                name=op.f("fk_kiosk_pairings_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_pairings")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_kiosk_pairings_code_hash")),
    )
    with op.batch_alter_table("kiosk_pairings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosk_pairings_station_id"), ["station_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kiosk_pairings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_pairings_station_id"))
    op.drop_table("kiosk_pairings")
