"""What people read about stock: lots with on hand (one grouped query), a lot's ledger, labels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labels import LabelData
from labels.errors import PayloadError
from labels.payload import Kind, encode, parse

from ..domain import numbering
from ..domain.quantities import amount_text
from ..models import Item, Location, Lot, StockMovement
from .stock import lot_by_number, on_hand


class LotOut(TypedDict):
    number: str
    item: str
    item_name: str
    unit: str
    on_hand: str
    status: str
    location: str
    warehouse: str
    bin: str
    unit_cost: str | None
    supplier_batch: str
    certificate: str
    expiry: str | None
    expired: bool
    created_at: str


class MovementOut(TypedDict):
    id: int
    kind: str
    quantity: str
    unit: str
    at: str
    actor: str
    reason: str
    record: str
    from_place: str
    to_place: str


class LotDetail(LotOut):
    ledger: list[MovementOut]


def lot_dict(lot: Lot, stock: Decimal, *, today: date | None = None) -> LotOut:
    today = today or date.today()
    return {
        "number": lot.number, "item": lot.item.sku, "item_name": lot.item.name,
        "unit": lot.unit, "on_hand": amount_text(stock), "status": lot.status,
        "location": lot.location.code, "warehouse": lot.location.warehouse.code,
        "bin": lot.bin,
        "unit_cost": None if lot.unit_cost is None else amount_text(lot.unit_cost),
        "supplier_batch": lot.supplier_batch, "certificate": lot.certificate,
        "expiry": lot.expiry.isoformat() if lot.expiry else None,
        "expired": lot.expiry is not None and lot.expiry < today,
        "created_at": lot.created_at.isoformat(),
    }


def list_lots(session: Session, *, item: str = "", status: str = "", location: str = "",
              q: str = "", limit: int = 200, offset: int = 0) -> list[LotOut]:
    """List lots, newest first, with on hand summed per lot in the same query."""
    stock = (select(StockMovement.lot_id, func.sum(StockMovement.quantity).label("qty"))
             .group_by(StockMovement.lot_id).subquery())
    stmt = (select(Lot, func.coalesce(stock.c.qty, 0)).outerjoin(stock, stock.c.lot_id == Lot.id)
            .order_by(Lot.id.desc()).limit(limit).offset(offset))
    if item:
        stmt = stmt.where(Lot.item_id.in_(select(Item.id).where(Item.sku == item)))
    if status:
        stmt = stmt.where(Lot.status == status)
    if location:
        stmt = stmt.where(Lot.location_id.in_(select(Location.id)
                                              .where(Location.code == location)))
    if q:
        # Escaped: a % or _ typed in the search box means itself, not "anything".
        stmt = stmt.where(Lot.number.icontains(q, autoescape=True)
                          | Lot.supplier_batch.icontains(q, autoescape=True)
                          | Lot.bin.icontains(q, autoescape=True))
    return [lot_dict(lot, Decimal(qty)) for lot, qty in session.execute(stmt)]


def lot_detail(session: Session, number: str) -> LotDetail:
    """Return one lot with on hand and its whole ledger, oldest first."""
    lot = lot_by_number(session, number)
    rows = session.scalars(select(StockMovement).where(StockMovement.lot_id == lot.id)
                           .order_by(StockMovement.id))
    ledger = [_movement(m) for m in rows]
    return {**lot_dict(lot, on_hand(session, lot).amount), "ledger": ledger}


def _movement(m: StockMovement) -> MovementOut:
    return {"id": m.id, "kind": m.kind, "quantity": amount_text(m.quantity), "unit": m.unit,
            "at": m.at.isoformat(), "actor": m.actor, "reason": m.reason, "record": m.record,
            "from_place": _place(m.from_location, m.from_bin),
            "to_place": _place(m.to_location, m.to_bin)}


def _place(location: Location | None, bin_: str) -> str:
    return f"{location.code} {bin_}".strip() if location is not None else ""


def lot_label(session: Session, number: str) -> LabelData:
    """Describe a lot's label: its number in the QR (read back as kind lot), place, expiry."""
    lot = lot_by_number(session, number)
    lines = [f"Lot {lot.location.code} {lot.bin}".rstrip()]
    if lot.supplier_batch:
        lines.append(f"Supplier {lot.supplier_batch}")
    if lot.expiry:
        lines.append(f"Exp {lot.expiry.isoformat()}")
    return LabelData(code=lot.number, item_sku=lot.item.sku, item_name=lot.item.name,
                     quantity=amount_text(on_hand(session, lot).amount), unit=lot.unit,
                     run_number="", payload_text=lot_payload(lot.number), lines=tuple(lines))


def lot_payload(number: str) -> str | None:
    """Return what a lot label's QR carries so a scan reads it back as a lot: a generated
    number as it is; a supplier's as GS1 AI 10 when it fits (else plain, read as unknown)."""
    if numbering.is_lot_number(number):
        return None
    try:
        text = encode(number, form="gs1", kind="lot")
    except PayloadError:
        return None
    return text if parse(text).kind is Kind.LOT else None
