"""Inventory: warehouses and their locations, lots, and the append-only stock ledger.

A rack/bin is free text on the lot and on each movement ("A-01"): plants name bins in too
many ways for a table to help, and a bin is always read together with its location.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.lots import ADDING, REMOVING, LotStatus, MovementKind
from .base import Amount, Base, Code, Name, Timestamp, one_of
from .catalog import Item

Bin = String(64)


# The ledger's sign rule (domain SIGN) held by the database too: receipts add, issues remove.
_SIGN_RULE = (f"({one_of('kind', ADDING)} AND quantity > 0) OR "
              f"({one_of('kind', REMOVING)} AND quantity < 0) OR "
              f"(kind = '{MovementKind.ADJUST.value}' AND quantity <> 0) OR "
              f"(kind = '{MovementKind.MOVE.value}' AND quantity = 0)")

class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    created_at: Mapped[Timestamp]

    locations: Mapped[list[Location]] = relationship(back_populates="warehouse",
                                                     order_by="Location.code")


class Location(Base):
    """A place in a warehouse (a store room, a line-side area); its code is plant-wide."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    created_at: Mapped[Timestamp]

    warehouse: Mapped[Warehouse] = relationship(back_populates="locations", lazy="joined")


class Lot(Base):
    """A quantity of one item received or made together; its stock is its ledger's sum."""

    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint(one_of("status", LotStatus), name="status"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost"),
        Index("ix_lots_item_status", "item_id", "status"),
        # A recall starts from the supplier's batch number (server.services.trace.find_start).
        Index("ix_lots_supplier_batch", "supplier_batch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    unit: Mapped[str] = mapped_column(String(8))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    bin: Mapped[str] = mapped_column(Bin, default="")
    unit_cost: Mapped[Amount | None]
    supplier_batch: Mapped[str] = mapped_column(String(64), default="")
    certificate: Mapped[str] = mapped_column(String(64), default="")
    expiry: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=LotStatus.AVAILABLE.value)
    created_at: Mapped[Timestamp]
    created_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship(lazy="joined")
    location: Mapped[Location] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class StockMovement(Base):
    """One change of a lot's stock. Append-only: no row is ever updated or deleted.

    quantity is signed, in the lot's unit (receive/produce add, issue/scrap/ship remove, an
    adjustment either way, a move 0), so a lot's on hand is SUM(quantity). Database triggers
    (migration inventory_stock) and the ORM events below refuse updates and deletes.
    """

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(one_of("kind", MovementKind), name="kind"),
        CheckConstraint(_SIGN_RULE, name="sign"),
        CheckConstraint(f"kind <> '{MovementKind.ADJUST.value}' OR reason <> ''",
                        name="adjust_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    from_bin: Mapped[str] = mapped_column(Bin, default="")
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    to_bin: Mapped[str] = mapped_column(Bin, default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[Timestamp]
    # What the movement was for, as kind:code (run:PR-2026-00001, batch:B-2026-000004).
    record: Mapped[str] = mapped_column(String(100), default="")
    # The station scan that made an issue: one scan issues at most once.
    event_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit_records.id"))

    lot: Mapped[Lot] = relationship()
    from_location: Mapped[Location | None] = relationship(foreign_keys=[from_location_id])
    to_location: Mapped[Location | None] = relationship(foreign_keys=[to_location_id])


class AppendOnlyError(RuntimeError):
    """Something tried to change or remove a stock movement."""


@event.listens_for(StockMovement, "before_update")
@event.listens_for(StockMovement, "before_delete")
def _refuse_change(mapper: object, connection: object, target: StockMovement) -> None:
    raise AppendOnlyError("stock movements are append-only: add a correcting movement")
