"""Statements run on the driver read and write as SQLAlchemy would, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from server import effects
from server.db import writer
from server.services import scan_store
from server.services.driver_sql import execute

AT = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def event(event_id: str, **extra: object) -> dict[str, object]:
    return {"event_id": event_id, "raw_code": "B-1", "received_at": AT,
            "outcome": "rejected", **extra}


def test_an_insert_fills_python_defaults_and_reads_back_typed(runtime):
    with effects.begin(writer(runtime.engine)) as conn:
        execute(conn, scan_store.NEW_EVENT, event("e-1", result={"outcome": "rejected"}))
        execute(conn, scan_store.NEW_EVENT, event("e-2"))  # symbology, source, result omitted
    with runtime.engine.connect() as conn:
        assert scan_store.first_result(conn, "e-1") == (None, {"outcome": "rejected"})
        assert scan_store.first_result(conn, "e-2") == (None, {})  # the column's default
        assert scan_store.first_result(conn, "e-3") is None
        row = conn.exec_driver_sql("SELECT symbology, source FROM scan_events "
                                   "WHERE event_id = 'e-2'").one()
    assert tuple(row) == ("", "")


def test_a_refused_insert_raises_sqlalchemys_error_and_writes_nothing(runtime):
    with effects.begin(writer(runtime.engine)) as conn:
        execute(conn, scan_store.NEW_EVENT, event("e-1"))
    with pytest.raises(IntegrityError), effects.begin(writer(runtime.engine)) as conn:
        execute(conn, scan_store.NEW_EVENT, event("e-2"))
        execute(conn, scan_store.NEW_EVENT, event("e-1"))  # event_id taken
    with runtime.engine.connect() as conn:
        assert scan_store.first_result(conn, "e-2") is None


def test_a_select_binds_the_statements_own_literals(runtime):
    with runtime.engine.connect() as conn:
        # COUNT_BATCHES binds its CASE values itself: a run without batches counts zeros.
        assert tuple(execute(conn, scan_store.COUNT_BATCHES, {"run_id": 999}).one()) == (0, 0)
        assert execute(conn, scan_store.FIRST, {"event_id": "none"}).first() is None
