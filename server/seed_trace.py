"""The demo's finished goods and customer shipments, so /shipments and /trace show a chain.

A finished-goods location, a second customer with a confirmed order, eight finished FRAME-100
serials and a finished lot of ROD-8 (each from its own batch), two shipped shipments (Nordwerk's
order shipped in full, Acme's in part) and one open at the packing station pack-1.
Each is made as the floor would: the received tube or bar issued to a batch, the batch scanned
through its routing at the demo's stations, completed with a passed inspection; the shipments
go through the shipment services as a planner would. So a recall of the tube's supplier batch
finds serials at two customers and in stock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .domain.quantities import Quantity
from .models import Item, Operation, Station, utcnow
from .seed import OPERATORS
from .services import (
    batches,
    completions,
    locations,
    packing,
    runs,
    sales,
    scans,
    shipment_lines,
    stock,
)
from .services import serials as serial_types
from .services import shipments as shipping
from .services.actors import SYSTEM
from .settings import Settings

FINISHED = ("FG", "Finished goods")
CUSTOMER = ("NORD", "Nordwerk Maschinenbau GmbH")
PACKING_STATION = "pack-1"
SERIAL_TYPE = "FR"


@dataclass
class DemoShipments:
    shipments: list[str] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)
    lot: str = ""


def seed_trace(session: Session, *, acme_order: str, materials: list[str],
               warehouse: str = "WH-1", settings: Settings | None = None) -> DemoShipments:
    """Make finished goods of the received materials (tube, bar) and ship some of them to two
    customers; one shipment stays open at the packing station."""
    tube, bar = materials
    serial_types.set_serial_type(session, SYSTEM, "FRAME-100", SERIAL_TYPE)
    locations.create_location(session, SYSTEM, warehouse=warehouse, code=FINISHED[0],
                              name=FINISHED[1])
    sales.create_customer(session, SYSTEM, code=CUSTOMER[0], name=CUSTOMER[1])
    order = sales.create_order(session, SYSTEM, customer=CUSTOMER[0],
                               lines=[("FRAME-100", Decimal(2), "pcs"),
                                      ("ROD-8", Decimal(5), "kg")])["number"]
    sales.set_order_status(session, SYSTEM, order, "confirmed")
    serials = finished_serials(session, "FRAME-100", 8, material=tube, kg=Decimal(24),
                               settings=settings)
    lot = finished_lot(session, "ROD-8", Decimal(10), material=bar, kg=Decimal(10),
                       settings=settings)
    packing.set_packing(session, SYSTEM, PACKING_STATION, True)
    made = DemoShipments(serials=serials, lot=lot)
    week = utcnow().date() + timedelta(days=7)
    for customer, sales_order, codes, lot_qty, ship in (
            (CUSTOMER[0], order, serials[:2], Decimal(5), True),
            ("ACME", acme_order, serials[2:5], None, True),
            ("ACME", acme_order, serials[5:6], None, False)):
        number = shipping.create_shipment(session, SYSTEM, customer=customer, order=sales_order,
                                          delivery_date=week,
                                          station=None if ship else PACKING_STATION)["number"]
        for code in codes:
            shipment_lines.add_line(session, SYSTEM, number, code)
        if lot_qty is not None:
            shipment_lines.add_line(session, SYSTEM, number, lot, quantity=lot_qty, unit="kg")
        if ship:
            shipping.ship(session, SYSTEM, number)
        made.shipments.append(number)
    return made


def finished_serials(session: Session, sku: str, count: int, *, material: str, kg: Decimal,
                     settings: Settings | None = None) -> list[str]:
    """Make count pieces of sku of kg of the material lot, worked through every step of the
    routing at the demo's stations and completed with a passed inspection into serials."""
    code = _worked_batch(session, sku, Decimal(count), "pcs", material, kg, settings)
    done = completions.complete_batch(session, SYSTEM, code, completions.CompletionIn(
        quantity_completed=Decimal(count), quantity_defective=Decimal(0), inspector="raj",
        result="pass", output="serials", location=FINISHED[0], bin="A-01",
        notes="Dimensions and weld seams checked"))
    return [s["code"] for s in done["serials"]]


def finished_lot(session: Session, sku: str, quantity: Decimal, *, material: str,
                 kg: Decimal, settings: Settings | None = None) -> str:
    """Make quantity of sku of kg of the material lot, through its routing, into one lot."""
    item = session.scalar(select(Item).where(Item.sku == sku))
    assert item is not None
    code = _worked_batch(session, sku, quantity, item.unit, material, kg, settings)
    done = completions.complete_batch(session, SYSTEM, code, completions.CompletionIn(
        quantity_completed=quantity, quantity_defective=Decimal(0), inspector="raj",
        result="pass", output="lot", location=FINISHED[0], bin="R-02"))
    number: str = done["lot"]["number"]
    return number


def _worked_batch(session: Session, sku: str, quantity: Decimal, unit: str, material: str,
                  kg: Decimal, settings: Settings | None) -> str:
    """Return a batch of its own run, issued kg of material and scanned through each step at
    the station of its operation by that station's operator, as the floor would."""
    run = runs.create_run(session, SYSTEM, [runs.BatchSpec(sku, quantity, unit, 1)],
                          notes="demo: finished goods")
    code: str = run["batches"][0]["code"]
    stock.issue(session, material, stock.Target("batch", code), Quantity(kg, "kg"),
                actor=SYSTEM)
    operator = {station: user for user, _, _, station in OPERATORS}
    for operation in batches.batch_detail(session, code)["routing"]:
        station = session.scalar(select(Station).join(Operation).where(
            Operation.code == operation).order_by(Station.id).limit(1))
        assert station is not None
        session.flush()
        result = scans.record_in(session.connection(), station.id, {
            "event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": utcnow().isoformat(), "source": "demo"}, settings or Settings(),
            operator=operator.get(station.name))
        assert result.ack["outcome"] == "accepted", result.ack
    session.expire_all()  # the scans wrote beside the ORM, on its connection
    return code
