"""Customer shipments: open one, ship it (stock out, ship edges, the order follows), cancel it.

Lines are added and removed in shipment_lines; packing-station scans in packing. Every
change locks the shipment's row first and then what it carries (serials, lots) in id order,
so two packers or a packer and a planner shipping never cross. Every change is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import numbering
from ..domain.genealogy import NodeKind, Relation
from ..domain.lots import LotStatus
from ..domain.quantities import Quantity, amount_text
from ..domain.serials import SerialStatus, check_serial_transition
from ..domain.shipments import ShipmentStatus, check_shipment_transition
from ..errors import Conflict, NotFound, Unprocessable
from ..models import (
    Customer,
    GenealogyNode,
    Lot,
    SalesOrder,
    Serial,
    Shipment,
    ShipmentLine,
    Station,
    utcnow,
)
from . import audit, genealogy, sales, sequences, stock
from .actors import Actor
from .lookup import by_number


def shipment_by_number(session: Session, number: str, *, lock: bool = False) -> Shipment:
    """Return a shipment, or raise unknown_shipment; lock=True takes its row lock."""
    return by_number(session, Shipment, number, lock=lock, kind="shipment")


def create_shipment(session: Session, actor: Actor, *, customer: str | None = None,
                    order: str | None = None, delivery_date: date | None = None,
                    notes: str = "", station: str | None = None,
                    role: str = "planner") -> dict[str, Any]:
    """Open a shipment for a customer (and sales order); customer defaults to the order's."""
    actor.require(role)
    sales_order = sales.order_by_number(session, order) if order else None
    cust = _customer(session, customer, sales_order)
    at = station_by_name(session, station) if station else None
    year = utcnow().year
    seq = sequences.take(session, numbering.sequence_key(numbering.SHIPMENT_PREFIX, year))[0]
    shipment = Shipment(number=numbering.shipment_number(year, seq), customer=cust,
                        order=sales_order, delivery_date=delivery_date, notes=notes,
                        created_by=actor.name)
    session.add(shipment)
    session.flush()
    if at is not None:
        put_at_station(session, shipment, at)
    audit.record(session, actor, "shipment.create", "shipment", shipment.number,
                 customer=cust.code, order=order, delivery_date=delivery_date,
                 station=station)
    return shipment_dict(session, shipment)


def _customer(session: Session, code: str | None, order: SalesOrder | None) -> Customer:
    if order is not None and code and order.customer.code != code:
        raise Unprocessable(f"order {order.number} is {order.customer.code}'s, not {code}'s",
                            code="wrong_customer", field="customer")
    if order is not None:
        return order.customer
    if not code:
        raise Unprocessable("a shipment needs a customer or a sales order",
                            code="customer_required", field="customer")
    cust = session.scalar(select(Customer).where(Customer.code == code))
    if cust is None:
        raise NotFound(f"no customer {code!r}", code="unknown_customer", field="customer")
    return cust


def station_by_name(session: Session, name: str) -> Station:
    """Return a station, or raise unknown_station."""
    found = session.scalar(select(Station).where(Station.name == name))
    if found is None:
        raise NotFound(f"no station {name!r}", code="unknown_station", field="station")
    return found


def put_at_station(session: Session, shipment: Shipment, station: Station) -> None:
    """Make the shipment the one its station packs into (one open shipment per station)."""
    for other in session.scalars(select(Shipment).where(
            Shipment.station_id == station.id, Shipment.id != shipment.id,
            Shipment.status == ShipmentStatus.OPEN.value)):
        other.station_id = None
    shipment.station_id = station.id


def require_open(shipment: Shipment) -> None:
    """Raise shipment_closed unless the shipment is still open."""
    if shipment.status != ShipmentStatus.OPEN.value:
        raise Conflict(f"shipment {shipment.number} is {shipment.status}",
                       code="shipment_closed", status=shipment.status)


def ship(session: Session, actor: Actor, number: str, *, shipped_at: datetime | None = None,
         role: str = "planner") -> dict[str, Any]:
    """Ship an open shipment: serials shipped, lots' ship movements, ship edges, the order."""
    actor.require(role)
    shipment = shipment_by_number(session, number, lock=True)
    require_open(shipment)
    if not shipment.lines:
        raise Conflict(f"shipment {number} has nothing on it", code="empty_shipment")
    at = shipped_at or utcnow()
    node = genealogy.node(session, NodeKind.SHIPMENT, shipment.number, shipment.id)
    record = f"shipment:{shipment.number}"
    for line in sorted(shipment.lines, key=lambda ln: (ln.serial_id or 0, ln.lot_id or 0)):
        if line.serial_id is not None:
            _ship_serial(session, actor, line, node, record, at)
        else:
            _ship_lot(session, actor, line, node, record, at)
    check_shipment_transition(ShipmentStatus(shipment.status), ShipmentStatus.SHIPPED)
    shipment.status, shipment.shipped_at = ShipmentStatus.SHIPPED.value, at
    shipment.shipped_by = actor.name
    audit.record(session, actor, "shipment.ship", "shipment", number, lines=len(shipment.lines),
                 shipped_at=at.isoformat())
    if shipment.order is not None:
        sales.follow_shipments(session, actor, shipment.order, reason=f"shipment {number}")
    session.flush()
    return shipment_dict(session, shipment)


