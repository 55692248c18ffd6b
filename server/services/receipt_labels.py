"""Labels for the lots of a supplier receipt, rendered by the labels package."""

from __future__ import annotations

from sqlalchemy.orm import Session

from labels import LabelData
from labels.payload import Form, Kind, encode

from ..domain.quantities import amount_text
from ..models.inventory import Lot
from . import stock
from .receiving import receipt_by_number


def receipt_labels(session: Session, number: str) -> list[LabelData]:
    """One label per lot of the receipt; the QR says GS1 AI 10 (lot), so a scan reads a lot.

    Supplier lot numbers need not look like Floorline's L- codes, and the GS1 form names the
    kind whatever the number's shape.
    """
    receipt = receipt_by_number(session, number)
    out = []
    for line in receipt.lines:
        lot = session.get(Lot, line.lot_id)
        assert lot is not None  # the foreign key holds it
        qty = stock.on_hand(session, lot)
        out.append(LabelData(
            code=lot.lot_number, item_sku=line.item.sku, item_name=line.item.name,
            quantity=amount_text(qty.amount), unit=qty.unit, run_number=receipt.number,
            due_date=lot.expiry.isoformat() if lot.expiry else None,
            payload_text=encode(lot.lot_number, form=Form.GS1, kind=Kind.LOT,
                                gtin=line.gtin or line.item.gtin or None)))
    return out
