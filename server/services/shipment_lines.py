"""What goes onto an open shipment: one serial, or a quantity of one lot; and taking it off.

Adding locks the shipment, then the serial or lot, so two packers cannot put one serial on
two shipments or promise more of a lot than it holds: a lot gives at most what it has on
hand minus what open shipments already hold of it. A line with an event_id already added
answers that line and writes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from ..domain.lots import LotStatus, exact
from ..domain.quantities import Quantity, amount_text
from ..domain.serials import SerialStatus
from ..domain.shipments import ShipmentStatus
from ..errors import BadRequest, Conflict, NotFound, Unprocessable
from ..models import Item, Lot, Serial, Shipment, ShipmentLine
from . import audit, stock
from .actors import Actor
from .shipments import line_dict, require_open, shipment_by_number

PIECES = "pcs"
# Shipments whose lines hold what they carry: an open one reserves, a shipped one took it.
_HOLDING = (ShipmentStatus.OPEN.value, ShipmentStatus.SHIPPED.value)


def add_line(session: Session, actor: Actor, number: str, code: str, *,
             quantity: Decimal | None = None, unit: str | None = None,
             event_id: str | None = None) -> dict[str, Any]:
    """Put a serial, or a quantity of a lot, onto an open shipment; refuse writing nothing."""
    actor.require("station") if actor.is_station else actor.require("operator")
    if event_id is not None:
        done = session.scalar(select(ShipmentLine).where(ShipmentLine.event_id == event_id))
        if done is not None:
            return line_dict(done)
    shipment = shipment_by_number(session, number, lock=True)
    require_open(shipment)
    serial = session.scalar(select(Serial).where(Serial.code == code.upper())
                            .with_for_update(of=Serial).execution_options(populate_existing=True))
    if serial is not None:
        if quantity is not None and (quantity != 1 or (unit or PIECES) != PIECES):
            raise Unprocessable("a serial is one piece", code="serial_is_one", field="quantity")
        _check_serial(session, serial)
        line = _new_line(session, shipment, actor, event_id, serial=serial,
                         quantity=Decimal(1), unit=PIECES)
    else:
        lot = session.scalar(select(Lot).where(Lot.number == code))
        if lot is None:
            raise NotFound(f"no serial or lot {code!r}", code="unknown_code", scanned=code)
        lot = stock.lot_by_number(session, lot.number, lock=True)
        qty = _lot_quantity(session, lot, quantity, unit)
        line = _new_line(session, shipment, actor, event_id, lot=lot, quantity=qty.amount,
                         unit=qty.unit)
    return line_dict(line)


def _check_serial(session: Session, serial: Serial) -> None:
    if serial.status == SerialStatus.QUARANTINED.value:
        raise Conflict(f"serial {serial.code} is quarantined", code="quarantined",
                       serial=serial.code)
    on = session.scalar(select(Shipment.number).join(ShipmentLine).where(
        ShipmentLine.serial_id == serial.id, Shipment.status.in_(_HOLDING)).limit(1))
    if on is not None or serial.status == SerialStatus.SHIPPED.value:
        raise Conflict(f"serial {serial.code} is already on shipment {on}" if on else
                       f"serial {serial.code} is shipped", code="already_shipped",
                       serial=serial.code, shipment=on)
    if serial.status != SerialStatus.IN_STOCK.value:
        raise Conflict(f"serial {serial.code} is {serial.status}", code="not_shippable",
                       serial=serial.code, status=serial.status)


def _lot_quantity(session: Session, lot: Lot, quantity: Decimal | None, unit: str | None
                  ) -> Quantity:
    """Return what of the lot the line takes, in the lot's unit, or refuse."""
    if lot.status == LotStatus.QUARANTINED.value:
        raise Conflict(f"lot {lot.number} is quarantined", code="quarantined", lot=lot.number)
    free = available(session, lot)
    if quantity is None:
        raise BadRequest("a lot line needs a quantity", code="quantity_required",
                         field="quantity", available=amount_text(free.amount), unit=lot.unit)
    try:
        qty = exact(Quantity.of(quantity, unit or lot.unit), lot.unit)
    except (DomainError, ValueError) as err:
        raise BadRequest(str(err), code="invalid_quantity", field="quantity") from err
    if not qty.is_positive():
        raise BadRequest("quantity must be greater than zero", code="invalid_quantity",
                         field="quantity")
    if lot.status != LotStatus.AVAILABLE.value or qty.amount > free.amount:
        raise Unprocessable(f"lot {lot.number} has {amount_text(free.amount)} {lot.unit} free "
                            f"to ship, not {amount_text(qty.amount)}", code="more_than_on_hand",
                            field="quantity", lot=lot.number, available=amount_text(free.amount),
                            unit=lot.unit, status=lot.status)
    return qty


