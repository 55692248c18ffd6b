"""The demo plant's stores: a warehouse, suppliers, raw materials with GTINs, one received and
inspected shipment, and part of a lot issued to a run (so /inventory and /trace show data)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from .domain.quantities import Quantity
from .services import catalog, locations, receiving, stock, suppliers
from .services.actors import SYSTEM

WAREHOUSE = ("WH-1", "Plant warehouse")
LOCATIONS = [("STORES", "Raw material store"), ("LINESIDE", "Line side, cutting")]
SUPPLIERS = [("NORDSTAHL", "Nordstahl AG", "orders@nordstahl.example"),
             ("WESTFALIA", "Westfalia Stahlhandel GmbH", "sales@westfalia.example")]
# What the demo's items are made of: FRAME-100 of tube, BRACKET-20 of sheet, ROD-8 of bar.
# GTINs are GS1's example company prefix 0950110153 with a valid check digit.
RAW_MATERIALS = [
    ("TUBE-40", "Steel tube 40x40x2 mm", "09501101530102", Decimal("2.10")),
    ("SHEET-3", "Steel sheet 3 mm", "09501101530201", Decimal("1.45")),
    ("BAR-8", "Steel round bar 8 mm", "09501101530300", Decimal("1.20")),
]


@dataclass(frozen=True)
class DemoStock:
    receipt: str
    lots: list[str]


def seed_inventory(session: Session, *, issue_to_run: str) -> DemoStock:
    """Add the stores and receive one shipment of two lots in two racks; issue part of the
    tube lot to issue_to_run."""
    code, name = WAREHOUSE
    locations.create_warehouse(session, SYSTEM, code=code, name=name)
    for loc, loc_name in LOCATIONS:
        locations.create_location(session, SYSTEM, warehouse=code, code=loc, name=loc_name)
    for sup, sup_name, contact in SUPPLIERS:
        suppliers.create_supplier(session, SYSTEM, code=sup, name=sup_name, contact=contact)
    for sku, item_name, gtin, cost in RAW_MATERIALS:
        catalog.create_item(session, SYSTEM, sku=sku, name=item_name, kind="raw_material",
                            unit="kg", tracking="lot", standard_cost=cost)
        receiving.set_item_gtin(session, SYSTEM, sku, gtin)
    receipt = receiving.create_receipt(
        session, SYSTEM, supplier="NORDSTAHL", invoice_number="NS-INV-10442",
        received_by="planner", notes="Demo shipment", lines=[
            receiving.LineIn(location="STORES", item="TUBE-40", quantity=Decimal(480),
                             bin="R1-03", supplier_lot="H-24817", certificate="3.1-24817",
                             unit_cost=Decimal("2.05")),
            receiving.LineIn(location="LINESIDE", item="BAR-8", quantity=Decimal(250),
                             bin="R2-11", supplier_lot="H-24902", certificate="3.1-24902",
                             unit_cost=Decimal("1.18")),
        ])
    receiving.record_inspection(session, SYSTEM, receipt["number"], result="pass",
                                inspector="Raj", notes="Mill certificates checked")
    lots = [line["lot"] for line in receipt["lines"]]
    stock.issue(session, lots[0], stock.Target("run", issue_to_run), Quantity.of(120, "kg"),
                actor=SYSTEM)
    return DemoStock(receipt["number"], lots)
