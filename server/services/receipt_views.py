"""Supplier receipts as plain data for the API and pages."""

from __future__ import annotations

from typing import Any, TypeVarTuple

from sqlalchemy import Select
from sqlalchemy.orm import Session

from ..domain.quantities import amount_text
from ..models.inventory import Lot
from ..models.suppliers import IncomingInspection, ReceiptLine, Supplier, SupplierReceipt
from . import stock

_Ts = TypeVarTuple("_Ts")


def _line(session: Session, line: ReceiptLine) -> dict[str, Any]:
    lot = session.get(Lot, line.lot_id)
    assert lot is not None  # the foreign key holds it
    on_hand = stock.on_hand(session, lot)
    return {
        "line_no": line.line_no, "item": line.item.sku, "item_name": line.item.name,
        "gtin": line.gtin or None, "quantity": amount_text(line.quantity), "unit": line.unit,
        "location": line.location.code, "bin": line.bin, "lot": lot.number,
        "lot_status": lot.status, "supplier_lot": lot.supplier_batch,
        "expiry": lot.expiry.isoformat() if lot.expiry else None,
        "on_hand": {"quantity": amount_text(on_hand.amount), "unit": on_hand.unit},
    }


def _inspection(row: IncomingInspection) -> dict[str, Any]:
    return {"at": row.at.isoformat(), "inspector": row.inspector, "result": row.result,
            "defects": row.defects, "notes": row.notes}


def _head(receipt: SupplierReceipt) -> dict[str, Any]:
    last = receipt.inspections[-1].result if receipt.inspections else None
    return {
        "number": receipt.number, "supplier": receipt.supplier.code,
        "supplier_name": receipt.supplier.name, "invoice_number": receipt.invoice_number,
        "receipt_date": receipt.receipt_date.isoformat(), "received_by": receipt.received_by,
        "notes": receipt.notes, "created_at": receipt.created_at.isoformat(),
        "inspection": last,
    }


def receipt_summary(session: Session, receipt: SupplierReceipt) -> dict[str, Any]:
    """Return a receipt for lists: its head and the lot numbers of its lines."""
    lots = [session.get(Lot, ln.lot_id) for ln in receipt.lines]
    return {**_head(receipt), "lots": [lot.number for lot in lots if lot is not None]}


def receipt_dict(session: Session, receipt: SupplierReceipt) -> dict[str, Any]:
    """Return a receipt with its lines (lots, on hand) and inspections."""
    return {**_head(receipt), "lines": [_line(session, ln) for ln in receipt.lines],
            "inspections": [_inspection(i) for i in receipt.inspections]}


def with_supplier(stmt: Select[*_Ts]) -> Select[*_Ts]:
    """Join a query over lots to the supplier whose receipt brought each in (None for a lot
    made here), so it can select Supplier columns."""
    return (stmt.outerjoin(ReceiptLine, ReceiptLine.lot_id == Lot.id)
            .outerjoin(SupplierReceipt, SupplierReceipt.id == ReceiptLine.receipt_id)
            .outerjoin(Supplier, Supplier.id == SupplierReceipt.supplier_id))
