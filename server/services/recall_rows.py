"""The rows behind a recall: what each reached serial, lot and batch is, where it went and
what is left of it, each kind looked up once for all its codes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.attribution import as_decimal
from ..domain.batches import OPEN_STATES
from ..domain.errors import QuantityError
from ..domain.genealogy import NodeKind
from ..domain.lots import OPEN_STATUSES
from ..domain.quantities import Quantity, amount_text
from ..domain.serials import SerialStatus
from ..domain.shipments import ShipmentStatus
from ..models import (
    Batch,
    Customer,
    Item,
    Location,
    Lot,
    Operation,
    ProductionRun,
    RoutingStep,
    SalesOrder,
    Serial,
    StockMovement,
    Supplier,
)
from ..models.shipping import Shipment, ShipmentLine
from .receipt_views import with_supplier
from .sql_sets import among

if TYPE_CHECKING:
    from .recall import Origin, Reached

_HERE = frozenset({SerialStatus.IN_STOCK.value, SerialStatus.QUARANTINED.value})
_OPEN_LOT = frozenset(s.value for s in OPEN_STATUSES)
_WIP = frozenset(s.value for s in OPEN_STATES)


def describe(session: Session, kind: str, code: str) -> dict[str, Any]:
    """Return an origin's item (and a lot's supplier and supplier batch), where it has them."""
    if kind == NodeKind.LOT:
        row = session.execute(
            with_supplier(select(Item.sku, Item.name, Lot.supplier_batch, Supplier.code)
                          .join(Item, Item.id == Lot.item_id))
            .where(Lot.number == code)).first()
        return {} if row is None else {"item": row[0], "item_name": row[1],
                                       "supplier_batch": row[2] or "", "supplier": row[3] or ""}
    model: Any = {NodeKind.SERIAL: Serial, NodeKind.BATCH: Batch}.get(NodeKind(kind))
    if model is None:
        return {}
    found = session.execute(select(Item.sku, Item.name).join(model, model.item_id == Item.id)
                            .where(model.code == code)).first()
    return {} if found is None else {"item": found[0], "item_name": found[1]}


def affected(session: Session, origin: Origin, reached: Reached) -> list[dict[str, Any]]:
    """Return every affected serial, lot and batch in process: shipped first (by customer),
    then in stock (by location), then in process, then the rest."""
    codes: dict[str, list[str]] = defaultdict(list)
    for kind, code in reached.shares:
        codes[kind].append(code)
    origins = {s.code for s in origin.starts if s.kind == NodeKind.LOT}
    shipped = _shipments(session, codes["serial"], codes["lot"])
    rows = _serials(session, codes["serial"]) + _lots(session, codes["lot"], origins, shipped) \
        + _batches(session, codes["batch"])
    for row in rows:
        row["shipments"] = shipped.get((row["kind"], row["code"]), [])
        row["shipped"] = row["shipments"][0] if row["shipments"] else None
        share = reached.shares.get((row["kind"], row["code"]))
        if row["kind"] == NodeKind.LOT and row["code"] in origins:
            share = _still_here(row, reached, share)
        row.update(share_fields(share, reached))
        row["depth"] = reached.depth.get((row["kind"], row["code"]), 0)
    return sorted(rows, key=_order)


def _still_here(row: dict[str, Any], reached: Reached, share: Fraction | None
                ) -> Fraction | None:
    """A suspect lot holds what it has not issued: its on hand over the suspect total (the
    walk gives it all it ever received)."""
    here = row["in_stock"]
    if here is None or reached.total is None or not reached.total or reached.unit is None:
        return share
    try:
        left = Quantity(Decimal(here["quantity"]), here["unit"]).to(reached.unit).amount
    except QuantityError:
        return share
    return Fraction(left) / reached.total


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    if row["shipped"] is not None:
        return (0, row["shipped"]["customer"], row["shipped"]["shipped_at"], row["code"])
    if row["in_stock"] is not None:
        return (1, row["in_stock"]["location"], row["in_stock"]["bin"], row["code"])
    return (2 if row["kind"] == NodeKind.BATCH else 3, "", "", row["code"])


def _serials(session: Session, codes: list[str]) -> list[dict[str, Any]]:
    if not codes:
        return []
    found = session.execute(
        select(Serial.code, Serial.status, Serial.bin, Item.sku, Item.name, Item.unit,
               Location.code).join(Item, Item.id == Serial.item_id)
        .outerjoin(Location, Location.id == Serial.location_id)
        .where(among(session, Serial.code, codes)))
    return [{"kind": "serial", "code": code, "item": sku, "item_name": name, "status": status,
             "in_stock": {"location": where or "", "bin": bin_, "quantity": "1", "unit": unit}
             if status in _HERE else None}
            for code, status, bin_, sku, name, unit, where in found]


def _lots(session: Session, numbers: list[str], origins: set[str],
          shipped: dict[tuple[str, str], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    if not numbers:
        return []
    # Each lot's own ledger through the lot_id index, not a sum over every lot's movements.
    ledger = (select(func.sum(StockMovement.quantity)).where(StockMovement.lot_id == Lot.id)
              .correlate(Lot).scalar_subquery())
    found = session.execute(
        select(Lot.number, Lot.status, Lot.bin, Lot.unit, Item.sku, Item.name, Location.code,
               ledger).join(Item, Item.id == Lot.item_id)
        .join(Location, Location.id == Lot.location_id).where(among(session, Lot.number, numbers)))
    rows = []
    for number, status, bin_, unit, sku, name, where, on_hand in found:
        left = Decimal(on_hand or 0)
        here = left > 0 and status in _OPEN_LOT
        # A suspect lot itself matters while some of it is here or went to a customer;
        # what it issued is followed downstream.
        if number in origins and not here and ("lot", number) not in shipped:
            continue
        rows.append({"kind": "lot", "code": number, "item": sku, "item_name": name,
                     "status": status,
                     "in_stock": {"location": where, "bin": bin_, "quantity": amount_text(left),
                                  "unit": unit} if here else None})
    return rows


def _batches(session: Session, codes: list[str]) -> list[dict[str, Any]]:
    """Return the batches still in process (a recall must stop them too), with their step."""
    if not codes:
        return []
    found = session.execute(
        select(Batch.code, Batch.state, Batch.step_index, Batch.routing_id, Batch.quantity,
               Batch.unit, Item.sku, Item.name, ProductionRun.number)
        .join(Item, Item.id == Batch.item_id)
        .join(ProductionRun, ProductionRun.id == Batch.run_id)
        .where(among(session, Batch.code, codes), Batch.state.in_(_WIP))).all()
    steps: dict[int, list[str]] = defaultdict(list)
    if found:
        for routing, op in session.execute(
                select(RoutingStep.routing_id, Operation.code)
                .join(Operation, Operation.id == RoutingStep.operation_id)
                .where(RoutingStep.routing_id.in_({r[3] for r in found}))
                .order_by(RoutingStep.routing_id, RoutingStep.position)):
            steps[routing].append(op)
    rows = []
    for code, state, index, routing, qty, unit, sku, name, run in found:
        ops = steps[routing]
        step = ops[index] if index is not None and 0 <= index < len(ops) else None
        rows.append({"kind": "batch", "code": code, "item": sku, "item_name": name,
                     "status": state, "step_index": index, "step": step, "run": run,
                     "quantity": amount_text(qty), "quantity_unit": unit, "in_stock": None})
    return rows


def _shipments(session: Session, serials: list[str], lots: list[str]
               ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Return the shipped shipments that carried each serial and lot, oldest first."""
    # One query per kind, each led by its code's unique index: an OR over both outer joins
    # made the database read every shipment line (99 of 150 ms at a million edges).
    found = [*_shipped(session, "serial", Serial, Serial.code, ShipmentLine.serial_id, serials),
             *_shipped(session, "lot", Lot, Lot.number, ShipmentLine.lot_id, lots)]
    found.sort(key=lambda r: (r[-1] is None, r[-1] or "", r[3], r[-2]))
    out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for key, qty, unit, number, customer, name, order, _, at in found:
        out[key].append({"shipment": number, "customer": customer, "customer_name": name,
                         "order": order, "shipped_at": at, "quantity": amount_text(qty),
                         "unit": unit})
    return out


