"""Suppliers, their receipts with lines that became lots, and incoming inspections.

A receipt is a traceability record: it is never deleted, and its lines keep the lot each
one created (the lot itself, with its stock ledger, lives in the inventory models).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.quality import InspectionResult
from .base import Amount, Base, Code, Name, Timestamp, one_of
from .catalog import Item
from .inventory import Location

INSPECTION_RESULTS = tuple(r.value for r in InspectionResult)


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    contact: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]


class SupplierReceipt(Base):
    __tablename__ = "supplier_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    invoice_number: Mapped[str] = mapped_column(String(64), default="")
    receipt_date: Mapped[date]
    received_by: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[Timestamp]

    supplier: Mapped[Supplier] = relationship(lazy="joined")
    lines: Mapped[list[ReceiptLine]] = relationship(
        back_populates="receipt", order_by="ReceiptLine.line_no")
    inspections: Mapped[list[IncomingInspection]] = relationship(
        back_populates="receipt", order_by="IncomingInspection.id")


class ReceiptLine(Base):
    __tablename__ = "receipt_lines"
    __table_args__ = (UniqueConstraint("receipt_id", "line_no"),
                      CheckConstraint("quantity > 0", name="quantity"))

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("supplier_receipts.id"), index=True)
    line_no: Mapped[int]
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    gtin: Mapped[str] = mapped_column(String(14), default="")
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), unique=True)
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    bin: Mapped[str] = mapped_column(String(64), default="")  # rack/bin, where it was put

    receipt: Mapped[SupplierReceipt] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship(lazy="joined")
    location: Mapped[Location] = relationship(lazy="joined")


class IncomingInspection(Base):
    __tablename__ = "incoming_inspections"
    __table_args__ = (CheckConstraint(one_of("result", InspectionResult), name="result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("supplier_receipts.id"), index=True)
    inspector: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(16))
    defects: Mapped[str] = mapped_column(String(2000), default="")
    notes: Mapped[str] = mapped_column(String(2000), default="")
    at: Mapped[Timestamp]

    receipt: Mapped[SupplierReceipt] = relationship(back_populates="inspections")
