"""trace chain: completions, serials, quality checks, shipments, recall holds

Revision ID: trace_chain
Revises: job_list_index
Create Date: 2026-12-03 07:02:46.572637
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = 'trace_chain'
down_revision = 'job_list_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recall_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('held_by', sa.String(length=100), nullable=False),
    sa.Column('held_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('released_at', server.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('released_by', sa.String(length=100), nullable=False),
    sa.Column('release_reason', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recall_holds')),
    sa.UniqueConstraint('number', name=op.f('uq_recall_holds_number'))
    )
    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shipped_at', server.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shipped_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'shipped', 'cancelled')", name=op.f('ck_shipments_status')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_shipments_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_shipments_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_shipments_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('number', name=op.f('uq_shipments_number'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_order_id'), ['order_id'], unique=False)

    op.create_table('completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('quantity_completed', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('quantity_defective', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('inspector', sa.String(length=100), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('output', sa.String(length=8), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("output IN ('serials', 'lot')", name=op.f('ck_completions_output')),
    sa.CheckConstraint("result IN ('pass', 'fail', 'conditional')", name=op.f('ck_completions_result')),
    sa.CheckConstraint('(batch_id IS NULL) <> (job_id IS NULL)', name=op.f('ck_completions_source')),
    sa.CheckConstraint('quantity_completed > 0', name=op.f('ck_completions_completed')),
    sa.CheckConstraint('quantity_defective >= 0 AND quantity_defective <= quantity_completed', name=op.f('ck_completions_defective')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_completions_batch_id_batches')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_completions_item_id_items')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_completions_job_id_jobs')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_completions_lot_id_lots')),
    sa.ForeignKeyConstraint(['run_id'], ['production_runs.id'], name=op.f('fk_completions_run_id_production_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completions')),
    sa.UniqueConstraint('event_id', name=op.f('uq_completions_event_id'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completions_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completions_run_id'), ['run_id'], unique=False)

    op.create_table('serials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('bin', sa.String(length=64), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('in_stock', 'quarantined', 'shipped', 'scrapped', 'archived')", name=op.f('ck_serials_status')),
    sa.ForeignKeyConstraint(['completion_id'], ['completions.id'], name=op.f('fk_serials_completion_id_completions')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_serials_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_serials_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_serials')),
    sa.UniqueConstraint('code', name=op.f('uq_serials_code'))
    )
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_serials_completion_id'), ['completion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_serials_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_serials_status', ['status'], unique=False)

    op.create_table('quality_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('subject_code', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('step_execution_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('serial_id', sa.Integer(), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('inspector', sa.String(length=100), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('defects', sa.Integer(), nullable=False),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.CheckConstraint("result IN ('pass', 'fail', 'conditional')", name=op.f('ck_quality_checks_result')),
    sa.CheckConstraint("stage IN ('receipt', 'step', 'final')", name=op.f('ck_quality_checks_stage')),
    sa.CheckConstraint("subject_kind IN ('lot', 'batch', 'step', 'job', 'serial')", name=op.f('ck_quality_checks_subject_kind')),
    sa.CheckConstraint('defects >= 0', name=op.f('ck_quality_checks_defects')),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_quality_checks_batch_id_batches')),
    sa.ForeignKeyConstraint(['completion_id'], ['completions.id'], name=op.f('fk_quality_checks_completion_id_completions')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_quality_checks_job_id_jobs')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_quality_checks_lot_id_lots')),
    sa.ForeignKeyConstraint(['serial_id'], ['serials.id'], name=op.f('fk_quality_checks_serial_id_serials')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_quality_checks_station_id_stations')),
    sa.ForeignKeyConstraint(['step_execution_id'], ['step_executions.id'], name=op.f('fk_quality_checks_step_execution_id_step_executions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_checks')),
    sa.UniqueConstraint('event_id', name=op.f('uq_quality_checks_event_id'))
    )
    with op.batch_alter_table('quality_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_checks_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_quality_checks_subject', ['subject_kind', 'subject_code'], unique=False)

    op.create_table('recall_hold_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hold_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('serial_id', sa.Integer(), nullable=True),
    sa.Column('previous_status', sa.String(length=16), nullable=False),
    sa.CheckConstraint('(serial_id IS NULL) <> (lot_id IS NULL)', name=op.f('ck_recall_hold_items_one_thing')),
    sa.ForeignKeyConstraint(['hold_id'], ['recall_holds.id'], name=op.f('fk_recall_hold_items_hold_id_recall_holds')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_recall_hold_items_lot_id_lots')),
    sa.ForeignKeyConstraint(['serial_id'], ['serials.id'], name=op.f('fk_recall_hold_items_serial_id_serials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recall_hold_items'))
    )
    with op.batch_alter_table('recall_hold_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recall_hold_items_hold_id'), ['hold_id'], unique=False)

    op.create_table('shipment_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('serial_id', sa.Integer(), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('added_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(serial_id IS NULL) <> (lot_id IS NULL)', name=op.f('ck_shipment_lines_one_thing')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_shipment_lines_quantity')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_shipment_lines_lot_id_lots')),
    sa.ForeignKeyConstraint(['serial_id'], ['serials.id'], name=op.f('fk_shipment_lines_serial_id_serials')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_lines_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lines')),
    sa.UniqueConstraint('event_id', name=op.f('uq_shipment_lines_event_id')),
    sa.UniqueConstraint('shipment_id', 'line_no', name='uq_shipment_lines_line_no'),
    sa.UniqueConstraint('shipment_id', 'serial_id', name='uq_shipment_lines_serial')
    )
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_lines_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipment_lines_serial_id'), ['serial_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipment_lines_shipment_id'), ['shipment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_lines_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_shipment_lines_serial_id'))
        batch_op.drop_index(batch_op.f('ix_shipment_lines_lot_id'))

    op.drop_table('shipment_lines')
    with op.batch_alter_table('recall_hold_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recall_hold_items_hold_id'))

    op.drop_table('recall_hold_items')
    with op.batch_alter_table('quality_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_quality_checks_subject')
        batch_op.drop_index(batch_op.f('ix_quality_checks_batch_id'))

    op.drop_table('quality_checks')
    with op.batch_alter_table('serials', schema=None) as batch_op:
        batch_op.drop_index('ix_serials_status')
        batch_op.drop_index(batch_op.f('ix_serials_item_id'))
        batch_op.drop_index(batch_op.f('ix_serials_completion_id'))

    op.drop_table('serials')
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completions_run_id'))
        batch_op.drop_index(batch_op.f('ix_completions_job_id'))
        batch_op.drop_index(batch_op.f('ix_completions_batch_id'))

    op.drop_table('completions')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_order_id'))
        batch_op.drop_index(batch_op.f('ix_shipments_customer_id'))

    op.drop_table('shipments')
    op.drop_table('recall_holds')
