"""Warehouses and their locations: where lots are kept (a rack/bin is free text on the lot)."""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound
from ..models import Location, Warehouse
from . import audit
from .actors import Actor


class WarehouseOut(TypedDict):
    code: str
    name: str
    locations: int


class LocationOut(TypedDict):
    code: str
    name: str
    warehouse: str


def warehouse_dict(w: Warehouse) -> WarehouseOut:
    return {"code": w.code, "name": w.name, "locations": len(w.locations)}


def location_dict(loc: Location) -> LocationOut:
    return {"code": loc.code, "name": loc.name, "warehouse": loc.warehouse.code}


def create_warehouse(session: Session, actor: Actor, *, code: str, name: str) -> WarehouseOut:
    """Add a warehouse; its code is unique."""
    actor.require("planner")
    if session.scalar(select(Warehouse.id).where(Warehouse.code == code)):
        raise Conflict(f"warehouse {code!r} exists", code="duplicate_warehouse", warehouse=code)
    w = Warehouse(code=code, name=name)
    session.add(w)
    session.flush()
    audit.record(session, actor, "warehouse.create", "warehouse", code, name=name)
    return warehouse_dict(w)


def create_location(session: Session, actor: Actor, *, warehouse: str, code: str, name: str
                    ) -> LocationOut:
    """Add a location to a warehouse; location codes are unique across the plant."""
    actor.require("planner")
    w = session.scalar(select(Warehouse).where(Warehouse.code == warehouse))
    if w is None:
        raise NotFound(f"no warehouse {warehouse!r}", code="unknown_warehouse",
                       warehouse=warehouse)
    if session.scalar(select(Location.id).where(Location.code == code)):
        raise Conflict(f"location {code!r} exists", code="duplicate_location", location=code)
    loc = Location(warehouse=w, code=code, name=name)
    session.add(loc)
    session.flush()
    audit.record(session, actor, "location.create", "location", code, name=name,
                 warehouse=warehouse)
    return location_dict(loc)


def location_by_code(session: Session, code: str) -> Location:
    loc = session.scalar(select(Location).where(Location.code == code))
    if loc is None:
        raise NotFound(f"no location {code!r}", code="unknown_location", location=code)
    return loc


def list_warehouses(session: Session) -> list[WarehouseOut]:
    return [warehouse_dict(w) for w in session.scalars(select(Warehouse)
                                                       .order_by(Warehouse.code))]


def list_locations(session: Session, *, warehouse: str = "") -> list[LocationOut]:
    stmt = select(Location).join(Warehouse).order_by(Warehouse.code, Location.code)
    if warehouse:
        stmt = stmt.where(Warehouse.code == warehouse)
    return [location_dict(loc) for loc in session.scalars(stmt)]
