"""REST under a busy database: transient failures answer 503 with Retry-After; reads and
health stay up; /metrics counts the scans."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime

import pytest
from prometheus_client.parser import text_string_to_metric_families

from server.app import create_app
from tests.conftest import make_settings

from .conftest import seed_plant


@pytest.fixture
def busy_app(tmp_path, sqlite_url):
    """An app on SQLite that waits only briefly for the write lock."""
    app = create_app(make_settings(tmp_path, sqlite_url, db_lock_wait_seconds=0.1))
    yield app
    app.extensions["floorline"].engine.dispose()


@pytest.fixture
def write_lock(sqlite_url):
    """Hold SQLite's write lock from another connection, as another process would."""
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)

    def take() -> None:
        holder.execute("BEGIN IMMEDIATE")

    yield take
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def test_a_write_while_the_lock_is_held_answers_503_with_retry_after(busy_app, write_lock):
    plant = seed_plant(busy_app)
    client = busy_app.test_client()
    write_lock()
    r = client.post("/api/v1/operations", json={"code": "QC", "name": "Check"},
                    headers=plant.auth("admin"))
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
    assert r.json["code"] == "database_unavailable" and r.json["message"]
    assert set(r.json) == {"code", "message", "detail"}


def test_health_answers_while_the_write_lock_is_held(busy_app, write_lock):
    client = busy_app.test_client()
    write_lock()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json["status"] == "ok"


def scans_counted(client, outcome: str, reason: str = "") -> float:
    text = client.get("/metrics").get_data(as_text=True)
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples if sample.name == "floorline_scans_total"
               and sample.labels == {"outcome": outcome, "reason": reason})


def test_metrics_move_with_every_scan(app, client, plant_):
    before = scans_counted(client, "rejected", "unknown_code")
    body = {"event_id": str(uuid.uuid4()), "code": "B-2026-999999", "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    r = client.post("/api/v1/scans", json=body, headers=plant_.station("cut-1"))
    assert r.status_code == 200 and r.json["reason"] == "unknown_code"
    assert scans_counted(client, "rejected", "unknown_code") == before + 1
    assert "floorline_scan_seconds_count" in client.get("/metrics").get_data(as_text=True)


def test_a_scan_deferred_for_rate_is_counted(app, client, plant_):
    limiter = app.extensions["floorline_limiter"]
    before = scans_counted(client, "deferred", "rate_limited")
    limiter.rate, limiter.capacity = 0.001, 1.0
    limiter.allow("cut-1")  # the one token gone: the next scan waits
    body = {"event_id": str(uuid.uuid4()), "code": "B-2026-999999", "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    r = client.post("/api/v1/scans", json=body, headers=plant_.station("cut-1"))
    assert r.status_code == 429 and r.json["outcome"] == "deferred"
    assert scans_counted(client, "deferred", "rate_limited") == before + 1


def test_a_rest_scan_the_database_cannot_take_now_is_deferred_with_503(client, plant_,
                                                                      monkeypatch):
    from sqlalchemy.exc import OperationalError

    from server.services import scan_store

    def busy(*args, **kwargs):
        raise OperationalError("SELECT ... FROM batches", {},
                               sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(scan_store, "load_batch", busy)
    body = {"event_id": str(uuid.uuid4()), "code": "B-2026-999999", "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    r = client.post("/api/v1/scans", json=body, headers=plant_.station("cut-1"))
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
    assert (r.json["outcome"], r.json["event_id"]) == ("deferred", body["event_id"])
