"""Lots and their stock: receive, issue, move, adjust, scrap and status, all on the ledger.

On hand is always SUM(stock_movements.quantity) for the lot, read after locking the lot's
row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the writer lock already serialises),
so two stations issuing the last 5 kg at once cannot both get it. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import numbering
from ..domain.errors import QuantityError, StockError
from ..domain.lots import (
    CLOSED_STATUSES,
    LotStatus,
    MovementKind,
    check_issuable,
    check_lot_number,
    check_transition,
    exact,
    ledger_amount,
)
from ..domain.quantities import Quantity
from ..errors import BadRequest, Conflict
from ..models import GenealogyNode, Item, Location, Lot, StockMovement, utcnow
from . import audit, graph_links, sequences
from .actors import Actor
from .catalog import item_by_sku
from .locations import location_by_code
from .lookup import by_number


@dataclass(frozen=True, slots=True)
class Target:
    """What material is issued to: a run or a batch (later a job), by its number or code."""

    kind: str
    code: str


def lot_by_number(session: Session, number: str, *, lock: bool = False) -> Lot:
    """Return a lot; lock=True takes its row lock and re-reads it (before summing stock)."""
    return by_number(session, Lot, number, lock=lock, kind="lot")


def on_hand(session: Session, lot: Lot) -> Quantity:
    """Return the lot's quantity on hand: the sum of its ledger, in the lot's unit."""
    session.flush()  # movements added in this transaction count too
    total = session.scalar(select(func.coalesce(func.sum(StockMovement.quantity), 0))
                           .where(StockMovement.lot_id == lot.id))
    return Quantity(Decimal(total or 0), lot.unit)


def receive_lot(session: Session, *, item_sku: str, quantity: Quantity, location_code: str,
                bin: str = "", lot_number: str | None = None,
                unit_cost: Decimal | None = None, supplier_batch: str = "",
                certificate: str = "", expiry: date | None = None, actor: Actor,
                source_node: GenealogyNode | None = None) -> Lot:
    """Create a lot with its receive movement and graph node (an edge from source_node if
    given: a receipt passes its own); the quantity converts exactly to the item's unit."""
    actor.require("planner")
    item = item_by_sku(session, item_sku)
    location = location_by_code(session, location_code)
    qty = exact(quantity, item.unit)
    if not qty.is_positive():
        raise QuantityError("quantity must be greater than zero", field="quantity")
    if unit_cost is not None and unit_cost < 0:
        raise BadRequest("unit cost cannot be negative", code="invalid_unit_cost")
    number = _new_number(session, lot_number)
    lot = Lot(number=number, item=item, unit=item.unit, location=location, bin=bin,
              unit_cost=unit_cost, supplier_batch=supplier_batch, certificate=certificate,
              expiry=expiry, status=LotStatus.AVAILABLE.value, created_by=actor.name)
    session.add(lot)
    session.flush()
    move = _write(session, lot, MovementKind.RECEIVE, qty, actor, "lot.receive",
                  to_location_id=location.id, to_bin=bin, item=item.sku,
                  location=location.code, bin=bin, supplier_batch=supplier_batch)
    node = graph_links.lot_node(session, lot)
    if source_node is not None:
        graph_links.edge(session, source_node, node, "receive", qty, move)
    return lot


def produce_lot(session: Session, *, item: Item, quantity: Quantity, location: Location,
                bin: str, status: LotStatus, unit_cost: Decimal | None, actor: Actor,
                source_node: GenealogyNode, record: str) -> Lot:
    """Create a lot made by a job: a produce movement and an edge source -produce-> lot
    (the caller checks who may receive; an operator records a job's output)."""
    qty = exact(quantity, item.unit)
    if not qty.is_positive():
        raise QuantityError("quantity must be greater than zero", field="quantity")
    lot = Lot(number=_new_number(session, None), item=item, unit=item.unit,
              location=location, bin=bin, unit_cost=unit_cost, status=status.value,
              created_by=actor.name)
    session.add(lot)
    session.flush()
    move = _write(session, lot, MovementKind.PRODUCE, qty, actor, "lot.produce",
                  to_location_id=location.id, to_bin=bin, record=record, item=item.sku,
                  location=location.code, bin=bin, status=status.value)
    graph_links.edge(session, source_node, graph_links.lot_node(session, lot), "produce",
                     qty, move)
    return lot


def give_back(session: Session, lot: Lot, quantity: Quantity, *, record: str, reason: str,
              actor: Actor) -> StockMovement:
    """Return stock a job gave back to its lot (an adjustment with the reason; a consumed
    lot is available again). Only a positive quantity goes back (a negative adjustment
    would take stock), and never into a shipped or archived lot, which is only a record."""
    row = lot_by_number(session, lot.number, lock=True)
    qty = exact(quantity, row.unit)
    if not qty.is_positive():
        raise QuantityError("what is given back must be greater than zero", field="quantity")
    if row.status in (LotStatus.SHIPPED, LotStatus.ARCHIVED):
        raise StockError(f"the lot is {row.status}: nothing can be given back to it",
                         code="lot_closed", status=row.status, lot=row.number)
    move = _write(session, row, MovementKind.ADJUST, qty, actor, "lot.return", reason=reason,
                  record=record)
    if row.status == LotStatus.CONSUMED:
        _set(session, row, LotStatus.AVAILABLE, actor, reason)
    return move


