"""A small store for stock tests: warehouse MAIN with locations RAW and LINE, steel in kg."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from server.domain.quantities import Quantity
from server.models import Lot
from server.services import catalog, locations, stock
from server.services.actors import SYSTEM


def store(s: Session) -> None:
    """Warehouse MAIN, locations RAW and LINE, item STEEL (kg, lot-tracked)."""
    locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main store")
    locations.create_location(s, SYSTEM, warehouse="MAIN", code="RAW", name="Raw material")
    locations.create_location(s, SYSTEM, warehouse="MAIN", code="LINE", name="Line side")
    catalog.create_item(s, SYSTEM, sku="STEEL", name="Steel bar", kind="raw_material",
                        unit="kg")


def lot_of(s: Session, amount: str | int = 5, **extra: object) -> Lot:
    """Receive a lot of STEEL into RAW rack A-01."""
    values: dict[str, object] = {"item_sku": "STEEL", "quantity": Quantity.of(amount, "kg"),
                                 "location_code": "RAW", "bin": "A-01", "actor": SYSTEM,
                                 "unit_cost": Decimal("2.5"), **extra}
    return stock.receive_lot(s, **values)  # type: ignore[arg-type]
