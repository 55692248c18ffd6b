"""Customer shipments and what they carry (serials and lots)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.shipments import ShipmentStatus
from .base import Amount, Base, Code, Timestamp, UTCDateTime, one_of
from .sales import Customer, SalesOrder


class Shipment(Base):
    __tablename__ = "shipments"
    __table_args__ = (CheckConstraint(one_of("status", ShipmentStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    delivery_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=ShipmentStatus.OPEN.value)
    # The packing station, where lines are scanned rather than picked on a page.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[Timestamp]
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(default=0)

    customer: Mapped[Customer] = relationship(lazy="joined")
    order: Mapped[SalesOrder | None] = relationship(lazy="joined")
    lines: Mapped[list[ShipmentLine]] = relationship(back_populates="shipment",
                                                     order_by="ShipmentLine.line_no")


class ShipmentLine(Base):
    """One serial, or a quantity of one lot, packed into a shipment."""

    __tablename__ = "shipment_lines"
    __table_args__ = (
        UniqueConstraint("shipment_id", "line_no", name="uq_shipment_lines_line_no"),
        UniqueConstraint("shipment_id", "serial_id", name="uq_shipment_lines_serial"),
        CheckConstraint("(serial_id IS NULL) <> (lot_id IS NULL)", name="one_thing"),
        CheckConstraint("quantity > 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    line_no: Mapped[int]
    serial_id: Mapped[int | None] = mapped_column(ForeignKey("serials.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    # The packing scan that added it: a repeat of the same event adds nothing.
    event_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[Timestamp]

    shipment: Mapped[Shipment] = relationship(back_populates="lines")
