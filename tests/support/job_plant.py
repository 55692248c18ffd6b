"""A small jewellery plant for service-level job tests: gold in grams with its scrap SKU, a
store, a fabrication stage, and jobs issued from fresh gold lots through the services."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from server.domain.quantities import Quantity
from server.services import catalog, jobs, locations, stages, stock
from server.services.actors import SYSTEM

OPERATOR = SYSTEM  # receipts need an operator or better; the system actor is an admin


def jewellery_plant(s: Session) -> None:
    """Store STORES, items GOLD (g), GOLD-SCRAP (g, scrap), RING (g) whose scrap is GOLD-SCRAP,
    and stage FAB."""
    locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main store")
    locations.create_location(s, SYSTEM, warehouse="MAIN", code="STORES", name="Stores")
    for sku, kind in (("GOLD", "raw_material"), ("GOLD-SCRAP", "scrap"), ("RING", "finished")):
        catalog.create_item(s, SYSTEM, sku=sku, name=sku.title(), kind=kind, unit="g")
    jobs.set_scrap_item(s, SYSTEM, "RING", "GOLD-SCRAP")
    stages.create_stage(s, SYSTEM, code="FAB", name="Fabrication")


def issued_job(s: Session, grams: Decimal | str, pieces: int) -> str:
    """Receive a gold lot of grams and issue all of it, as pieces, into a new FAB job."""
    lot = stock.receive_lot(s, item_sku="GOLD", quantity=Quantity.of(grams, "g"),
                            location_code="STORES", actor=SYSTEM)
    made = jobs.create(s, SYSTEM, jobs.JobSpec(
        stage="FAB", issues=[jobs.IssueLine(lot=lot.number, pieces=pieces)]))
    return str(made["number"])
