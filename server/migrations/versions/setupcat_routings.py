"""versioned routings; operations can be archived, machines disabled

Existing steps become version 1 of each item's routing and every existing batch is pinned
to it, so batches on the floor follow exactly the steps they followed before.

Revision ID: setupcat_routings
Revises: kiosk_pairings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = "setupcat_routings"
down_revision = "kiosk_pairings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"],
                                name=op.f("fk_routings_item_id_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routings")),
        sa.UniqueConstraint("item_id", "version", name=op.f("uq_routings_item_id")),
    )
    with op.batch_alter_table("routings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routings_item_id"), ["item_id"], unique=False)
    op.execute("INSERT INTO routings (item_id, version, created_at, created_by, note) "
               "SELECT id, 1, created_at, 'migration', '' FROM items")

    with op.batch_alter_table("routing_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("routing_id", sa.Integer(), nullable=True))
    op.execute("UPDATE routing_steps SET routing_id = "
               "(SELECT r.id FROM routings r WHERE r.item_id = routing_steps.item_id)")
    with op.batch_alter_table("routing_steps", schema=None) as batch_op:
        batch_op.alter_column("routing_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_routing_steps_item_id"))
        batch_op.drop_constraint(batch_op.f("uq_routing_steps_item_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_routing_steps_item_id_items"),
                                 type_="foreignkey")
        batch_op.drop_column("item_id")
        batch_op.create_foreign_key(batch_op.f("fk_routing_steps_routing_id_routings"),
                                    "routings", ["routing_id"], ["id"])
        batch_op.create_unique_constraint(batch_op.f("uq_routing_steps_routing_id"),
                                          ["routing_id", "position"])
        batch_op.create_index(batch_op.f("ix_routing_steps_routing_id"), ["routing_id"],
                              unique=False)

    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("routing_id", sa.Integer(), nullable=True))
    op.execute("UPDATE batches SET routing_id = "
               "(SELECT r.id FROM routings r WHERE r.item_id = batches.item_id)")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.alter_column("routing_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_batches_routing_id_routings"), "routings",
                                    ["routing_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_batches_routing_id"), ["routing_id"],
                              unique=False)

    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enabled", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.scalar(sa.text("SELECT count(*) FROM routings WHERE version > 1")):
        # One routing per item cannot hold two versions' steps, nor batches pinned to them.
        raise RuntimeError("items have more than one routing version; cannot downgrade")
    with op.batch_alter_table("machines", schema=None) as batch_op:
        batch_op.drop_column("enabled")
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_column("archived")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batches_routing_id"))
        batch_op.drop_constraint(batch_op.f("fk_batches_routing_id_routings"),
                                 type_="foreignkey")
        batch_op.drop_column("routing_id")
    with op.batch_alter_table("routing_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_id", sa.Integer(), nullable=True))
    op.execute("UPDATE routing_steps SET item_id = "
               "(SELECT r.item_id FROM routings r WHERE r.id = routing_steps.routing_id)")
    with op.batch_alter_table("routing_steps", schema=None) as batch_op:
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_routing_steps_routing_id"))
        batch_op.drop_constraint(batch_op.f("uq_routing_steps_routing_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_routing_steps_routing_id_routings"),
                                 type_="foreignkey")
        batch_op.drop_column("routing_id")
        batch_op.create_foreign_key(batch_op.f("fk_routing_steps_item_id_items"), "items",
                                    ["item_id"], ["id"])
        batch_op.create_unique_constraint(batch_op.f("uq_routing_steps_item_id"),
                                          ["item_id", "position"])
        batch_op.create_index(batch_op.f("ix_routing_steps_item_id"), ["item_id"],
                              unique=False)
    with op.batch_alter_table("routings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routings_item_id"))
    op.drop_table("routings")
