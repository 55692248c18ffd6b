"""The demo's finished goods and customer shipments, so /shipments and /trace show a chain.

A finished-goods location, a second customer with a confirmed order, eight finished FRAME-100
serials and a finished lot of ROD-8 (each made from its own batch), two shipped shipments
(Nordwerk's order shipped in full, Acme's in part) and one open at the packing station pack-1.
The serials are model rows with their graph edges until the completion service (issue 13,
part "complete") makes them; the shipments go through the shipment services as a planner would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .domain import numbering
from .domain.genealogy import NodeKind, Relation
from .domain.lots import LotStatus
from .domain.quantities import Quantity
from .models import Batch, Completion, Item, Location, Serial, utcnow
from .services import genealogy, locations, packing, runs, sales, sequences, shipment_lines, stock
from .services import shipments as shipping
from .services.actors import SYSTEM

FINISHED = ("FG", "Finished goods")
CUSTOMER = ("NORD", "Nordwerk Maschinenbau GmbH")
PACKING_STATION = "pack-1"
SERIAL_TYPE = "FR"


@dataclass
class DemoShipments:
    shipments: list[str] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)
    lot: str = ""


def seed_trace(session: Session, *, acme_order: str, warehouse: str = "WH-1") -> DemoShipments:
    """Add finished goods and ship some of them to two customers; one shipment stays open."""
    locations.create_location(session, SYSTEM, warehouse=warehouse, code=FINISHED[0],
                              name=FINISHED[1])
    sales.create_customer(session, SYSTEM, code=CUSTOMER[0], name=CUSTOMER[1])
    order = sales.create_order(session, SYSTEM, customer=CUSTOMER[0],
                               lines=[("FRAME-100", Decimal(2), "pcs"),
                                      ("ROD-8", Decimal(5), "kg")])["number"]
    sales.set_order_status(session, SYSTEM, order, "confirmed")
    serials = finished_serials(session, "FRAME-100", 8)
    lot = finished_lot(session, "ROD-8", Decimal(10))
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


def _finished_batch(session: Session, sku: str, quantity: Decimal, unit: str) -> Batch:
    run = runs.create_run(session, SYSTEM, [runs.BatchSpec(sku, quantity, unit, 1)],
                          notes="demo: finished goods")
    batch = session.scalar(select(Batch).where(Batch.code == run["batches"][0]["code"]))
    assert batch is not None
    return batch


def _completion(batch: Batch, quantity: Decimal, unit: str, output: str) -> Completion:
    return Completion(run_id=batch.run_id, batch_id=batch.id, item_id=batch.item_id,
                      completed_at=utcnow(), quantity_completed=quantity,
                      quantity_defective=Decimal(0), unit=unit, inspector="raj",
                      result="pass", output=output, created_by="system")


def _place(session: Session) -> Location:
    place = session.scalar(select(Location).where(Location.code == FINISHED[0]))
    assert place is not None
    return place


def finished_serials(session: Session, sku: str, count: int) -> list[str]:
    """Finish count pieces of sku from a batch of their own as serials in finished goods."""
    batch = _finished_batch(session, sku, Decimal(count), "pcs")
    completion = _completion(batch, Decimal(count), "pcs", "serials")
    session.add(completion)
    session.flush()
    parent = genealogy.node(session, NodeKind.BATCH, batch.code, batch.id)
    day = utcnow().date()
    codes = []
    for seq in sequences.take(session, f"serial:{SERIAL_TYPE}:{day.isoformat()}", count):
        serial = Serial(code=numbering.serial_number(SERIAL_TYPE, day, seq),
                        item_id=batch.item_id, completion_id=completion.id,
                        location_id=_place(session).id, bin="A-01")
        session.add(serial)
        session.flush()
        genealogy.link(session, parent, genealogy.node(session, NodeKind.SERIAL, serial.code,
                                                       serial.id),
                       Relation.PRODUCE, Quantity(Decimal(1), "pcs"),
                       record=f"completion:{completion.id}")
        codes.append(serial.code)
    return codes


def finished_lot(session: Session, sku: str, quantity: Decimal) -> str:
    """Finish quantity of sku from a batch of its own as one lot in finished goods."""
    item = session.scalar(select(Item).where(Item.sku == sku))
    assert item is not None
    batch = _finished_batch(session, sku, quantity, item.unit)
    completion = _completion(batch, quantity, item.unit, "lot")
    session.add(completion)
    session.flush()
    lot = stock.produce_lot(session, item=item, quantity=Quantity(quantity, item.unit),
                            location=_place(session), bin="R-02",
                            status=LotStatus.AVAILABLE, unit_cost=None, actor=SYSTEM,
                            source_node=genealogy.node(session, NodeKind.BATCH, batch.code,
                                                       batch.id),
                            record=f"completion:{completion.id}")
    completion.lot_id = lot.id
    return lot.number
