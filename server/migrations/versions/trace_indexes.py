"""trace indexes: lots by their supplier batch number (a recall starts from it)

Revision ID: trace_indexes
Revises: recall_wip
Create Date: 2026-12-03 07:35:00
"""

from __future__ import annotations

from alembic import op

revision = 'trace_indexes'
down_revision = "recall_wip"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index('ix_lots_supplier_batch', ['supplier_batch'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_supplier_batch')
