"""inventory: warehouses, locations, lots and the append-only stock movement ledger

New tables only, so existing data is untouched. Triggers make stock_movements append-only
in the database itself (an UPDATE or DELETE is refused; TRUNCATE, for test resets, is not).

Revision ID: inventory_stock
Revises: genealogy_graph
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = 'inventory_stock'
down_revision = 'genealogy_graph'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('warehouses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warehouses')),
    sa.UniqueConstraint('code', name=op.f('uq_warehouses_code'))
    )
    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_locations_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations')),
    sa.UniqueConstraint('code', name=op.f('uq_locations_code'))
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locations_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('bin', sa.String(length=64), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('supplier_batch', sa.String(length=64), nullable=False),
    sa.Column('certificate', sa.String(length=64), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('available', 'quarantined', 'consumed', 'shipped', 'archived')", name=op.f('ck_lots_status')),
    sa.CheckConstraint('unit_cost IS NULL OR unit_cost >= 0', name=op.f('ck_lots_unit_cost')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_lots_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_lots_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots')),
    sa.UniqueConstraint('number', name=op.f('uq_lots_number'))
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index('ix_lots_item_status', ['item_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_lots_location_id'), ['location_id'], unique=False)

    op.create_table('stock_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=True),
    sa.Column('from_bin', sa.String(length=64), nullable=False),
    sa.Column('to_location_id', sa.Integer(), nullable=True),
    sa.Column('to_bin', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('record', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('audit_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind IN ('receive', 'produce') AND quantity > 0) OR (kind IN ('issue', 'scrap', 'ship') AND quantity < 0) OR (kind = 'adjust' AND quantity <> 0) OR (kind = 'move' AND quantity = 0)", name=op.f('ck_stock_movements_sign')),
    sa.CheckConstraint("kind <> 'adjust' OR reason <> ''", name=op.f('ck_stock_movements_adjust_reason')),
    sa.CheckConstraint("kind IN ('receive', 'issue', 'produce', 'adjust', 'move', 'scrap', 'ship')", name=op.f('ck_stock_movements_kind')),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_records.id'], name=op.f('fk_stock_movements_audit_id_audit_records')),
    sa.ForeignKeyConstraint(['from_location_id'], ['locations.id'], name=op.f('fk_stock_movements_from_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_stock_movements_lot_id_lots')),
    sa.ForeignKeyConstraint(['to_location_id'], ['locations.id'], name=op.f('fk_stock_movements_to_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements')),
    sa.UniqueConstraint('event_id', name=op.f('uq_stock_movements_event_id'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_movements_lot_id'), ['lot_id'], unique=False)
    _append_only_triggers()


APPEND_ONLY = "stock movements are append-only: add a correcting movement"


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION stock_movements_append_only() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$")
        op.execute("CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE "
                   "ON stock_movements FOR EACH ROW "
                   "EXECUTE FUNCTION stock_movements_append_only()")
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER stock_movements_no_{action.lower()} BEFORE {action} "
                   f"ON stock_movements BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")



def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER stock_movements_append_only ON stock_movements")
        op.execute("DROP FUNCTION stock_movements_append_only()")
    else:
        op.execute("DROP TRIGGER stock_movements_no_update")
        op.execute("DROP TRIGGER stock_movements_no_delete")
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_movements_lot_id'))

    op.drop_table('stock_movements')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lots_location_id'))
        batch_op.drop_index('ix_lots_item_status')

    op.drop_table('lots')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_warehouse_id'))

    op.drop_table('locations')
    op.drop_table('warehouses')
