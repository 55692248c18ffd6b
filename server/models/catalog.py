"""The shared catalogue: operations, items and their routings."""

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

    steps: Mapped[list[RoutingStep]] = relationship(
        back_populates="item", order_by="RoutingStep.position", cascade="all, delete-orphan"
    )


class RoutingStep(Base):
    __tablename__ = "routing_steps"
    __table_args__ = (UniqueConstraint("item_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    position: Mapped[int]
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))

    item: Mapped[Item] = relationship(back_populates="steps")
    operation: Mapped[Operation] = relationship(lazy="joined")
