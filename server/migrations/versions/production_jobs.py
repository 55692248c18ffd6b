"""production jobs: stages, jobs, issue lines, per-item requests, receipts with rows, changes;
stations.stage_id, items.scrap_item_id

The job's balance in grams is checked exactly on PostgreSQL and to a microgram on SQLite
(whose NUMERIC is a double); see server/models/jobs.py.

Revision ID: production_jobs
Revises: supplier_receipts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = 'production_jobs'
down_revision = 'supplier_receipts'
branch_labels = None
depends_on = None


WEIGHTS = "received_weight + rejected_weight + scrapped_weight + waste_weight + pending_weight"


def _weight_balance() -> sa.CheckConstraint:
    if op.get_bind().dialect.name == "postgresql":
        return sa.CheckConstraint(f"issued_weight = {WEIGHTS}",
                                  name=op.f("ck_jobs_balance_weight"))
    return sa.CheckConstraint(f"abs(issued_weight - ({WEIGHTS})) < 0.000001",
                              name=op.f("ck_jobs_balance_weight_approx"))


def upgrade() -> None:
    op.create_table('stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stages')),
    sa.UniqueConstraint('code', name=op.f('uq_stages_code'))
    )
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('shape', sa.String(length=100), nullable=False),
    sa.Column('size', sa.String(length=100), nullable=False),
    sa.Column('requested_pieces', sa.Integer(), nullable=True),
    sa.Column('requested_weight', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('requested_unit', sa.String(length=8), nullable=False),
    sa.Column('policy', sa.String(length=16), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('issued_pieces', sa.Integer(), nullable=False),
    sa.Column('received_pieces', sa.Integer(), nullable=False),
    sa.Column('rejected_pieces', sa.Integer(), nullable=False),
    sa.Column('scrapped_pieces', sa.Integer(), nullable=False),
    sa.Column('waste_pieces', sa.Integer(), nullable=False),
    sa.Column('pending_pieces', sa.Integer(), nullable=False),
    sa.Column('issued_weight', sa.Numeric(precision=38, scale=15), nullable=False),
    sa.Column('received_weight', sa.Numeric(precision=38, scale=15), nullable=False),
    sa.Column('rejected_weight', sa.Numeric(precision=38, scale=15), nullable=False),
    sa.Column('scrapped_weight', sa.Numeric(precision=38, scale=15), nullable=False),
    sa.Column('waste_weight', sa.Numeric(precision=38, scale=15), nullable=False),
    sa.Column('pending_weight', sa.Numeric(precision=38, scale=15), nullable=False),
    sa.CheckConstraint("policy IN ('match_issued', 'split_evenly', 'custom')", name=op.f('ck_jobs_policy')),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'completed', 'cancelled')", name=op.f('ck_jobs_status')),
    _weight_balance(),
    sa.CheckConstraint('issued_pieces = received_pieces + rejected_pieces + scrapped_pieces + waste_pieces + pending_pieces', name=op.f('ck_jobs_balance_pieces')),
    sa.CheckConstraint('issued_pieces >= 0 AND received_pieces >= 0 AND rejected_pieces >= 0 AND scrapped_pieces >= 0 AND waste_pieces >= 0', name=op.f('ck_jobs_buckets_pieces')),
    sa.CheckConstraint('issued_weight >= 0 AND received_weight >= 0 AND rejected_weight >= 0 AND scrapped_weight >= 0 AND waste_weight >= 0', name=op.f('ck_jobs_buckets_weight')),
    sa.CheckConstraint('pending_pieces >= 0', name=op.f('ck_jobs_pending_pieces')),
    sa.CheckConstraint('pending_weight >= 0', name=op.f('ck_jobs_pending_weight')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_jobs_assignee_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_jobs_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['order_line_id'], ['sales_order_lines.id'], name=op.f('fk_jobs_order_line_id_sales_order_lines')),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_jobs_stage_id_stages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('number', name=op.f('uq_jobs_number'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_jobs_stage_status', ['stage_id', 'status'], unique=False)

    op.create_table('job_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_records.id'], name=op.f('fk_job_changes_audit_id_audit_records')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_changes_job_id_jobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_changes'))
    )
    with op.batch_alter_table('job_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_changes_job_id'), ['job_id'], unique=False)

    op.create_table('job_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('pieces', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('weight_unit', sa.String(length=8), nullable=False),
    sa.CheckConstraint('pieces IS NULL OR pieces >= 0', name=op.f('ck_job_issues_pieces')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_job_issues_quantity')),
    sa.CheckConstraint('weight IS NULL OR weight >= 0', name=op.f('ck_job_issues_weight')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_issues_job_id_jobs')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_job_issues_lot_id_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_issues')),
    sa.UniqueConstraint('job_id', 'lot_id', name=op.f('uq_job_issues_job_id'))
    )
    with op.batch_alter_table('job_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_issues_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_issues_lot_id'), ['lot_id'], unique=False)

    op.create_table('job_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('pieces', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_job_items_item_id_items')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_items_job_id_jobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_items')),
    sa.UniqueConstraint('job_id', 'item_id', name=op.f('uq_job_items_job_id'))
    )
    with op.batch_alter_table('job_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_items_job_id'), ['job_id'], unique=False)

    op.create_table('job_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('quality', sa.String(length=16), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('bin', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_receipts_job_id_jobs')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_job_receipts_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_receipts')),
    sa.UniqueConstraint('event_id', name=op.f('uq_job_receipts_event_id')),
    sa.UniqueConstraint('job_id', 'seq', name=op.f('uq_job_receipts_job_id'))
    )
    with op.batch_alter_table('job_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_receipts_job_id'), ['job_id'], unique=False)

    op.create_table('job_receipt_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=16), nullable=False),
    sa.Column('output_type', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('shape', sa.String(length=100), nullable=False),
    sa.Column('size', sa.String(length=100), nullable=False),
    sa.Column('colour', sa.String(length=100), nullable=False),
    sa.Column('inventory_type', sa.String(length=100), nullable=False),
    sa.Column('pieces', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("bucket IN ('received', 'rejected', 'scrapped', 'waste')", name=op.f('ck_job_receipt_rows_bucket')),
    sa.CheckConstraint("output_type IN ('finished', 'materials')", name=op.f('ck_job_receipt_rows_output_type')),
    sa.CheckConstraint('pieces >= 0 AND weight >= 0', name=op.f('ck_job_receipt_rows_amounts')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_job_receipt_rows_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_job_receipt_rows_lot_id_lots')),
    sa.ForeignKeyConstraint(['receipt_id'], ['job_receipts.id'], name=op.f('fk_job_receipt_rows_receipt_id_job_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_receipt_rows'))
    )
    with op.batch_alter_table('job_receipt_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_receipt_rows_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_receipt_rows_receipt_id'), ['receipt_id'], unique=False)

    # In place (ALTER TABLE ... ADD COLUMN): no copy of items, which every table refers to.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE items ADD COLUMN scrap_item_id INTEGER "
                   "CONSTRAINT fk_items_scrap_item_id_items REFERENCES items (id)")
        op.execute("ALTER TABLE stations ADD COLUMN stage_id INTEGER "
                   "CONSTRAINT fk_stations_stage_id_stages REFERENCES stages (id)")
    else:
        op.add_column("items", sa.Column("scrap_item_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_items_scrap_item_id_items"), "items", "items",
                              ["scrap_item_id"], ["id"])
        op.add_column("stations", sa.Column("stage_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_stations_stage_id_stages"), "stations", "stages",
                              ["stage_id"], ["id"])
    op.create_index(op.f("ix_stations_stage_id"), "stations", ["stage_id"], unique=False)



def downgrade() -> None:
    op.drop_index(op.f("ix_stations_stage_id"), table_name="stations")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column with a foreign key in place: batch mode copies the table.
        with op.batch_alter_table("stations", schema=None) as batch_op:
            batch_op.drop_column("stage_id")
        with op.batch_alter_table("items", schema=None) as batch_op:
            batch_op.drop_column("scrap_item_id")
    else:
        op.drop_constraint(op.f("fk_stations_stage_id_stages"), "stations", type_="foreignkey")
        op.drop_column("stations", "stage_id")
        op.drop_constraint(op.f("fk_items_scrap_item_id_items"), "items", type_="foreignkey")
        op.drop_column("items", "scrap_item_id")

    with op.batch_alter_table('job_receipt_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_receipt_rows_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_job_receipt_rows_lot_id'))

    op.drop_table('job_receipt_rows')
    with op.batch_alter_table('job_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_receipts_job_id'))

    op.drop_table('job_receipts')
    with op.batch_alter_table('job_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_items_job_id'))

    op.drop_table('job_items')
    with op.batch_alter_table('job_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_issues_lot_id'))
        batch_op.drop_index(batch_op.f('ix_job_issues_job_id'))

    op.drop_table('job_issues')
    with op.batch_alter_table('job_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_changes_job_id'))

    op.drop_table('job_changes')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_stage_status')
        batch_op.drop_index(batch_op.f('ix_jobs_order_id'))
        batch_op.drop_index(batch_op.f('ix_jobs_assignee_id'))

    op.drop_table('jobs')
    op.drop_table('stages')
