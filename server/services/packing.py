"""Packing stations: a station flagged for packing packs what is scanned there onto its shipment.

The station's shipment is the open shipment whose station is this one (at most one: picking
or opening another takes the station off the last). At a packing station a serial's or a
lot's label goes onto that shipment through the normal scan path (a lot's whole free
quantity; a part of it is picked on the shipment's page), and a shipment's number picks that
shipment. The line is written in a savepoint of the scan's own transaction with the scan's
event_id, so a resent scan answers its first result and adds nothing; a refusal leaves only
the rejected scan event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.orm import Session

from ..domain.batches import Outcome, Reason
from ..domain.lots import LotStatus
from ..domain.shipments import ShipmentStatus
from ..errors import Conflict, FloorlineError
from ..models import Lot, Shipment, Station
from . import audit, shipment_lines, shipments
from .actors import Actor

S = cast(Table, Station.__table__)
PACKED = "packed"           # the transition an accepted serial or lot scan reports
PICKED = "shipment_picked"  # a shipment's number scanned: packing goes onto it now
STATION_PACKING = select(S.c.packing, S.c.enabled, S.c.token_hash).where(
    S.c.id == bindparam("station_id"))

# The service's refusal codes, as the scan reasons the kiosk shows in words.
REASONS = {"already_shipped": Reason.ALREADY_SHIPPED, "quarantined": Reason.QUARANTINED,
           "more_than_on_hand": Reason.MORE_THAN_ON_HAND,
           "shipment_closed": Reason.SHIPMENT_CLOSED, "not_shippable": Reason.NOT_SHIPPABLE,
           "unknown_code": Reason.UNKNOWN_CODE, "unknown_shipment": Reason.UNKNOWN_CODE}
TEXT = {
    Reason.NO_SHIPMENT_HERE: "No shipment is open at this packing station",
    Reason.ALREADY_SHIPPED: "Already on a shipment or shipped",
    Reason.QUARANTINED: "Quarantined: it cannot be shipped",
    Reason.MORE_THAN_ON_HAND: "Nothing of this lot is free to ship",
    Reason.SHIPMENT_CLOSED: "This shipment is shipped or cancelled",
    Reason.NOT_SHIPPABLE: "This cannot be shipped",
}


@dataclass(frozen=True, slots=True)
class PackScan:
    """What a scan at a packing station did: the line packed, the shipment picked, or why not."""

    outcome: Outcome
    reason: Reason | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    transition: str = PACKED


def is_packing(conn: Connection, station_id: int) -> bool:
    """Tell whether the station packs (read with each scan: a planner may change it)."""
    return bool(conn.execute(STATION_PACKING, {"station_id": station_id}).one()[0])


def pack_here(conn: Connection, station_id: int, kind: str, code: str, *, event_id: str,
              operator: str | None, station_name: str, token_hash: str | None) -> PackScan:
    """Pack a scanned serial or lot onto the station's shipment (or pick a shipment), once."""
    _, enabled, token = conn.execute(STATION_PACKING, {"station_id": station_id}).one()
    if token_hash is not None and token != token_hash:
        return PackScan(Outcome.REJECTED, Reason.NOT_AUTHORIZED)
    if not enabled:
        return PackScan(Outcome.REJECTED, Reason.STATION_DISABLED)
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    actor = Actor(operator or f"station:{station_name}", "station", station_id=station_id)
    try:
        if kind == "shipment":
            return _pick(session, station_id, code, actor)
        return _pack(session, station_id, code, actor, event_id)
    finally:
        session.close()


