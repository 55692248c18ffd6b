"""Set-up for receiving tests: locations to receive into, a supplier, an item's GTIN."""

from __future__ import annotations

from flask import Flask

from server.services import locations, receiving, suppliers
from server.services.actors import SYSTEM

ROD_GTIN = "09501101530003"  # GS1's example GTIN, given to the kg item ROD
SCAN = "]d2" + "01" + ROD_GTIN + "17271231" + "3102012550" + "10HEAT-4711" + "\x1d" + "21C1"


def receiving_plant(app: Flask) -> None:
    """Two racks (RACK-A, RACK-B), supplier STEELCO, and ROD known by its GTIN."""
    with app.extensions["floorline"].transaction() as s:
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main store")
        for code in ("RACK-A", "RACK-B"):
            locations.create_location(s, SYSTEM, warehouse="MAIN", code=code, name=code)
        suppliers.create_supplier(s, SYSTEM, code="STEELCO", name="Steel Co",
                                  contact="orders@steel.example")
        receiving.set_item_gtin(s, SYSTEM, "ROD", ROD_GTIN)


def make_locations(api, codes: list[str]) -> None:
    """Make locations through the running server's API (``api(method, path, json=...)``)."""
    res = api("POST", "/warehouses", json={"code": "MAIN", "name": "Main store"})
    assert res.status_code == 201, res.text
    for code in codes:
        res = api("POST", "/locations", json={"warehouse": "MAIN", "code": code, "name": code})
        assert res.status_code == 201, res.text