def _shipped(session: Session, kind: str, model: Any, code: Any, line_column: Any,
             codes: list[str]) -> list[tuple[Any, ...]]:
    if not codes:
        return []
    rows = session.execute(
        select(code, ShipmentLine.quantity, ShipmentLine.unit, Shipment.number, Customer.code,
               Customer.name, SalesOrder.number, ShipmentLine.line_no, Shipment.shipped_at)
        .select_from(model)
        .join(ShipmentLine, line_column == model.id)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .join(Customer, Customer.id == Shipment.customer_id)
        .outerjoin(SalesOrder, SalesOrder.id == Shipment.order_id)
        .where(among(session, code, codes), Shipment.status == ShipmentStatus.SHIPPED.value))
    return [((kind, c), qty, unit, number, customer, name, order, line,
             None if at is None else at.isoformat())
            for c, qty, unit, number, customer, name, order, line, at in rows]


def share_fields(share: Fraction | None, reached: Reached) -> dict[str, Any]:
    """Return share, share_decimal, amount and unit of one node, as the trace writes them."""
    if share is None or reached.total is None:
        return {"share": None, "share_decimal": None, "amount": None, "unit": None}
    return {"share": str(share), "share_decimal": amount_text(as_decimal(share)),
            "amount": amount_text(as_decimal(share * reached.total)), "unit": reached.unit}
