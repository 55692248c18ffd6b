"""A sales order's status is one of the order vocabulary (server.domain.orders.OrderStatus).

Runs, batches and scan outcomes had their CHECK constraints already; their value lists are
now rendered from the domain enums, with the same text, so only orders change. The list is
written out here: a migration keeps the vocabulary of its own day.

Revision ID: state_vocab
Revises: genealogy_graph
"""

from __future__ import annotations

from alembic import op

revision = "state_vocab"
down_revision = "genealogy_graph"
branch_labels = None
depends_on = None

ORDER_STATUSES = "'estimate', 'confirmed', 'in_production', 'shipped', 'cancelled'"


def upgrade() -> None:
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_sales_orders_status"),
                                         f"status IN ({ORDER_STATUSES})")


def downgrade() -> None:
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sales_orders_status"), type_="check")
