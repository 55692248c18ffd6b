"""run progress index: batches by run and state, covering what run progress counts

Live run progress counts every changed run's batches by item, routing, state and step with
each flush; with these columns in the index the count reads the index alone, not each batch
row. It replaces the (run_id, state) index, which it starts with.

Revision ID: run_progress_index
Revises: audit_chain
Create Date: 2026-12-03 18:50:00
"""

from __future__ import annotations

from alembic import op

revision = 'run_progress_index'
down_revision = "audit_chain"
branch_labels = None
depends_on = None

COLUMNS = ['run_id', 'state', 'item_id', 'routing_id', 'step_index']


def upgrade() -> None:
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.create_index('ix_batches_run_progress', COLUMNS, unique=False)
        batch_op.drop_index('ix_batches_run_state')


def downgrade() -> None:
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.create_index('ix_batches_run_state', ['run_id', 'state'], unique=False)
        batch_op.drop_index('ix_batches_run_progress')
