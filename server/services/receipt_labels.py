"""Labels for the lots of a supplier receipt: the stock helper's lot label for each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from labels import LabelData

from ..models import Lot, ReceiptLine
from .receiving import receipt_by_number
from .stock_views import lot_label


def receipt_labels(session: Session, number: str) -> list[LabelData]:
    """One label per lot of the receipt, in line order; a scan reads each back as a lot."""
    receipt = receipt_by_number(session, number)
    lots = session.scalars(select(Lot.number).join(ReceiptLine, ReceiptLine.lot_id == Lot.id)
                           .where(ReceiptLine.receipt_id == receipt.id)
                           .order_by(ReceiptLine.line_no))
    return [lot_label(session, lot) for lot in lots]
