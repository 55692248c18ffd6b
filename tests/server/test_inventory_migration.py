"""Migration inventory_stock on a database with a plant in it: upgrade, use, downgrade, again."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, inspect, text

from server.db import make_engine, make_session_factory
from server.domain.quantities import Quantity
from server.migrate import upgrade
from server.models.base import UTCDateTime
from server.services import locations, stock
from server.services.actors import SYSTEM
from tests.support.migrations import BACKENDS, downgrade, empty_database, revision_before

REVISION = "inventory_stock"
ROWS = [
    "INSERT INTO items (id, sku, name, kind, unit, tracking, standard_cost, archived, created_at)"
    " VALUES (1, 'STEEL', 'Steel', 'raw_material', 'kg', 'lot', 0, false, :at)",
]
TABLES = {"warehouses", "locations", "lots", "stock_movements"}


@pytest.fixture(params=BACKENDS)
def old_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database on each backend."""
    yield from empty_database(request.param, tmp_path)



def previous() -> str:
    return revision_before(REVISION)




def test_inventory_upgrades_a_database_with_data_and_downgrades_cleanly(old_url):
    engine = make_engine(old_url)
    upgrade(engine, previous())
    at = bindparam("at", datetime(2026, 11, 30, tzinfo=UTC), type_=UTCDateTime())
    with engine.begin() as conn:
        for sql in ROWS:
            conn.execute(text(sql).bindparams(at))
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('items', 'id'), 100)"))
    upgrade(engine, REVISION)
    assert set(inspect(engine).get_table_names()) >= TABLES
    upgrade(engine)  # the models are the head's (later revisions add columns they map)
    sessions = make_session_factory(engine)
    with sessions() as s, s.begin():
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="RAW", name="Raw")
        lot = stock.receive_lot(s, item_sku="STEEL", quantity=Quantity.of(5, "kg"),
                                location_code="RAW", actor=SYSTEM)
        assert stock.on_hand(s, lot) == Quantity.of(5, "kg")
    downgrade(engine, previous())
    assert not TABLES & set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT sku FROM items")).scalars().all() == ["STEEL"]
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()
