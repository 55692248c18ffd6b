"""Customers and sales orders with their lines and status flow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import numbering
from ..domain.orders import (
    TRANSITIONS,
    OrderStatus,
    following_runs,
    following_shipments,
    next_statuses,
)
from ..domain.quantities import Quantity, amount_text, positive
from ..domain.runs import RunStatus
from ..domain.shipments import ShipmentStatus
from ..errors import BadRequest, Conflict, NotFound
from ..models import (
    Customer,
    Lot,
    ProductionRun,
    SalesOrder,
    SalesOrderLine,
    Serial,
    Shipment,
    ShipmentLine,
    utcnow,
)
from . import audit, sequences
from .actors import Actor
from .catalog import item_by_sku


def create_customer(session: Session, actor: Actor, *, code: str, name: str) -> dict[str, Any]:
    actor.require("planner")
    if session.scalar(select(Customer.id).where(Customer.code == code)):
        raise Conflict(f"customer {code!r} exists", code="duplicate_customer")
    customer = Customer(code=code, name=name)
    session.add(customer)
    session.flush()
    audit.record(session, actor, "customer.create", "customer", code, name=name)
    return {"code": customer.code, "name": customer.name}


def update_customer(session: Session, actor: Actor, code: str, *, name: str
                    ) -> dict[str, Any]:
    """Rename a customer; the code stays, as orders and shipments refer to it."""
    actor.require("planner")
    customer = session.scalar(select(Customer).where(Customer.code == code))
    if customer is None:
        raise NotFound(f"no customer {code!r}", code="unknown_customer")
    audit.record(session, actor, "customer.update", "customer", code, before=customer.name,
                 after=name)
    customer.name = name
    return {"code": customer.code, "name": customer.name}


def list_customers(session: Session) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name}
            for c in session.scalars(select(Customer).order_by(Customer.code))]


def create_order(session: Session, actor: Actor, *, customer: str,
                 lines: list[tuple[str, Decimal, str]], due_date: date | None = None,
                 notes: str = "") -> dict[str, Any]:
    """Create a sales order in Estimate status from (sku, quantity, unit) lines."""
    actor.require("planner")
    cust = session.scalar(select(Customer).where(Customer.code == customer))
    if cust is None:
        raise NotFound(f"no customer {customer!r}", code="unknown_customer")
    if not lines:
        raise BadRequest("an order needs at least one line", code="no_lines")
    seq = sequences.take(session, numbering.sequence_key(numbering.ORDER_PREFIX, utcnow().year))[0]
    order = SalesOrder(number=numbering.order_number(utcnow().year, seq), customer=cust,
                       due_date=due_date, notes=notes)
    for no, (sku, qty, unit) in enumerate(lines, start=1):
        item = item_by_sku(session, sku)
        amount = positive(qty, unit).to(item.unit)
        order.lines.append(SalesOrderLine(line_no=no, item=item, quantity=amount.amount,
                                          unit=item.unit))
    session.add(order)
    session.flush()
    audit.record(session, actor, "order.create", "order", order.number, customer=customer)
    return order_dict(session, order)


def order_by_number(session: Session, number: str) -> SalesOrder:
    order = session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    if order is None:
        raise NotFound(f"no sales order {number!r}", code="unknown_order")
    return order


def set_order_status(session: Session, actor: Actor, number: str, status: str,
                     reason: str = "") -> dict[str, Any]:
    """Move an order along Estimate → Confirmed → In production → Shipped."""
    actor.require("planner")
    order = order_by_number(session, number)
    if status not in OrderStatus.__members__.values():
        raise BadRequest(f"unknown status {status!r}", code="invalid_status")
    to = OrderStatus(status)
    if to not in TRANSITIONS[OrderStatus(order.status)]:
        raise Conflict(f"an order in {order.status} cannot become {to.value}",
                       code="invalid_status_change", status=order.status)
    audit.record(session, actor, "order.status", "order", number, reason=reason,
                 before=order.status, after=to.value)
    order.status = to.value
    return order_dict(session, order)


def open_runs(session: Session, order: SalesOrder) -> list[str]:
    """Return the numbers of an order's runs that are not cancelled."""
    return list(session.scalars(select(ProductionRun.number).where(
        ProductionRun.sales_order_id == order.id,
        ProductionRun.status != RunStatus.CANCELLED.value)
        .order_by(ProductionRun.id)))


def follow_runs(session: Session, actor: Actor, order: SalesOrder, *, reason: str) -> None:
    """Move an order with its runs: in production while one is live, else back to Confirmed."""
    after = following_runs(OrderStatus(order.status), live_runs=bool(open_runs(session, order)))
    if after != order.status:  # shipped or cancelled orders keep their status
        audit.record(session, actor, "order.status", "order", order.number, reason=reason,
                     before=order.status, after=after.value)
        order.status = after.value


def follow_shipments(session: Session, actor: Actor, order: SalesOrder, *, reason: str
                     ) -> None:
    """Mark an open order shipped once each line's quantity has left on shipped shipments."""
    shipped = shipped_by_item(session, order)
    full = all(shipped.get(ln.item_id, Decimal(0)) >= ln.quantity for ln in order.lines)
    after = following_shipments(OrderStatus(order.status), fully_shipped=full)
    if after != order.status:
        audit.record(session, actor, "order.status", "order", order.number, reason=reason,
                     before=order.status, after=after.value)
        order.status = after.value


def shipped_by_item(session: Session, order: SalesOrder) -> dict[int, Decimal]:
    """Return how much of each item has left on the order's shipped shipments (line units)."""
    units = {ln.item_id: ln.unit for ln in order.lines}
    rows = session.execute(
        select(func.coalesce(Serial.item_id, Lot.item_id), ShipmentLine.quantity,
               ShipmentLine.unit)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .outerjoin(Serial, Serial.id == ShipmentLine.serial_id)
        .outerjoin(Lot, Lot.id == ShipmentLine.lot_id)
        .where(Shipment.order_id == order.id,
               Shipment.status == ShipmentStatus.SHIPPED.value))
    total: dict[int, Decimal] = {}
    for item_id, amount, unit in rows:
        if item_id in units:  # what the order does not list counts towards nothing
            moved = Quantity(amount, unit).to(units[item_id]).amount
            total[item_id] = total.get(item_id, Decimal(0)) + moved
    return total


def order_dict(session: Session, order: SalesOrder) -> dict[str, Any]:
    runs = session.scalars(select(ProductionRun.number)
                           .where(ProductionRun.sales_order_id == order.id)).all()
    return {
        "number": order.number, "customer": order.customer.code,
        "customer_name": order.customer.name, "status": order.status,
        # The statuses a planner may move it to next (the page offers only these).
        "next_statuses": [s.value for s in next_statuses(OrderStatus(order.status))],
        "due_date": order.due_date.isoformat() if order.due_date else None,
        "notes": order.notes, "created_at": order.created_at.isoformat(), "runs": list(runs),
        "lines": [{"line_no": ln.line_no, "item": ln.item.sku, "quantity": amount_text(ln.quantity),
                   "unit": ln.unit} for ln in order.lines],
    }


def list_orders(session: Session, *, status: str = "") -> list[dict[str, Any]]:
    stmt = select(SalesOrder).order_by(SalesOrder.id.desc())
    if status:
        stmt = stmt.where(SalesOrder.status == status)
    return [order_dict(session, o) for o in session.scalars(stmt)]