def take_out(session: Session, lot: Lot, quantity: Quantity, *, record: str, reason: str,
             actor: Actor) -> StockMovement:
    """Take stock made into something else out of an available lot (a negative adjustment
    with the reason: an issue would count as material used); a lot taken to zero is consumed."""
    row = lot_by_number(session, lot.number, lock=True)
    stock, qty = on_hand(session, row), exact(quantity, row.unit)
    if row.status != LotStatus.AVAILABLE or not qty.is_positive() or qty.amount > stock.amount:
        raise StockError(f"the lot cannot give {qty}", code="insufficient_stock",
                         on_hand=str(stock), status=row.status)
    move = _write(session, row, MovementKind.ADJUST, Quantity(-qty.amount, row.unit), actor,
                  "lot.take", reason=reason, record=record)
    _consume_if_empty(session, row, stock - qty, actor)
    return move


def issue(session: Session, lot: Lot | str, target: Target, quantity: Quantity | None = None,
          *, actor: Actor, at: datetime | None = None, event_id: str | None = None
          ) -> StockMovement:
    """Issue a lot (all on hand if quantity is None) to a run or batch; refuse, writing
    nothing, what the lot cannot give. A lot issued to zero becomes consumed."""
    number = lot if isinstance(lot, str) else lot.number
    at = at or utcnow()
    parent = graph_links.target_node(session, target)  # unknown_target before any lock
    row = lot_by_number(session, number, lock=True)
    stock = on_hand(session, row)
    wanted = stock if quantity is None else quantity
    qty = check_issuable(LotStatus(row.status), row.expiry, stock, wanted, on=at.date())
    move = _write(session, row, MovementKind.ISSUE, qty, actor, "lot.issue", at=at,
                  record=f"{target.kind}:{target.code}", event_id=event_id,
                  target=f"{target.kind}:{target.code}")
    graph_links.edge(session, graph_links.lot_node(session, row), parent, "issue", qty, move)
    _consume_if_empty(session, row, stock - qty, actor)
    return move


def ship(session: Session, lot: Lot, quantity: Quantity, *, to: GenealogyNode, record: str,
         actor: Actor, at: datetime) -> StockMovement:
    """Ship part or all of an available lot to a customer: a ship movement and the edge
    lot -ship-> to; a lot shipped to zero becomes shipped (the caller checked the rules)."""
    row = lot_by_number(session, lot.number, lock=True)
    stock = on_hand(session, row)
    qty = exact(quantity, row.unit)
    if row.status != LotStatus.AVAILABLE or qty.amount > stock.amount:
        raise StockError(f"the lot cannot ship {qty}", code="insufficient_stock",
                         on_hand=str(stock), status=row.status)
    move = _write(session, row, MovementKind.SHIP, qty, actor, "lot.ship", at=at,
                  record=record, target=record)
    graph_links.edge(session, graph_links.lot_node(session, row), to, "ship", qty, move)
    if (stock - qty).amount == 0:
        _set(session, row, LotStatus.SHIPPED, actor, "shipped to the customer")
    return move


def move(session: Session, number: str, *, location_code: str, bin: str = "",
         actor: Actor, reason: str = "") -> StockMovement:
    """Move a whole lot to another location and/or rack/bin; on hand does not change."""
    actor.require("planner")
    lot = lot_by_number(session, number, lock=True)
    _refuse_closed(lot)
    to = location_by_code(session, location_code)
    if to.id == lot.location_id and bin == lot.bin:
        raise BadRequest("the lot is already there", code="same_place")
    row = _write(session, lot, MovementKind.MOVE, Quantity(Decimal(0), lot.unit), actor,
                 "lot.move", reason=reason, from_location_id=lot.location_id,
                 from_bin=lot.bin, to_location_id=to.id, to_bin=bin,
                 before=f"{lot.location.code} {lot.bin}".strip(),
                 after=f"{to.code} {bin}".strip())
    lot.location, lot.bin = to, bin
    return row


def adjust(session: Session, number: str, quantity: Quantity, *, reason: str, actor: Actor
           ) -> StockMovement:
    """Correct a lot's stock by a signed quantity (a count found more or less); a reason
    is required, and on hand never goes below zero."""
    actor.require("planner")
    if not reason.strip():
        raise BadRequest("an adjustment needs a reason", code="reason_required")
    lot = lot_by_number(session, number, lock=True)
    if lot.status in (LotStatus.SHIPPED, LotStatus.ARCHIVED):
        raise StockError(f"the lot is {lot.status}", code="lot_closed", status=lot.status)
    delta = exact(quantity, lot.unit)
    stock = on_hand(session, lot)
    after = stock + delta
    if after.amount < 0:
        raise StockError(f"only {stock} on hand, cannot take {-delta.amount} {lot.unit}",
                         code="insufficient_stock", on_hand=str(stock))
    row = _write(session, lot, MovementKind.ADJUST, delta, actor, "lot.adjust", reason=reason)
    if lot.status == LotStatus.CONSUMED and after.is_positive():
        _set(session, lot, LotStatus.AVAILABLE, actor, "stock found by adjustment")
    _consume_if_empty(session, lot, after, actor)
    return row


