"""REST: customer shipments, their lines, shipping, packing slips and packing stations."""

from __future__ import annotations

from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from ..services import packing, shipment_lines, shipment_slip, shipments
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .shipment_schemas import (
    PackingPickIn,
    ShipmentCancelIn,
    ShipmentCandidateQuery,
    ShipmentIn,
    ShipmentLineIn,
    ShipmentQuery,
    ShipmentShipIn,
    StationPackingIn,
)


@endpoint("/shipments", tag="shipments", query=ShipmentQuery, response=LIST)
def list_shipments(db: Session, actor: Actor, query: ShipmentQuery) -> Any:
    """List shipments, newest first, by status, customer or order."""
    return shipments.list_shipments(db, status=query.status, customer=query.customer,
                                    order=query.order)


@endpoint("/shipments", "POST", role="planner", body=ShipmentIn, status=201, tag="shipments")
def create_shipment(db: Session, actor: Actor, body: ShipmentIn) -> Any:
    """Open a shipment for a customer (and sales order)."""
    return shipments.create_shipment(db, actor, **body.model_dump())


@endpoint("/shipments/<number>", tag="shipments")
def get_shipment(db: Session, actor: Actor, number: str) -> Any:
    """Return one shipment with its lines."""
    return shipments.shipment_dict(db, shipments.shipment_by_number(db, number))


@endpoint("/shipments/<number>/lines", "POST", role="operator", body=ShipmentLineIn, status=201,
          tag="shipments")
def add_line(db: Session, actor: Actor, number: str, body: ShipmentLineIn) -> Any:
    """Put a serial, or a quantity of a lot, onto an open shipment."""
    return shipment_lines.add_line(db, actor, number, body.code, quantity=body.quantity,
                                   unit=body.unit, event_id=body.event_id)


@endpoint("/shipments/<number>/lines/<int:line_no>", "DELETE", role="operator",
          tag="shipments")
def remove_line(db: Session, actor: Actor, number: str, line_no: int) -> Any:
    """Take a line off an open shipment."""
    return shipment_lines.remove_line(db, actor, number, line_no)


@endpoint("/shipments/<number>/candidates", tag="shipments", query=ShipmentCandidateQuery,
          response=LIST)
def candidates(db: Session, actor: Actor, number: str, query: ShipmentCandidateQuery) -> Any:
    """List serials in stock and lots free to ship, by code or item, to pick onto it."""
    shipments.shipment_by_number(db, number)
    return shipment_lines.candidates(db, query.q)


@endpoint("/shipments/<number>/ship", "POST", role="planner", body=ShipmentShipIn, tag="shipments")
def ship(db: Session, actor: Actor, number: str, body: ShipmentShipIn) -> Any:
    """Ship it: stock out, ship edges, the sales order's status follows."""
    return shipments.ship(db, actor, number, shipped_at=body.shipped_at)


@endpoint("/shipments/<number>/cancel", "POST", role="planner", body=ShipmentCancelIn,
          tag="shipments")
def cancel(db: Session, actor: Actor, number: str, body: ShipmentCancelIn) -> Any:
    """Cancel an open shipment."""
    return shipments.cancel(db, actor, number, reason=body.reason)


@endpoint("/shipments/<number>/slip.pdf", tag="shipments", media=("application/pdf",))
def slip(db: Session, actor: Actor, number: str) -> Any:
    """Return the shipment's packing slip as a PDF."""
    pdf = shipment_slip.slip_pdf(shipments.shipment_dict(db, shipments.shipment_by_number(
        db, number)))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{number}.pdf"'})


@endpoint("/stations/<name>/packing", "PUT", role="planner", body=StationPackingIn, tag="shipments")
def set_packing(db: Session, actor: Actor, name: str, body: StationPackingIn) -> Any:
    """Make a station a packing station (or not)."""
    return packing.set_packing(db, actor, name, body.packing)


@endpoint("/stations/<name>/shipment", tag="shipments")
def station_shipment(db: Session, actor: Actor, name: str) -> Any:
    """Return the shipment a packing station packs into (null if none)."""
    return packing.station_shipment(db, name)


@endpoint("/stations/<name>/shipment", "POST", role="operator", body=PackingPickIn, tag="shipments")
def pick_shipment(db: Session, actor: Actor, name: str, body: PackingPickIn) -> Any:
    """Pack at this station into an open shipment, or open one for an order."""
    return packing.pick(db, actor, name, **body.model_dump())


@endpoint("/stations/<name>/shipment/ship", "POST", role="operator", body=ShipmentShipIn,
          tag="shipments")
def ship_here(db: Session, actor: Actor, name: str, body: ShipmentShipIn) -> Any:
    """Ship the packing station's shipment (the packer closes the box)."""
    return packing.ship_here(db, actor, name, shipped_at=body.shipped_at)
