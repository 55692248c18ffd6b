"""The routing-versions migration on a database with work on the floor."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select, text

from server.db import make_engine, make_session_factory
from server.migrate import upgrade
from server.models import Batch, Item, StepExecution
from server.models.base import UTCDateTime
from server.services import routings
from server.services.actors import SYSTEM
from tests.support.migrations import BACKENDS, empty_database

BEFORE = "kiosk_pairings"
ROWS = [
    "INSERT INTO operations (id, code, name, is_quality_check) VALUES (1, 'CUT', 'Cut', false),"
    " (2, 'WELD', 'Weld', false)",
    "INSERT INTO items (id, sku, name, kind, unit, tracking, standard_cost, archived, created_at)"
    " VALUES (1, 'F', 'Frame', 'finished', 'pcs', 'none', 0, false, :at),"
    " (2, 'BARE', 'Bare', 'supply', 'pcs', 'none', 0, false, :at)",
    "INSERT INTO routing_steps (id, item_id, position, operation_id) VALUES (1, 1, 0, 1),"
    " (2, 1, 1, 2)",
    "INSERT INTO production_runs (id, number, status, notes, created_at, version)"
    " VALUES (1, 'PR-1', 'in_progress', '', :at, 1)",
    "INSERT INTO run_lines (id, run_id, line_no, item_id, quantity, unit, batch_count,"
    " machine_codes) VALUES (1, 1, 1, 1, 10, 'pcs', 2, '')",
    "INSERT INTO batches (id, code, run_id, run_line_id, item_id, quantity, unit, step_index,"
    " state, created_at, updated_at, version) VALUES"
    " (1, 'B-1', 1, 1, 1, 5, 'pcs', 1, 'waiting', :at, :at, 1),"
    " (2, 'B-2', 1, 1, 1, 5, 'pcs', 0, 'waiting', :at, :at, 0)",
    "INSERT INTO step_executions (id, batch_id, step_id, position, started_at, finished_at,"
    " quantity_in, quantity_good, quantity_rejected, quantity_scrapped, quantity_waste)"
    " VALUES (1, 1, 1, 0, :at, :at, 5, 5, 0, 0, 0)",
]


@pytest.fixture(params=BACKENDS)
def old_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database migrated only as far as the revision before routing versions."""
    yield from empty_database(request.param, tmp_path)


def test_existing_steps_become_version_1_and_batches_on_the_floor_are_pinned_to_it(old_url):
    engine = make_engine(old_url)
    upgrade(engine, BEFORE)
    at = bindparam("at", datetime(2026, 11, 30, tzinfo=UTC), type_=UTCDateTime())
    with engine.begin() as conn:
        for sql in ROWS:
            stmt = text(sql)
            conn.execute(stmt.bindparams(at) if ":at" in sql else stmt)
        if conn.dialect.name == "postgresql":  # the rows above named their ids
            for table in ("operations", "items", "routing_steps", "production_runs",
                          "run_lines", "batches", "step_executions"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"100)"))
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as s:
        frame, bare = s.scalars(select(Item).order_by(Item.id)).all()
        assert [(r.version, [st.operation.code for st in r.steps]) for r in frame.routings] \
            == [(1, ["CUT", "WELD"])]
        assert [(r.version, r.steps) for r in bare.routings] == [(1, [])]
        assert {b.code: b.routing.version for b in s.scalars(select(Batch))} == \
            {"B-1": 1, "B-2": 1}
        done = s.scalars(select(StepExecution)).one()
        assert done.step.routing.item.sku == "F" and done.step.operation.code == "CUT"
        routings.save_routing(s, SYSTEM, "F", ["WELD"])
        s.commit()
        assert [v["active_batches"] for v in routings.routing_detail(s, frame)["versions"]] \
            == [0, 2]
    engine.dispose()