def _ship_serial(session: Session, actor: Actor, line: ShipmentLine, node: GenealogyNode,
                 record: str, at: datetime) -> None:
    serial = session.scalar(select(Serial).where(Serial.id == line.serial_id)
                            .with_for_update(of=Serial).execution_options(populate_existing=True))
    assert serial is not None
    if serial.status == SerialStatus.QUARANTINED.value:
        raise Conflict(f"serial {serial.code} is quarantined", code="quarantined",
                       serial=serial.code)
    if serial.status != SerialStatus.IN_STOCK.value:
        raise Conflict(f"serial {serial.code} is {serial.status}", code="already_shipped",
                       serial=serial.code, status=serial.status)
    check_serial_transition(SerialStatus(serial.status), SerialStatus.SHIPPED)
    entry = audit.record(session, actor, "serial.ship", "serial", serial.code,
                         before=serial.status, after=SerialStatus.SHIPPED.value,
                         shipment=record)
    serial.status = SerialStatus.SHIPPED.value
    session.flush()
    parent = genealogy.node(session, NodeKind.SERIAL, serial.code, serial.id)
    genealogy.link(session, parent, node, Relation.SHIP, Quantity(line.quantity, line.unit),
                   record=record, audit_id=entry.id, at=at)


def _ship_lot(session: Session, actor: Actor, line: ShipmentLine, node: GenealogyNode,
              record: str, at: datetime) -> None:
    lot = session.get(Lot, line.lot_id)
    assert lot is not None
    lot = stock.lot_by_number(session, lot.number, lock=True)
    if lot.status == LotStatus.QUARANTINED.value:
        raise Conflict(f"lot {lot.number} is quarantined", code="quarantined", lot=lot.number)
    have = stock.on_hand(session, lot)
    if lot.status != LotStatus.AVAILABLE.value or have.amount < line.quantity:
        raise Unprocessable(f"lot {lot.number} has {have} on hand, not {line.quantity}",
                            code="more_than_on_hand", lot=lot.number,
                            on_hand=amount_text(have.amount))
    stock.ship(session, lot, Quantity(line.quantity, line.unit), to=node, record=record,
               actor=actor, at=at)


def cancel(session: Session, actor: Actor, number: str, *, reason: str = "",
           role: str = "planner") -> dict[str, Any]:
    """Cancel an open shipment; its lines stay as a record but hold nothing any more."""
    actor.require(role)
    shipment = shipment_by_number(session, number, lock=True)
    require_open(shipment)
    check_shipment_transition(ShipmentStatus(shipment.status), ShipmentStatus.CANCELLED)
    audit.record(session, actor, "shipment.cancel", "shipment", number, reason=reason,
                 before=shipment.status, after=ShipmentStatus.CANCELLED.value)
    shipment.status = ShipmentStatus.CANCELLED.value
    shipment.station_id = None
    return shipment_dict(session, shipment)


def list_shipments(session: Session, *, status: str = "", customer: str = "",
                   order: str = "") -> list[dict[str, Any]]:
    """List shipments newest first, by status, customer (code or name, in part) or order."""
    stmt = select(Shipment).join(Shipment.customer).order_by(Shipment.id.desc()).limit(500)
    if status:
        stmt = stmt.where(Shipment.status == status)
    if customer:
        like = f"%{customer.lower()}%"
        stmt = stmt.where(Customer.code.ilike(like) | Customer.name.ilike(like))
    if order:
        stmt = stmt.where(Shipment.order.has(number=order))
    return [shipment_dict(session, s, lines=False) for s in session.scalars(stmt).unique()]


def shipment_dict(session: Session, shipment: Shipment, *, lines: bool = True
                  ) -> dict[str, Any]:
    """Return what the API answers for a shipment (with its lines unless lines=False)."""
    station = session.get(Station, shipment.station_id) if shipment.station_id else None
    answer: dict[str, Any] = {
        "number": shipment.number, "customer": shipment.customer.code,
        "customer_name": shipment.customer.name,
        "order": shipment.order.number if shipment.order else None,
        "status": shipment.status,
        "delivery_date": shipment.delivery_date.isoformat() if shipment.delivery_date else None,
        "station": station.name if station else None, "notes": shipment.notes,
        "created_by": shipment.created_by, "created_at": shipment.created_at.isoformat(),
        "shipped_at": shipment.shipped_at.isoformat() if shipment.shipped_at else None,
        "shipped_by": shipment.shipped_by, "line_count": len(shipment.lines)}
    if lines:
        answer["lines"] = [line_dict(ln) for ln in shipment.lines]
    return answer


def line_dict(line: ShipmentLine) -> dict[str, Any]:
    """Return what the API answers for a shipment line."""
    session = Session.object_session(line)
    assert session is not None
    if line.serial_id is not None:
        serial = session.get(Serial, line.serial_id)
        assert serial is not None
        kind, code, item = "serial", serial.code, serial.item
        where = serial.location.code if serial.location else None
    else:
        lot = session.get(Lot, line.lot_id)
        assert lot is not None
        kind, code, item, where = "lot", lot.number, lot.item, lot.location.code
    return {"line_no": line.line_no, "kind": kind, "code": code, "item": item.sku,
            "item_name": item.name, "quantity": amount_text(line.quantity), "unit": line.unit,
            "location": where, "added_by": line.added_by, "added_at": line.added_at.isoformat()}
