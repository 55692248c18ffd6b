"""serial type: items.serial_type, the TYPE of an item's finished serial codes

Revision ID: serial_type
Revises: trace_chain
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "serial_type"
down_revision = "trace_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serial_type", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("serial_type")
