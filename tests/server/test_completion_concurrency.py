"""Completions racing: threads completing batches of one item on one day at once get
distinct, gap-free serial codes (the per-TYPE-and-day counter's row lock), and two
completions of one batch (or of one job's received lot) that together ask for more than it
holds: exactly one is taken.
PostgreSQL is where they really run at once; SQLite serialises them at its write lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.app import create_app
from server.errors import Unprocessable
from server.models import Serial
from server.services import completions
from server.services.actors import Actor
from tests.conftest import make_settings
from tests.server.api.conftest import seed_plant
from tests.support.receiving import receiving_plant
from tests.support.trace_floor import client_api, scan

OPERATOR = Actor("operator", "operator")
DAY = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
THREADS = 4


@pytest.fixture
def floor(tmp_path, database_url):
    app = create_app(make_settings(tmp_path, database_url, db_lock_wait_seconds=30))
    plant = seed_plant(app)
    receiving_plant(app)
    yield app, plant
    app.extensions["floorline"].engine.dispose()


def done_batches(app, plant, count: int, quantity: int = 3) -> list[str]:
    client = app.test_client()
    run = client.post("/api/v1/runs", json={"lines": [{"item": "FRAME", "quantity": quantity,
                                                       "unit": "pcs", "batches": count}]},
                      headers=plant.auth("planner")).json
    codes = [b["code"] for b in run["batches"]]
    api = client_api(client, "")
    for code in codes:
        for station in ("cut-1", "weld-1", "paint-1"):
            scan(api, plant.station_tokens[station], code)
    return codes


def spec(quantity: int, location: str = "RACK-A") -> completions.CompletionIn:
    return completions.CompletionIn(quantity_completed=Decimal(quantity),
                                    quantity_defective=Decimal(0), inspector="Q", result="pass",
                                    output="serials", location=location, completed_at=DAY)


def race(app, jobs: list[tuple[str, int]], complete=completions.complete_batch,
         location: str = "RACK-A") -> list[str]:
    """Complete each (batch or job, quantity) from its own thread, released together."""
    runtime = app.extensions["floorline"]
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def operator(code: str, quantity: int) -> None:
        barrier.wait()
        try:
            with runtime.transaction() as s:
                complete(s, OPERATOR, code, spec(quantity, location))
            outcomes.append("completed")
        except Unprocessable as err:
            outcomes.append(err.code)
        except Exception as err:  # any other end fails the test, with its name
            outcomes.append(f"{type(err).__name__}: {err}")

    threads = [threading.Thread(target=operator, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(outcomes)


def test_threads_completing_at_once_get_distinct_gap_free_serials(floor):
    app, plant = floor
    codes = done_batches(app, plant, THREADS)
    assert race(app, [(c, 3) for c in codes]) == ["completed"] * THREADS
    with app.extensions["floorline"].sessions() as s:
        serials = list(s.scalars(select(Serial.code)))
    assert sorted(serials) == [f"FRAME-2026-0601-{n:04d}" for n in range(1, 3 * THREADS + 1)]


def test_two_completions_of_one_batch_over_its_quantity_exactly_one_is_taken(floor):
    app, plant = floor
    (code,) = done_batches(app, plant, 1, quantity=3)
    assert race(app, [(code, 2), (code, 2)]) == ["completed", "more_than_came_in"]
    with app.extensions["floorline"].sessions() as s:
        assert len(list(s.scalars(select(Serial.code)))) == 2


def test_two_completions_of_one_job_over_its_received_lot_exactly_one_is_taken(tmp_path,
                                                                                database_url):
    from tests.support.job_floor import call, jewellery

    app = create_app(make_settings(tmp_path, database_url, db_lock_wait_seconds=30))
    plant = seed_plant(app)
    client = app.test_client()
    lots = jewellery(client, plant)
    call(client, plant, "POST", "/items", {"sku": "PENDANT", "name": "Pendant",
                                           "kind": "finished", "unit": "pcs"})
    job = call(client, plant, "POST", "/jobs", {"stage": "FAB", "issues": [
        {"lot": lots[0], "pieces": 6}], "items": [], "policy": "match_issued"})["number"]
    rows = call(client, plant, "POST", f"/jobs/{job}/receipts", {"location": "STORES", "rows": [
        {"output_type": "finished", "item": "PENDANT", "pieces": 4, "weight": "20",
         "unit": "g"}]}, role="operator")["receipt"]["rows"]
    (received,) = [r["lot"] for r in rows if r["bucket"] == "received"]
    try:
        assert race(app, [(job, 3), (job, 3)], completions.complete_job, "STORES") == \
            ["completed", "more_than_came_in"]
        assert call(client, plant, "GET", f"/lots/{received}", role="viewer")["on_hand"] == "1"
        with app.extensions["floorline"].sessions() as s:
            assert len(list(s.scalars(select(Serial.code)))) == 3
    finally:
        app.extensions["floorline"].engine.dispose()
