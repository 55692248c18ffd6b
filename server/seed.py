"""A small demo plant: operations, items with routings, stations, machines, users, orders, runs,
and its stores (seed_inventory)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from .seed_inventory import seed_inventory
from .services import catalog, plant, runs, sales, users
from .services.actors import SYSTEM

OPERATIONS = [("CUT", "Cut", False), ("WELD", "Weld", False), ("PAINT", "Paint", False),
              ("QC", "Quality check", True), ("PACK", "Pack", False)]
ITEMS = [
    ("FRAME-100", "Steel frame 100", "finished", "pcs", ["CUT", "WELD", "PAINT", "QC", "PACK"]),
    ("BRACKET-20", "Bracket 20 mm", "semi_finished", "pcs", ["CUT", "PAINT", "QC"]),
    ("ROD-8", "Rod 8 mm", "semi_finished", "kg", ["CUT", "QC", "PACK"]),
]
STATIONS = [("cut-1", "CUT", "complete"), ("weld-1", "WELD", "complete"),
            ("paint-1", "PAINT", "complete"), ("qc-1", "QC", "complete"),
            ("pack-1", "PACK", "complete")]
# The demo's operators and the station each one badges in at (README lists them all).
OPERATORS = [("ana", "Ana", "BADGE-0001", "cut-1"), ("lee", "Lee", "BADGE-0003", "weld-1"),
             ("kim", "Kim", "BADGE-0004", "paint-1"), ("raj", "Raj", "BADGE-0005", "qc-1"),
             ("eve", "Eve", "BADGE-0006", "pack-1")]


@dataclass
class DemoPlant:
    admin_token: str
    station_tokens: dict[str, str]
    runs: list[str]
    order: str
    badges: dict[str, str] = field(default_factory=dict)  # station -> its operator's badge
    receipt: str = ""  # the supplier receipt the stores were stocked by
    lots: list[str] = field(default_factory=list)  # its lots, in line order


def seed(session: Session, *, admin_password: str = "floorline") -> DemoPlant:  # noqa: S107
    """Create the demo plant in an empty database and return its tokens and runs."""
    for code, name, qc in OPERATIONS:
        catalog.create_operation(session, SYSTEM, code=code, name=name, is_quality_check=qc)
    for sku, name, kind, unit, routing in ITEMS:
        catalog.create_item(session, SYSTEM, sku=sku, name=name, kind=kind, unit=unit,
                            routing=routing)
    tokens = {}
    for name, op, mode in STATIONS:
        _, tokens[name] = plant.create_station(session, SYSTEM, name=name, operation=op,
                                               scan_mode=mode)
        plant.create_machine(session, SYSTEM, code=f"M-{name.upper()}", name=f"{op} machine",
                             station=name)
    users.create_user(session, SYSTEM, username="admin", role="admin", password=admin_password)
    users.create_user(session, SYSTEM, username="planner", role="planner",
                      password=admin_password)
    for username, display, badge, _ in OPERATORS:
        # Ana alone has a PIN, for the kiosk's badge + PIN form; the rest badge in only.
        users.create_user(session, SYSTEM, username=username, role="operator",
                          display_name=display, badge_code=badge,
                          pin="1234" if username == "ana" else None)
    users.create_user(session, SYSTEM, username="sam", role="supervisor", display_name="Sam",
                      badge_code="BADGE-0002", pin="4321")
    admin_token = users.create_token(session, SYSTEM, "admin", "demo")
    sales.create_customer(session, SYSTEM, code="ACME", name="Acme Fabrication")
    order = sales.create_order(session, SYSTEM, customer="ACME",
                               lines=[("FRAME-100", Decimal(40), "pcs"),
                                      ("BRACKET-20", Decimal(200), "pcs")])
    made = [
        runs.create_run(session, SYSTEM, [
            runs.BatchSpec("FRAME-100", Decimal(10), "pcs", 4, ["M-CUT-1"]),
            runs.BatchSpec("BRACKET-20", Decimal(50), "pcs", 4, ["M-CUT-1"])]),
        runs.create_run(session, SYSTEM, [runs.BatchSpec("ROD-8", Decimal("12.5"), "kg", 6)]),
        runs.generate_from_order(session, SYSTEM, order["number"], batches_per_line=3),
    ]
    # The order's run takes tube from the stores; the other runs are left for users to issue to.
    stores = seed_inventory(session, issue_to_run=made[2]["number"])
    return DemoPlant(admin_token, tokens, [r["number"] for r in made], order["number"],
                     {station: badge for _, _, badge, station in OPERATORS},
                     stores.receipt, stores.lots)
