"""The shared catalogue: operations, items and their versioned routings.

A routing version never changes once saved: editing an item's routing saves a new version
(the highest is current), and each batch keeps the version it was made with, so work already
on the floor finishes the way it started.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Amount, Base, Code, Name, Timestamp

ITEM_KINDS = ("raw_material", "semi_finished", "finished", "supply", "scrap")
TRACKING = ("none", "lot", "serial")


class Operation(Base):
    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    is_quality_check: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(8))
    tracking: Mapped[str] = mapped_column(String(8), default="none")
    standard_cost: Mapped[Amount] = mapped_column(default=Decimal(0))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]
    # GTIN-14 on the supplier labels of this item: a scanned label finds the item by it.
    # A unique index, not a constraint: SQLite adds and drops the column in place (no copy of
    # a table every other one refers to).
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True, index=True)
    # The product's scrap SKU: scrap a job receives of this item goes into stock under it.
    scrap_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    # The TYPE of its finished serials ([TYPE]-[YYYY]-[MMDD]-[SEQ]); None: made from the SKU.
    serial_type: Mapped[str | None] = mapped_column(String(8))

    scrap_item: Mapped[Item | None] = relationship(remote_side=[id], lazy="select")
    routings: Mapped[list[Routing]] = relationship(
        back_populates="item", order_by="Routing.version", cascade="all, delete-orphan"
    )

    @property
    def current_routing(self) -> Routing:
        """Return the routing new runs follow: the latest version."""
        return self.routings[-1]

    @property
    def steps(self) -> list[RoutingStep]:
        """Return the steps of the current routing."""
        return self.current_routing.steps if self.routings else []


class Routing(Base):
    """One saved version of an item's routing; its steps are fixed once it exists."""

    __tablename__ = "routings"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    version: Mapped[int]
    created_at: Mapped[Timestamp]
    created_by: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(String(500), default="")

    item: Mapped[Item] = relationship(back_populates="routings")
    steps: Mapped[list[RoutingStep]] = relationship(
        back_populates="routing", order_by="RoutingStep.position", cascade="all, delete-orphan"
    )


class RoutingStep(Base):
    __tablename__ = "routing_steps"
    __table_args__ = (UniqueConstraint("routing_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    routing_id: Mapped[int] = mapped_column(ForeignKey("routings.id"), index=True)
    position: Mapped[int]
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))

    routing: Mapped[Routing] = relationship(back_populates="steps")
    operation: Mapped[Operation] = relationship(lazy="joined")
