"""who did the work: the station's logged-in operator, claimed operators, who finished a step

Revision ID: oe_station_operator
Revises: 96bbe472e355
Create Date: 2026-12-01 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = 'oe_station_operator'
down_revision = "96bbe472e355"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operator_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('operator_seen_at',
                                      server.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_stations_operator_id_users'), 'users',
                                    ['operator_id'], ['id'])
    with op.batch_alter_table('scan_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operator_claimed', sa.String(length=64), nullable=True))
    with op.batch_alter_table('step_executions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finished_by', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('step_executions', schema=None) as batch_op:
        batch_op.drop_column('finished_by')
    with op.batch_alter_table('scan_events', schema=None) as batch_op:
        batch_op.drop_column('operator_claimed')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stations_operator_id_users'), type_='foreignkey')
        batch_op.drop_column('operator_seen_at')
        batch_op.drop_column('operator_id')
