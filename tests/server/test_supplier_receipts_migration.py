"""The supplier-receipts migration on a database with items and stock, and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select, text

from server.db import make_engine, make_session_factory
from server.migrate import upgrade
from server.models import Item, Lot
from server.models.base import UTCDateTime
from server.services import locations, receiving, suppliers
from server.services.actors import SYSTEM
from server.services.receiving import LineIn
from tests.support.migrations import BACKENDS, downgrade, empty_database

BEFORE = "inventory_stock"
ITEMS = ("INSERT INTO items (id, sku, name, kind, unit, tracking, standard_cost, archived,"
         " created_at) VALUES (1, 'ROD', 'Rod', 'raw_material', 'kg', 'lot', 0, false, :at),"
         " (2, 'BOLT', 'Bolt', 'supply', 'pcs', 'none', 0, false, :at)")


@pytest.fixture(params=BACKENDS)
def old_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database to migrate step by step."""
    yield from empty_database(request.param, tmp_path)




def test_existing_items_get_no_gtin_and_receipts_work_after_the_upgrade(old_url):
    engine = make_engine(old_url)
    upgrade(engine, BEFORE)
    at = bindparam("at", datetime(2026, 11, 30, tzinfo=UTC), type_=UTCDateTime())
    with engine.begin() as conn:
        conn.execute(text(ITEMS).bindparams(at))
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('items', 'id'), 100)"))
    upgrade(engine)
    with make_session_factory(engine)() as s:
        assert [(i.sku, i.gtin) for i in s.scalars(select(Item).order_by(Item.id))] == \
            [("ROD", None), ("BOLT", None)]
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="RACK-A", name="A")
        suppliers.create_supplier(s, SYSTEM, code="S", name="S")
        receiving.set_item_gtin(s, SYSTEM, "ROD", "09501101530003")
        made = receiving.create_receipt(s, SYSTEM, supplier="S", lines=[
            LineIn(location="RACK-A", gs1="(01)09501101530003(3100)000007(10)H1")])
        s.commit()
        lot = s.scalars(select(Lot)).one()
        assert (made["lines"][0]["item"], lot.supplier_batch) == ("ROD", "H1")
        assert made["lines"][0]["on_hand"] == {"quantity": "7", "unit": "kg"}
    engine.dispose()


def test_downgrade_removes_the_receiving_tables_and_keeps_items_and_lots(old_url):
    engine = make_engine(old_url)
    upgrade(engine)
    with make_session_factory(engine)() as s:
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="RACK-A", name="A")
        s.execute(text(ITEMS).bindparams(bindparam(
            "at", datetime(2026, 11, 30, tzinfo=UTC), type_=UTCDateTime())))
        suppliers.create_supplier(s, SYSTEM, code="S", name="S")
        receiving.create_receipt(s, SYSTEM, supplier="S", lines=[
            LineIn(location="RACK-A", item="BOLT", quantity=5)])  # type: ignore[arg-type]
        s.commit()
    downgrade(engine, BEFORE)
    with engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        columns = {c["name"] for c in conn.dialect.get_columns(conn, "items")}
        assert conn.execute(text("SELECT count(*) FROM items")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM lots")).scalar() == 1
    assert not tables & {"suppliers", "supplier_receipts", "receipt_lines",
                         "incoming_inspections"}
    assert "gtin" not in columns
    upgrade(engine)  # and up again
    engine.dispose()