def _pack(session: Session, station_id: int, code: str, actor: Actor, event_id: str
          ) -> PackScan:
    number = session.scalar(select(Shipment.number).where(
        Shipment.station_id == station_id, Shipment.status == ShipmentStatus.OPEN.value)
        .order_by(Shipment.id.desc()).limit(1))
    if number is None:
        return PackScan(Outcome.REJECTED, Reason.NO_SHIPMENT_HERE, {"scanned": code})
    fields: dict[str, Any] = {"shipment": number, "scanned": code}
    try:
        quantity = None
        lot = session.scalar(select(Lot).where(Lot.number == code))
        if lot is not None:  # a lot's label packs all of it that is free to ship
            free = shipment_lines.available(session, lot)
            if not free.is_positive() and lot.status != LotStatus.QUARANTINED.value:
                return PackScan(Outcome.REJECTED, Reason.MORE_THAN_ON_HAND, fields)
            quantity = free.amount if free.is_positive() else None
        line = shipment_lines.add_line(session, actor, number, code, event_id=event_id,
                                       quantity=quantity)
        session.commit()  # releases the savepoint; the scan's transaction commits it all
    except FloorlineError as err:
        session.rollback()
        return PackScan(Outcome.REJECTED, REASONS.get(err.code, Reason.NOT_SHIPPABLE), fields)
    fields.update(line=line["line_no"], kind=line["kind"], item=line["item"],
                  quantity=line["quantity"], unit=line["unit"])
    fields["lot" if line["kind"] == "lot" else "serial"] = line["code"]
    return PackScan(Outcome.ACCEPTED, None, fields)


def _pick(session: Session, station_id: int, number: str, actor: Actor) -> PackScan:
    try:
        shipment = shipments.shipment_by_number(session, number, lock=True)
        shipments.require_open(shipment)
    except FloorlineError as err:
        session.rollback()
        return PackScan(Outcome.REJECTED, REASONS.get(err.code, Reason.UNKNOWN_CODE),
                        {"shipment": number}, PICKED)
    station = session.get(Station, station_id)
    assert station is not None
    shipments.put_at_station(session, shipment, station)
    audit.record(session, actor, "shipment.pick", "shipment", number, station=station.name)
    session.commit()
    return PackScan(Outcome.ACCEPTED, None, {"shipment": number,
                                             "customer": shipment.customer.code}, PICKED)


def set_packing(session: Session, actor: Actor, name: str, packing: bool) -> dict[str, Any]:
    """Make a station a packing station, or an ordinary one again."""
    actor.require("planner")
    station = shipments.station_by_name(session, name)
    if station.packing != packing:
        audit.record(session, actor, "station.packing", "station", name,
                     before=station.packing, after=packing)
        station.packing = packing
    return {"name": station.name, "packing": station.packing}


def station_shipment(session: Session, name: str) -> dict[str, Any]:
    """Return the packing station and its shipment (with lines), or shipment None."""
    station = shipments.station_by_name(session, name)
    shipment = session.scalar(select(Shipment).where(
        Shipment.station_id == station.id, Shipment.status == ShipmentStatus.OPEN.value)
        .order_by(Shipment.id.desc()).limit(1))
    return {"station": station.name, "packing": station.packing,
            "shipment": shipments.shipment_dict(session, shipment) if shipment else None}


def pick(session: Session, actor: Actor, name: str, *, shipment: str | None = None,
         order: str | None = None, customer: str | None = None,
         delivery_date: date | None = None) -> dict[str, Any]:
    """Pack at this station into an open shipment, or into a new one for an order/customer."""
    actor.require("operator")
    station = shipments.station_by_name(session, name)
    if not station.packing:
        raise Conflict(f"station {name} is not a packing station",
                             code="not_a_packing_station")
    if shipment is not None:
        found = shipments.shipment_by_number(session, shipment, lock=True)
        shipments.require_open(found)
        shipments.put_at_station(session, found, station)
        audit.record(session, actor, "shipment.pick", "shipment", found.number,
                     station=station.name)
    else:
        shipments.create_shipment(session, actor, customer=customer, order=order,
                                  delivery_date=delivery_date, station=name, role="operator")
    session.flush()
    return station_shipment(session, name)


def ship_here(session: Session, actor: Actor, name: str, *,
              shipped_at: datetime | None = None) -> dict[str, Any]:
    """Ship the packing station's shipment: the packer at the station closes the box."""
    actor.require("operator")
    current = station_shipment(session, name)["shipment"]
    if current is None:
        raise Conflict(f"no shipment is open at station {name}", code="no_shipment_here")
    return shipments.ship(session, actor, current["number"], shipped_at=shipped_at,
                          role="operator")