def available(session: Session, lot: Lot) -> Quantity:
    """Return what of a lot is free to ship: on hand minus what open shipments hold."""
    held = session.scalar(select(func.coalesce(func.sum(ShipmentLine.quantity), 0))
                          .join(Shipment).where(ShipmentLine.lot_id == lot.id,
                                                Shipment.status == ShipmentStatus.OPEN.value))
    have = stock.on_hand(session, lot)
    return Quantity(max(have.amount - Decimal(held or 0), Decimal(0)), lot.unit)


def _new_line(session: Session, shipment: Shipment, actor: Actor, event_id: str | None, *,
              quantity: Decimal, unit: str, serial: Serial | None = None,
              lot: Lot | None = None) -> ShipmentLine:
    last = session.scalar(select(func.max(ShipmentLine.line_no))
                          .where(ShipmentLine.shipment_id == shipment.id))
    line = ShipmentLine(shipment_id=shipment.id, line_no=(last or 0) + 1,
                        serial_id=serial.id if serial else None, lot_id=lot.id if lot else None,
                        quantity=quantity, unit=unit, event_id=event_id, added_by=actor.name)
    session.add(line)
    session.flush()
    audit.record(session, actor, "shipment.add_line", "shipment", shipment.number,
                 line_no=line.line_no, serial=serial.code if serial else None,
                 lot=lot.number if lot else None, quantity=amount_text(quantity), unit=unit)
    session.refresh(shipment)
    return line


def remove_line(session: Session, actor: Actor, number: str, line_no: int, *,
                reason: str = "") -> dict[str, Any]:
    """Take a line off an open shipment (nothing of it is in the chain yet)."""
    actor.require("operator")
    shipment = shipment_by_number(session, number, lock=True)
    require_open(shipment)
    line = session.scalar(select(ShipmentLine).where(ShipmentLine.shipment_id == shipment.id,
                                                     ShipmentLine.line_no == line_no))
    if line is None:
        raise NotFound(f"shipment {number} has no line {line_no}", code="unknown_line",
                       line_no=line_no)
    answer = line_dict(line)
    audit.record(session, actor, "shipment.remove_line", "shipment", number, reason=reason,
                 line_no=line_no, code=answer["code"], quantity=answer["quantity"],
                 unit=answer["unit"])
    session.delete(line)
    session.flush()
    session.refresh(shipment)
    return answer


def candidates(session: Session, q: str = "", *, limit: int = 50) -> list[dict[str, Any]]:
    """List serials in stock and lots with stock free to ship, matching q (code or item)."""
    like = f"%{q.strip().lower()}%"
    held = select(ShipmentLine.serial_id).join(Shipment).where(
        Shipment.status.in_(_HOLDING), ShipmentLine.serial_id.is_not(None))
    serials = session.scalars(select(Serial).join(Serial.item).where(
        Serial.status == SerialStatus.IN_STOCK.value, Serial.id.not_in(held),
        or_(Serial.code.ilike(like), Item.sku.ilike(like), Item.name.ilike(like)))
        .order_by(Serial.code).limit(limit)).all()
    lots = session.scalars(select(Lot).join(Lot.item).where(
        Lot.status == LotStatus.AVAILABLE.value,
        or_(Lot.number.ilike(like), Item.sku.ilike(like), Item.name.ilike(like)))
        .order_by(Lot.number).limit(limit)).all()
    found: list[dict[str, Any]] = [
        {"kind": "serial", "code": s.code, "item": s.item.sku, "item_name": s.item.name,
         "available": "1", "unit": PIECES, "location": s.location.code if s.location else None,
         "bin": s.bin} for s in serials]
    for lot in lots:
        free = available(session, lot)
        if free.is_positive():
            found.append({"kind": "lot", "code": lot.number, "item": lot.item.sku,
                          "item_name": lot.item.name, "available": amount_text(free.amount),
                          "unit": lot.unit, "location": lot.location.code, "bin": lot.bin})
    return found[:limit]
