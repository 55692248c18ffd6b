"""Batches can be cancelled with their run; step executions remember an undo.

Revision ID: bc_cancel_undo_1
Revises: oe_station_operator
"""

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = "bc_cancel_undo_1"
down_revision = "oe_station_operator"
branch_labels = None
depends_on = None

OLD = "'waiting', 'in_process', 'on_hold', 'done', 'scrapped', 'split', 'merged'"


def upgrade() -> None:
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_batches_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_batches_state"),
                                         f"state IN ({OLD}, 'cancelled')")
    with op.batch_alter_table("step_executions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("undone_at", server.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("step_executions", schema=None) as batch_op:
        batch_op.drop_column("undone_at")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_batches_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_batches_state"), f"state IN ({OLD})")
