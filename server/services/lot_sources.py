"""Where lots came from, for pages that list lots by number (the trace page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Lot
from ..models.suppliers import ReceiptLine, Supplier, SupplierReceipt


class LotSource(TypedDict):
    supplier_batch: str
    supplier: str  # the supplier's code; "" for a lot received without a receipt


def lot_sources(session: Session, numbers: Iterable[str]) -> dict[str, LotSource]:
    """Return each named lot's supplier batch number and supplier, by lot number."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    rows = session.execute(
        select(Lot.number, Lot.supplier_batch, Supplier.code)
        .outerjoin(ReceiptLine, ReceiptLine.lot_id == Lot.id)
        .outerjoin(SupplierReceipt, SupplierReceipt.id == ReceiptLine.receipt_id)
        .outerjoin(Supplier, Supplier.id == SupplierReceipt.supplier_id)
        .where(Lot.number.in_(wanted)))
    return {number: {"supplier_batch": batch or "", "supplier": supplier or ""}
            for number, batch, supplier in rows}