def scrap(session: Session, number: str, quantity: Quantity | None = None, *, reason: str,
          actor: Actor) -> StockMovement:
    """Scrap part or all (quantity None) of an open lot, with a reason."""
    actor.require("planner")
    if not reason.strip():
        raise BadRequest("scrapping needs a reason", code="reason_required")
    lot = lot_by_number(session, number, lock=True)
    _refuse_closed(lot)
    stock = on_hand(session, lot)
    qty = stock if quantity is None else exact(quantity, lot.unit)
    if not qty.is_positive():
        raise QuantityError("quantity must be greater than zero", field="quantity")
    if qty.amount > stock.amount:
        raise StockError(f"only {stock} on hand", code="insufficient_stock",
                         on_hand=str(stock))
    row = _write(session, lot, MovementKind.SCRAP, qty, actor, "lot.scrap", reason=reason)
    _consume_if_empty(session, lot, stock - qty, actor)
    return row


# Statuses a person may set; consumed and shipped follow from movements.
SETTABLE = frozenset({LotStatus.AVAILABLE, LotStatus.QUARANTINED, LotStatus.ARCHIVED})


def set_status(session: Session, number: str, status: str, *, actor: Actor, reason: str = ""
               ) -> Lot:
    """Quarantine, release or archive a lot through the transition table; only an empty
    lot is archived (scrap or adjust the rest first)."""
    actor.require("planner")
    lot = lot_by_number(session, number, lock=True)
    new = LotStatus(status)
    if new not in SETTABLE:
        raise BadRequest(f"a lot becomes {new} by its movements, not by hand",
                         code="status_not_settable", status=new.value)
    check_transition(LotStatus(lot.status), new)
    if new is LotStatus.ARCHIVED and on_hand(session, lot).amount != 0:
        raise StockError("only an empty lot is archived", code="lot_not_empty")
    _set(session, lot, new, actor, reason)
    return lot


def set_held_status(session: Session, lot: Lot, status: LotStatus, *, actor: Actor,
                    reason: str) -> None:
    """Quarantine a lot for a recall hold, or give it back (the hold checks who may)."""
    _set(session, lot, status, actor, reason)


def _new_number(session: Session, given: str | None) -> str:
    if given is not None:
        number = check_lot_number(given)
        if session.scalar(select(Lot.id).where(Lot.number == number)):
            raise Conflict(f"lot {number!r} exists", code="lot_exists", lot=number)
        return number
    year = utcnow().year
    while True:  # a supplier's number may already have taken a generated one's shape
        seq = sequences.take(session, numbering.sequence_key(numbering.LOT_PREFIX, year))[0]
        number = numbering.lot_number(year, seq)
        if not session.scalar(select(Lot.id).where(Lot.number == number)):
            return number


def _write(session: Session, lot: Lot, kind: MovementKind, qty: Quantity, actor: Actor,
           action: str, *, at: datetime | None = None, reason: str = "", record: str = "",
           event_id: str | None = None, from_location_id: int | None = None,
           from_bin: str = "", to_location_id: int | None = None, to_bin: str = "",
           **changes: Any) -> StockMovement:
    """Append one movement and its audit record."""
    amount = ledger_amount(kind, qty)
    entry = audit.record(session, actor, action, "lot", lot.number, reason=reason,
                         quantity=str(qty), **changes)
    session.flush()
    row = StockMovement(lot=lot, kind=kind.value, quantity=amount, unit=lot.unit,
                        from_location_id=from_location_id, from_bin=from_bin,
                        to_location_id=to_location_id, to_bin=to_bin, reason=reason,
                        actor=actor.name, at=at or utcnow(), record=record,
                        event_id=event_id, audit_id=entry.id)
    session.add(row)
    session.flush()
    return row


def _refuse_closed(lot: Lot) -> None:
    if LotStatus(lot.status) in CLOSED_STATUSES:
        raise StockError(f"the lot is {lot.status}", code="lot_closed", status=lot.status)


def _consume_if_empty(session: Session, lot: Lot, left: Quantity, actor: Actor) -> None:
    if left.amount == 0 and lot.status != LotStatus.CONSUMED:
        _set(session, lot, LotStatus.CONSUMED, actor, "nothing left on hand")


def _set(session: Session, lot: Lot, new: LotStatus, actor: Actor, reason: str) -> None:
    old = LotStatus(lot.status)
    check_transition(old, new)
    audit.record(session, actor, "lot.status", "lot", lot.number, reason=reason,
                 before=old.value, after=new.value)
    lot.status = new.value
