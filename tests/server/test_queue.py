"""A station's work queue: which batches it shows, in which state, in which order."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.models import ProductionRun, Station
from server.services import batches, catalog, plant, queue, runs
from server.services.actors import SYSTEM
from server.services.scans import record_scan


@pytest.fixture
def line(runtime):
    """CUT (complete), WELD (toggle) and PAINT stations; runs of F (CUT, WELD, PAINT)."""
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    with runtime.transaction() as s:
        for code in ("CUT", "WELD", "PAINT"):
            catalog.create_operation(s, SYSTEM, code=code, name=code)
        catalog.create_item(s, SYSTEM, sku="F", name="Frame", kind="finished", unit="pcs",
                            routing=["CUT", "WELD", "PAINT"])
        plant.create_station(s, SYSTEM, name="cut-1", operation="CUT")
        plant.create_station(s, SYSTEM, name="weld-1", operation="WELD", scan_mode="toggle")
        plant.create_station(s, SYSTEM, name="paint-1", operation="PAINT")
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids


def new_run(runtime, count, due=None):
    with runtime.transaction() as s:
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", count)])
        if due is not None:
            s.scalars(select(ProductionRun).where(ProductionRun.number == run["number"])
                      ).one().due_date = due
    return run["number"], [b["code"] for b in run["batches"]]


def scan(runtime, station_id, code):
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    ack = record_scan(runtime.engine, station_id, body, runtime.settings).ack
    assert ack["outcome"] == "accepted", ack


def queue_of(runtime, name):
    with runtime.sessions() as s:
        return [(e["code"], e["queue_state"]) for e in queue.station_queue(s, name)]


def test_the_queue_holds_ready_in_process_and_held_batches_at_the_station_operation(
        runtime, line):
    _, (a, b, c, d) = new_run(runtime, 4)
    for code in (a, b, c):
        scan(runtime, line["cut-1"], code)  # all three now wait at WELD
    scan(runtime, line["weld-1"], b)  # toggle: b is in process at WELD
    with runtime.transaction() as s:
        batches.hold_batch(s, SYSTEM, c, "machine down")
    assert queue_of(runtime, "weld-1") == [(a, "ready"), (b, "in_process"), (c, "on_hold")]
    assert queue_of(runtime, "cut-1") == [(d, "ready")]
    assert queue_of(runtime, "paint-1") == []


def test_closed_batches_and_cancelled_runs_leave_the_queue(runtime, line):
    _, (a, b, c) = new_run(runtime, 3)
    cancelled, (e,) = new_run(runtime, 1)
    with runtime.transaction() as s:
        batches.scrap_batch(s, SYSTEM, a, "crushed")
        batches.split_batch(s, SYSTEM, b, quantities=[Decimal(2), Decimal(3)])
        runs.cancel_run(s, SYSTEM, cancelled, "order withdrawn")
    for station in ("cut-1", "weld-1", "weld-1", "paint-1"):  # WELD toggles: start, finish
        scan(runtime, line[station], c)  # c is done
    codes = [code for code, _ in queue_of(runtime, "cut-1")]
    assert a not in codes and b not in codes and c not in codes and e not in codes
    assert len(codes) == 2  # the two children of the split, waiting at CUT
    assert queue_of(runtime, "paint-1") == []


def test_the_queue_puts_the_earliest_due_date_first_then_the_oldest_batch(runtime, line):
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    _, undated = new_run(runtime, 2)
    _, late = new_run(runtime, 1, due=today + timedelta(days=9))
    _, soon = new_run(runtime, 2, due=today + timedelta(days=2))
    with runtime.sessions() as s:
        entries = queue.station_queue(s, "cut-1")
    assert [e["code"] for e in entries] == soon + late + undated
    first = entries[0]
    assert first["due_date"] == (today + timedelta(days=2)).date().isoformat()
    assert (first["item"], first["quantity"], first["unit"], first["step"]) == \
        ("F", "5", "pcs", "CUT")
    assert entries[-1]["due_date"] is None
