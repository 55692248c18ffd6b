"""recall holds put batches in process on hold too: recall_hold_items.batch_id

Revision ID: recall_wip
Revises: packing_station
Create Date: 2026-12-03 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'recall_wip'
down_revision = "packing_station"
branch_labels = None
depends_on = None

_ONE_OF_THREE = ("CASE WHEN lot_id IS NULL THEN 0 ELSE 1 END + "
                 "CASE WHEN serial_id IS NULL THEN 0 ELSE 1 END + "
                 "CASE WHEN batch_id IS NULL THEN 0 ELSE 1 END = 1")


def upgrade() -> None:
    with op.batch_alter_table('recall_hold_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_recall_hold_items_one_thing'), type_='check')
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_recall_hold_items_batch_id_batches'),
                                    'batches', ['batch_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_recall_hold_items_one_thing'), _ONE_OF_THREE)


def downgrade() -> None:
    with op.batch_alter_table('recall_hold_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_recall_hold_items_one_thing'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_recall_hold_items_batch_id_batches'),
                                 type_='foreignkey')
        batch_op.drop_column('batch_id')
        batch_op.create_check_constraint(op.f('ck_recall_hold_items_one_thing'),
                                         '(serial_id IS NULL) <> (lot_id IS NULL)')
