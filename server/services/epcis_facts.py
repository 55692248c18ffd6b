"""What an EPCIS document names besides the graph: GTINs, receipts, shipments, orders.

One query per kind of thing reached, whatever the chain's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind
from ..models import (
    Batch,
    Customer,
    Item,
    Job,
    Location,
    Lot,
    ProductionRun,
    ReceiptLine,
    SalesOrder,
    Serial,
    Station,
    Supplier,
    SupplierReceipt,
)
from ..models.shipping import Shipment, ShipmentLine


@dataclass
class Facts:
    gtin: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, code) -> GTIN
    receipts: dict[str, dict[str, Any]] = field(default_factory=dict)
    shipments: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: dict[tuple[str, str], str] = field(default_factory=dict)  # run/job -> order


def gather(session: Session, nodes: Iterable[tuple[str, str]]) -> Facts:
    """Return the facts of the nodes (kind, code) an EPCIS document is made of."""
    codes: dict[str, list[str]] = defaultdict(list)
    for kind, code in nodes:
        codes[kind].append(code)
    facts = Facts()
    for kind, model, column in ((NodeKind.LOT, Lot, Lot.number),
                                (NodeKind.BATCH, Batch, Batch.code),
                                (NodeKind.SERIAL, Serial, Serial.code)):
        if codes[kind]:
            rows = session.execute(select(column, Item.gtin).join(Item, Item.id == model.item_id)
                                   .where(column.in_(codes[kind]), Item.gtin.is_not(None)))
            facts.gtin.update(((kind.value, code), str(gtin)) for code, gtin in rows if gtin)
    if codes[NodeKind.RECEIPT]:
        facts.receipts = _receipts(session, codes[NodeKind.RECEIPT])
    if codes[NodeKind.SHIPMENT]:
        facts.shipments = _shipments(session, codes[NodeKind.SHIPMENT])
    for kind, number, order_id in (
            (NodeKind.RUN, ProductionRun.number, ProductionRun.sales_order_id),
            (NodeKind.JOB, Job.number, Job.order_id)):
        if codes[kind]:
            found = session.execute(select(number, SalesOrder.number)
                                    .join(SalesOrder, SalesOrder.id == order_id)
                                    .where(number.in_(codes[kind])))
            facts.orders.update(((kind.value, code), order) for code, order in found)
    return facts


def _receipts(session: Session, numbers: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(
        select(SupplierReceipt.number, SupplierReceipt.invoice_number, Supplier.code,
               func.min(Location.code))
        .join(Supplier, Supplier.id == SupplierReceipt.supplier_id)
        .outerjoin(ReceiptLine, ReceiptLine.receipt_id == SupplierReceipt.id)
        .outerjoin(Location, Location.id == ReceiptLine.location_id)
        .where(SupplierReceipt.number.in_(numbers))
        .group_by(SupplierReceipt.number, SupplierReceipt.invoice_number, Supplier.code))
    return {number: {"invoice": invoice, "supplier": supplier, "location": location}
            for number, invoice, supplier, location in rows}


def _shipments(session: Session, numbers: list[str]) -> dict[str, dict[str, Any]]:
    packed = (select(ShipmentLine.shipment_id, func.max(ShipmentLine.added_at).label("at"))
              .group_by(ShipmentLine.shipment_id).subquery())
    rows = session.execute(
        select(Shipment.number, Customer.code, SalesOrder.number, Station.name,
               Shipment.shipped_at, packed.c.at)
        .join(Customer, Customer.id == Shipment.customer_id)
        .outerjoin(SalesOrder, SalesOrder.id == Shipment.order_id)
        .outerjoin(Station, Station.id == Shipment.station_id)
        .outerjoin(packed, packed.c.shipment_id == Shipment.id)
        .where(Shipment.number.in_(numbers)))
    return {number: {"customer": customer, "order": order, "station": station,
                     "shipped_at": shipped_at, "packed_at": packed_at}
            for number, customer, order, station, shipped_at, packed_at in rows}
