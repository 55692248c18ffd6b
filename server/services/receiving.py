"""Supplier receipts: lines that become lots, one receipt node in the genealogy graph, and
incoming inspections; GS1 supplier labels read for the receiving page.

A receipt and all its lots are written in the caller's one transaction: a bad line raises,
and the request's rollback leaves nothing of the receipt behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from labels import gs1
from labels.errors import PayloadError

from ..domain.errors import DomainError
from ..domain.genealogy import NodeKind
from ..domain.lots import LotStatus
from ..domain.quality import QUARANTINES, InspectionResult
from ..domain.quantities import Quantity, amount_text, positive
from ..errors import BadRequest, Conflict, FloorlineError, NotFound, Unprocessable
from ..models import Item, Lot, utcnow
from ..models.suppliers import INSPECTION_RESULTS, IncomingInspection, ReceiptLine, SupplierReceipt
from . import audit, sequences, stock
from .actors import Actor
from .catalog import item_by_sku
from .genealogy import node
from .receipt_views import receipt_dict, receipt_summary
from .suppliers import supplier_by_code

RECEIPT_PREFIX = "RC"
# The API's error code for each broken GS1 rule (labels.gs1.GS1Error.reason).
GS1_CODES = {"check_digit": "bad_check_digit", "date": "impossible_date"}


@dataclass(frozen=True, slots=True)
class LineIn:
    """One receipt line as sent; a scanned GS1 label fills what the fields leave out."""

    location: str
    item: str | None = None
    gtin: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    bin: str = ""
    lot_number: str | None = None
    supplier_lot: str = ""
    expiry: date | None = None
    unit_cost: Decimal | None = None
    certificate: str = ""
    gs1: str | None = None


def receipt_number(year: int, seq: int) -> str:
    """Format a supplier receipt number, e.g. RC-2026-00007."""
    return f"{RECEIPT_PREFIX}-{year:04d}-{seq:05d}"


def read_gs1(text: str, *, today: date | None = None) -> gs1.SupplierLabel:
    """Read a supplier's GS1 label, refusing bad data with a code naming the broken rule
    (422: the request is schema-valid; GS1's rules are more than a JSON schema states)."""
    try:
        return gs1.supplier_label(text, today=today)
    except gs1.GS1Error as err:
        raise Unprocessable(str(err), code=GS1_CODES.get(err.reason, "invalid_gs1"),
                            ai=err.ai) from err


def _gtin(text: str) -> str:
    try:
        return gs1.gtin14(text)
    except PayloadError as err:
        raise Unprocessable(str(err), code="bad_check_digit", ai="01") from err


def item_by_gtin(session: Session, gtin: str) -> Item:
    item = session.scalar(select(Item).where(Item.gtin == _gtin(gtin)))
    if item is None:
        raise NotFound(f"no item has GTIN {gtin}", code="unknown_gtin", gtin=gtin)
    return item


def parse_label(session: Session, text: str) -> dict[str, Any]:
    """Return a scanned label's fields and the item its GTIN names (None when unknown)."""
    label = read_gs1(text)
    item = session.scalar(select(Item).where(Item.gtin == label.gtin)) if label.gtin else None
    weight = label.net_weight
    return {
        "gtin": label.gtin, "lot": label.lot, "serial": label.serial,
        "expiry": label.expiry.isoformat() if label.expiry else None,
        "best_before": label.best_before.isoformat() if label.best_before else None,
        "production_date": (label.production_date.isoformat()
                            if label.production_date else None),
        "net_weight": ({"quantity": amount_text(weight.amount), "unit": weight.unit}
                       if weight else None),
        "item": {"sku": item.sku, "name": item.name, "unit": item.unit} if item else None,
    }


def set_item_gtin(session: Session, actor: Actor, sku: str, gtin: str | None) -> dict[str, Any]:
    """Give an item the GTIN its suppliers' labels carry (None removes it)."""
    actor.require("planner")
    item = item_by_sku(session, sku)
    value = _gtin(gtin) if gtin else None
    if value and session.scalar(select(Item.sku).where(Item.gtin == value, Item.id != item.id)):
        raise Conflict(f"GTIN {value} belongs to another item", code="duplicate_gtin", gtin=value)
    audit.record(session, actor, "item.gtin", "item", sku, before=item.gtin, after=value)
    item.gtin = value
    return {"sku": item.sku, "gtin": item.gtin}


def _line_item(session: Session, actor: Actor, line: LineIn, gtin: str | None) -> Item:
    """Return the line's item: named by SKU, or found by GTIN; a SKU with a new GTIN learns it."""
    if line.item is None:
        if gtin is None:
            raise Unprocessable("a line needs an item or a GTIN", code="missing_item")
        return item_by_gtin(session, gtin)
    item = item_by_sku(session, line.item)
    if gtin is not None and item.gtin != gtin:
        owner = session.scalar(select(Item.sku).where(Item.gtin == gtin))
        if item.gtin is not None or owner is not None:
            raise Conflict(f"GTIN {gtin} is not the GTIN of {item.sku}", code="gtin_mismatch",
                           gtin=gtin, item=item.sku, item_gtin=item.gtin, gtin_item=owner)
        set_item_gtin(session, actor, item.sku, gtin)
    return item


def _line_quantity(line: LineIn, label: gs1.SupplierLabel | None, item: Item) -> Quantity:
    if line.quantity is not None:
        qty = positive(line.quantity, line.unit or item.unit)
    elif label is not None and label.net_weight is not None:
        qty = positive(label.net_weight.amount, label.net_weight.unit, field="net weight")
    else:
        raise Unprocessable("a line needs a quantity (or a label with a net weight)",
                            code="missing_quantity")
    qty.to(item.unit)  # refuse kg for a pcs item before anything is written
    return qty


def _receive_line(session: Session, actor: Actor, receipt: SupplierReceipt, no: int,
                  line: LineIn, source: Any) -> ReceiptLine:
    label = read_gs1(line.gs1) if line.gs1 else None
    gtin = _gtin(line.gtin) if line.gtin else (label.gtin if label else None)
    item = _line_item(session, actor, line, gtin)
    qty = _line_quantity(line, label, item)
    lot = stock.receive_lot(
        session, item_sku=item.sku, quantity=qty, location_code=line.location, bin=line.bin,
        lot_number=line.lot_number, unit_cost=line.unit_cost,
        supplier_batch=line.supplier_lot or (label.lot or "" if label else ""),
        certificate=line.certificate,
        expiry=line.expiry or (label.expiry if label else None), actor=actor,
        source_node=source)
    row = ReceiptLine(receipt=receipt, line_no=no, item_id=item.id, gtin=gtin or "",
                      lot_id=lot.id, quantity=qty.amount, unit=qty.unit,
                      location_id=lot.location_id, bin=line.bin)
    session.add(row)
    return row


def create_receipt(session: Session, actor: Actor, *, supplier: str, lines: list[LineIn],
                   invoice_number: str = "", receipt_date: date | None = None,
                   received_by: str = "", notes: str = "") -> dict[str, Any]:
    """Receive a supplier's shipment: one lot per line, all or nothing."""
    actor.require("planner")
    source = supplier_by_code(session, supplier)
    if not source.active:
        raise Conflict(f"supplier {supplier!r} is inactive", code="inactive_supplier")
    if not lines:
        raise BadRequest("a receipt needs at least one line", code="no_lines")
    year = (receipt_date or utcnow().date()).year
    seq = sequences.take(session, f"{RECEIPT_PREFIX}:{year}")[0]
    receipt = SupplierReceipt(
        number=receipt_number(year, seq), supplier=source, invoice_number=invoice_number,
        receipt_date=receipt_date or utcnow().date(), received_by=received_by or actor.name,
        notes=notes)
    session.add(receipt)
    session.flush()
    graph_node = node(session, NodeKind.RECEIPT, receipt.number, receipt.id)
    for no, line in enumerate(lines, start=1):
        try:
            _receive_line(session, actor, receipt, no, line, graph_node)
        except (FloorlineError, DomainError) as err:
            err.detail.setdefault("line", no)  # say which line of the form is wrong
            raise
    session.flush()
    audit.record(session, actor, "receipt.create", "receipt", receipt.number,
                 supplier=supplier, invoice=invoice_number, lines=len(lines))
    return receipt_dict(session, receipt)


def receipt_by_number(session: Session, number: str) -> SupplierReceipt:
    receipt = session.scalar(select(SupplierReceipt).where(SupplierReceipt.number == number))
    if receipt is None:
        raise NotFound(f"no supplier receipt {number!r}", code="unknown_receipt")
    return receipt


def list_receipts(session: Session, *, supplier: str = "", limit: int = 200
                  ) -> list[dict[str, Any]]:
    stmt = select(SupplierReceipt).order_by(SupplierReceipt.id.desc()).limit(limit)
    if supplier:
        stmt = stmt.where(SupplierReceipt.supplier_id == supplier_by_code(session, supplier).id)
    return [receipt_summary(session, r) for r in session.scalars(stmt)]


def record_inspection(session: Session, actor: Actor, number: str, *, result: str,
                      defects: str = "", notes: str = "", inspector: str = ""
                      ) -> dict[str, Any]:
    """Record an incoming inspection; a failed one quarantines the receipt's available lots
    (lots already issued away or quarantined stay as they are)."""
    actor.require("planner")  # as quarantining a lot (stock.set_status) needs
    receipt = receipt_by_number(session, number)
    if result not in INSPECTION_RESULTS:
        raise BadRequest(f"unknown inspection result {result!r}", code="invalid_result",
                         results=list(INSPECTION_RESULTS))
    session.add(IncomingInspection(receipt=receipt, inspector=inspector or actor.name,
                                   result=result, defects=defects, notes=notes))
    if InspectionResult(result) in QUARANTINES:
        for line in receipt.lines:
            lot = session.get(Lot, line.lot_id)
            if lot is not None and lot.status == LotStatus.AVAILABLE:
                stock.set_status(session, lot.number, LotStatus.QUARANTINED, actor=actor,
                                 reason=f"incoming inspection of {number} failed")
    session.flush()
    audit.record(session, actor, "receipt.inspect", "receipt", number, result=result,
                 defects=defects)
    return receipt_dict(session, receipt)
