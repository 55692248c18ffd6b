"""Request bodies and queries of the shipments API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import StringConstraints

from .inventory_schemas import LotNumber, Reason
from .schemas import CLEAN, Body, Code, Quantity, Query, Text
from .schemas import Unit as UnitField

EventId = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F-]{36}$")]
Search = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), CLEAN]


class ShipmentIn(Body):
    customer: Code | None = None
    order: Code | None = None
    delivery_date: date | None = None
    notes: Text = ""
    station: Code | None = None


class ShipmentLineIn(Body):
    code: LotNumber  # a serial code or a lot number (a supplier's has any printable shape)
    quantity: Quantity | None = None
    unit: UnitField | None = None
    event_id: EventId | None = None


class ShipmentShipIn(Body):
    shipped_at: datetime | None = None


class ShipmentCancelIn(Body):
    reason: Reason = ""


class StationPackingIn(Body):
    packing: bool


class PackingPickIn(Body):
    """The shipment a packing station packs into, or what to open a new one for."""

    shipment: Code | None = None
    order: Code | None = None
    customer: Code | None = None
    delivery_date: date | None = None


class ShipmentQuery(Query):
    status: Literal["", "open", "shipped", "cancelled"] = ""
    customer: Search = ""
    order: Search = ""


class ShipmentCandidateQuery(Query):
    q: Search = ""
