"""suppliers, supplier receipts with lines (each made a lot), incoming inspections; items.gtin

Revision ID: supplier_receipts
Revises: inventory_stock
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = "supplier_receipts"
down_revision = "inventory_stock"
branch_labels = None
depends_on = None

UTC = server.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("code", name=op.f("uq_suppliers_code")),
    )
    op.create_table(
        "supplier_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sa.String(length=64), nullable=False),
        sa.Column("receipt_date", sa.Date(), nullable=False),
        sa.Column("received_by", sa.String(length=64), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["supplier_id"], ["suppliers.id"],
                                name=op.f("fk_supplier_receipts_supplier_id_suppliers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_receipts")),
        sa.UniqueConstraint("number", name=op.f("uq_supplier_receipts_number")),
    )
    op.create_index(op.f("ix_supplier_receipts_supplier_id"), "supplier_receipts",
                    ["supplier_id"], unique=False)
    op.create_table(
        "receipt_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=20, scale=6, asdecimal=True), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("bin", sa.String(length=64), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_receipt_lines_quantity")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"],
                                name=op.f("fk_receipt_lines_item_id_items")),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_receipt_lines_location_id_locations")),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_receipt_lines_lot_id_lots")),
        sa.ForeignKeyConstraint(["receipt_id"], ["supplier_receipts.id"],
                                name=op.f("fk_receipt_lines_receipt_id_supplier_receipts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_lines")),
        sa.UniqueConstraint("lot_id", name=op.f("uq_receipt_lines_lot_id")),
        sa.UniqueConstraint("receipt_id", "line_no", name=op.f("uq_receipt_lines_receipt_id")),
    )
    op.create_index(op.f("ix_receipt_lines_item_id"), "receipt_lines", ["item_id"], unique=False)
    op.create_index(op.f("ix_receipt_lines_location_id"), "receipt_lines", ["location_id"],
                    unique=False)
    op.create_index(op.f("ix_receipt_lines_receipt_id"), "receipt_lines", ["receipt_id"],
                    unique=False)
    op.create_table(
        "incoming_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("inspector", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("defects", sa.String(length=2000), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.CheckConstraint("result IN ('pass', 'fail', 'conditional')",
                           name=op.f("ck_incoming_inspections_result")),
        sa.ForeignKeyConstraint(["receipt_id"], ["supplier_receipts.id"],
                                name=op.f("fk_incoming_inspections_receipt_id_supplier_receipts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incoming_inspections")),
    )
    op.create_index(op.f("ix_incoming_inspections_receipt_id"), "incoming_inspections",
                    ["receipt_id"], unique=False)
    # In place (ALTER TABLE ... ADD COLUMN): no copy of items, which every table refers to.
    op.add_column("items", sa.Column("gtin", sa.String(length=14), nullable=True))
    op.create_index(op.f("ix_items_gtin"), "items", ["gtin"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_items_gtin"), table_name="items")
    op.drop_column("items", "gtin")  # SQLite 3.35+ drops an unindexed column in place
    op.drop_index(op.f("ix_incoming_inspections_receipt_id"), table_name="incoming_inspections")
    op.drop_table("incoming_inspections")
    op.drop_index(op.f("ix_receipt_lines_receipt_id"), table_name="receipt_lines")
    op.drop_index(op.f("ix_receipt_lines_location_id"), table_name="receipt_lines")
    op.drop_index(op.f("ix_receipt_lines_item_id"), table_name="receipt_lines")
    op.drop_table("receipt_lines")
    op.drop_index(op.f("ix_supplier_receipts_supplier_id"), table_name="supplier_receipts")
    op.drop_table("supplier_receipts")
    op.drop_table("suppliers")
