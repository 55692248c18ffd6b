"""Serials and shipments written straight as rows with their genealogy edges, for the recall
tests while the completion and shipping services are built alongside (the lead switches
these to those services at merge: keep the signatures)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.domain.genealogy import NodeKind, Relation
from server.domain.lots import LotStatus
from server.domain.quantities import Quantity
from server.models import (
    Batch,
    Completion,
    Customer,
    GenealogyNode,
    Item,
    Location,
    Lot,
    SalesOrder,
    Serial,
    StockMovement,
)
from server.models.shipping import Shipment, ShipmentLine
from server.services import genealogy, stock

AT = datetime(2026, 12, 2, 9, tzinfo=UTC)


def complete_serials(s: Session, batch_code: str, item_sku: str, codes: list[str], *,
                     location: str, each: str, bin: str = "") -> list[Serial]:
    """Finish a batch into one serial per code, each edge batch -produce-> serial of `each`
    (in the batch's unit). The batch is marked done, as its last step would leave it."""
    batch = s.scalars(select(Batch).where(Batch.code == batch_code)).one()
    item = s.scalars(select(Item).where(Item.sku == item_sku)).one()
    where = s.scalars(select(Location).where(Location.code == location)).one()
    batch.state = "done"
    done = Completion(run_id=batch.run_id, batch_id=batch.id, item_id=item.id, completed_at=AT,
                      quantity_completed=Decimal(len(codes)), quantity_defective=Decimal(0),
                      unit="pcs", inspector="inspector", result="pass", output="serials",
                      created_by="operator")
    s.add(done)
    s.flush()
    source = genealogy.node(s, NodeKind.BATCH, batch.code, batch.id)
    made = []
    for code in codes:
        serial = Serial(code=code, item_id=item.id, completion_id=done.id,
                        location_id=where.id, bin=bin)
        s.add(serial)
        s.flush()
        genealogy.link(s, source, genealogy.node(s, NodeKind.SERIAL, code, serial.id),
                       Relation.PRODUCE, Quantity.of(each, batch.unit),
                       record=f"completion:{done.id}", at=AT)
        made.append(serial)
    return made


def ship(s: Session, number: str, customer: str, things: list[tuple[str, str, str]], *,
         order: str | None = None, at: datetime = AT) -> Shipment:
    """Ship (kind, code, quantity) things to a customer: serials become shipped, lots give
    a ship movement, and each gets an edge -ship-> the shipment's node."""
    buyer = s.scalars(select(Customer).where(Customer.code == customer)).one_or_none()
    if buyer is None:
        buyer = Customer(code=customer, name=f"{customer.title()} Ltd")
        s.add(buyer)
        s.flush()
    so = None
    if order is not None:
        so = SalesOrder(number=order, customer_id=buyer.id, status="in_production")
        s.add(so)
        s.flush()
    shipment = Shipment(number=number, customer_id=buyer.id, order_id=None if so is None
                        else so.id, status="shipped", created_by="planner", shipped_at=at,
                        shipped_by="planner")
    s.add(shipment)
    s.flush()
    node = genealogy.node(s, NodeKind.SHIPMENT, number, shipment.id)
    for line_no, (kind, code, quantity) in enumerate(things, start=1):
        s.add(_line(s, shipment, line_no, kind, code, quantity, node, at))
    s.flush()
    return shipment


def _line(s: Session, shipment: Shipment, line_no: int, kind: str, code: str, quantity: str,
          node: GenealogyNode, at: datetime) -> ShipmentLine:
    if kind == "serial":
        serial = s.scalars(select(Serial).where(Serial.code == code)).one()
        serial.status = "shipped"
        genealogy.link(s, genealogy.node(s, NodeKind.SERIAL, code, serial.id), node,
                       Relation.SHIP, Quantity.of("1", "pcs"),
                       record=f"shipment:{shipment.number}", at=at)
        return ShipmentLine(shipment_id=shipment.id, line_no=line_no, serial_id=serial.id,
                            quantity=Decimal(1), unit="pcs", added_by="operator")
    lot = s.scalars(select(Lot).where(Lot.number == code)).one()
    s.add(StockMovement(lot=lot, kind="ship", quantity=-Decimal(quantity), unit=lot.unit,
                        actor="planner", at=at, record=f"shipment:{shipment.number}"))
    s.flush()
    if stock.on_hand(s, lot).amount == 0:
        lot.status = LotStatus.SHIPPED.value
    genealogy.link(s, genealogy.node(s, NodeKind.LOT, code, lot.id), node, Relation.SHIP,
                   Quantity.of(quantity, lot.unit), record=f"shipment:{shipment.number}", at=at)
    return ShipmentLine(shipment_id=shipment.id, line_no=line_no, lot_id=lot.id,
                        quantity=Decimal(quantity), unit=lot.unit, added_by="operator")
