"""The production-jobs migration on a database with items and stations, and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError

from server.db import make_engine
from server.migrate import upgrade
from server.models.base import UTCDateTime
from tests.support.migrations import BACKENDS, downgrade, empty_database, revision_before

REVISION = "production_jobs"
ITEMS = ("INSERT INTO items (id, sku, name, kind, unit, tracking, standard_cost, archived,"
         " created_at) VALUES (1, 'GOLD', 'Gold', 'raw_material', 'g', 'lot', 0, false, :at),"
         " (2, 'SCRAP', 'Gold scrap', 'scrap', 'g', 'lot', 0, false, :at)")
STAGE = "INSERT INTO stages (id, code, name, position, archived, created_at) " \
        "VALUES (1, 'FAB', 'Fabrication', 1, false, :at)"
JOB = ("INSERT INTO jobs (number, stage_id, shape, size, requested_unit, policy, issued_on,"
       " notes, status, created_at, created_by, version, issued_pieces, received_pieces,"
       " rejected_pieces, scrapped_pieces, waste_pieces, pending_pieces, issued_weight,"
       " received_weight, rejected_weight, scrapped_weight, waste_weight, pending_weight)"
       " VALUES ('J-2026-00001', 1, '', '', 'g', 'match_issued', '2026-12-02', '', 'open', :at,"
       " '', 0, 10, 4, 0, 0, 0, :pieces, 12.5, 5, 0, 0, 0, :pending)")


def at() -> object:
    return bindparam("at", datetime(2026, 12, 2, tzinfo=UTC), type_=UTCDateTime())


@pytest.fixture(params=BACKENDS)
def old_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    yield from empty_database(request.param, tmp_path)


def test_existing_items_and_stations_get_no_scrap_item_or_stage(old_url):
    engine = make_engine(old_url)
    upgrade(engine, revision_before(REVISION))
    with engine.begin() as conn:
        conn.execute(text(ITEMS).bindparams(at()))
    upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT scrap_item_id FROM items")).scalars().all() == \
            [None, None]
        conn.execute(text("UPDATE items SET scrap_item_id = 2 WHERE id = 1"))
        conn.execute(text(STAGE).bindparams(at()))
    engine.dispose()


def test_the_database_keeps_job_totals_that_balance(old_url):
    engine = make_engine(old_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(STAGE).bindparams(at()))
        conn.execute(text(JOB).bindparams(at(), pieces=6, pending=Decimal("7.5")))
        assert conn.execute(text("SELECT count(*) FROM jobs")).scalar() == 1
    engine.dispose()


# issued 10 pcs and 12.5 g, received 4 pcs and 5 g: only pending 6 pcs and 7.5 g balance.
@pytest.mark.parametrize(("pieces", "pending"), [(5, "7.5"), (6, "7.4"), (6, "-0.5"),
                                                 (16, "7.5")])
def test_the_database_refuses_job_totals_that_do_not_balance(old_url, pieces, pending):
    engine = make_engine(old_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(STAGE).bindparams(at()))
    with engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(text(JOB).bindparams(at(), pieces=pieces, pending=Decimal(pending)))
    engine.dispose()


def test_downgrade_removes_the_job_tables_and_keeps_items(old_url):
    engine = make_engine(old_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(ITEMS).bindparams(at()))
        conn.execute(text("UPDATE items SET scrap_item_id = 2 WHERE id = 1"))
    downgrade(engine, revision_before(REVISION))
    with engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        items = {c["name"] for c in conn.dialect.get_columns(conn, "items")}
        stations = {c["name"] for c in conn.dialect.get_columns(conn, "stations")}
        assert conn.execute(text("SELECT count(*) FROM items")).scalar() == 2
    assert not tables & {"stages", "jobs", "job_issues", "job_items", "job_receipts",
                         "job_receipt_rows", "job_changes"}
    assert "scrap_item_id" not in items and "stage_id" not in stations
    upgrade(engine)
    engine.dispose()
