"""A small production line for service tests: CUT then WELD."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.services import catalog, plant
from server.services.actors import SYSTEM


def cut_weld_line(s: Session, *, cut_stations: tuple[str, ...] = ("cut-1",)) -> None:
    """Operations CUT and WELD, item F routed CUT then WELD, CUT stations (scan mode
    complete) and weld-1 (toggle)."""
    for code in ("CUT", "WELD"):
        catalog.create_operation(s, SYSTEM, code=code, name=code)
    catalog.create_item(s, SYSTEM, sku="F", name="F", kind="finished", unit="pcs",
                        routing=["CUT", "WELD"])
    for name in cut_stations:
        plant.create_station(s, SYSTEM, name=name, operation="CUT")
    plant.create_station(s, SYSTEM, name="weld-1", operation="WELD", scan_mode="toggle")
