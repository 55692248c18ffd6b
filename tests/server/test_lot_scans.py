"""A lot's label scanned at a station issues the lot to the batch in process there, once."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.domain.quantities import Quantity
from server.models import ScanEvent, Station, StockMovement
from server.services import runs, stock
from server.services.actors import SYSTEM
from server.services.scans import record_scan
from tests.support.lines import cut_weld_line
from tests.support.stock import lot_of, store


@pytest.fixture
def line(runtime):
    """cut-1 then weld-1 (toggle), a run of one batch started at weld-1, a 5 kg lot."""
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s)
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
        lot = lot_of(s, 5).number
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids, run["batches"][0]["code"], lot


def scan(runtime, station_id, code, event_id=None):
    body = {"event_id": event_id or str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    return record_scan(runtime.engine, station_id, body, runtime.settings).ack


def on_hand(runtime, number):
    with runtime.sessions() as s:
        lot = stock.lot_by_number(s, number)
        return stock.on_hand(s, lot).amount, lot.status


def counts(runtime):
    with runtime.sessions() as s:
        return (s.scalar(select(func.count()).select_from(StockMovement)),
                s.scalar(select(func.count()).select_from(ScanEvent)))


def start_at_weld(runtime, ids, batch):
    assert scan(runtime, ids["cut-1"], batch)["outcome"] == "accepted"
    assert scan(runtime, ids["weld-1"], batch)["transition"] == "start"


def test_a_lot_scanned_where_a_batch_is_in_process_is_issued_to_it(runtime, line):
    ids, batch, lot = line
    start_at_weld(runtime, ids, batch)
    ack = scan(runtime, ids["weld-1"], lot)
    assert (ack["outcome"], ack["transition"], ack["lot"], ack["batch"]) == \
        ("accepted", "issued", lot, batch)
    assert (ack["quantity"], ack["unit"]) == ("5", "kg")
    assert on_hand(runtime, lot) == (Decimal(0), "consumed")


def test_a_resent_lot_scan_answers_its_first_result_and_issues_once(runtime, line):
    ids, batch, lot = line
    start_at_weld(runtime, ids, batch)
    event = str(uuid.uuid4())
    first = scan(runtime, ids["weld-1"], lot, event)
    before = counts(runtime)
    assert scan(runtime, ids["weld-1"], lot, event) == first
    assert counts(runtime) == before


def test_a_lot_scanned_where_no_batch_is_in_process_is_refused(runtime, line):
    ids, batch, lot = line
    start_at_weld(runtime, ids, batch)
    ack = scan(runtime, ids["cut-1"], lot)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "no_batch_here")
    assert ack["message"] == "No batch in process or just scanned at this station"
    assert on_hand(runtime, lot) == (Decimal(5), "available")


def test_at_a_one_scan_station_a_lot_goes_to_the_batch_just_scanned_there(runtime, line):
    ids, batch, lot = line
    assert scan(runtime, ids["cut-1"], batch)["outcome"] == "accepted"  # cut done, one scan
    ack = scan(runtime, ids["cut-1"], lot)
    assert (ack["outcome"], ack["transition"], ack["batch"]) == ("accepted", "issued", batch)
    assert on_hand(runtime, lot) == (Decimal(0), "consumed")


def test_a_batch_scanned_longer_ago_than_lot_scan_minutes_takes_no_lot(runtime, line):
    ids, batch, lot = line
    assert scan(runtime, ids["cut-1"], batch)["outcome"] == "accepted"
    runtime.settings = replace(runtime.settings, lot_scan_minutes=0)
    ack = scan(runtime, ids["cut-1"], lot)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "no_batch_here")
    assert on_hand(runtime, lot) == (Decimal(5), "available")


def test_an_unknown_lot_is_an_unknown_code(runtime, line):
    ids, batch, _ = line
    start_at_weld(runtime, ids, batch)
    moves = counts(runtime)[0]
    ack = scan(runtime, ids["weld-1"], "L-1999-000001")
    assert (ack["outcome"], ack["reason"]) == ("rejected", "unknown_code")
    assert counts(runtime)[0] == moves


def test_a_quarantined_lot_is_refused_in_words_and_nothing_is_issued(runtime, line):
    ids, batch, lot = line
    start_at_weld(runtime, ids, batch)
    with runtime.transaction() as s:
        stock.set_status(s, lot, "quarantined", actor=SYSTEM)
    moves = counts(runtime)[0]
    ack = scan(runtime, ids["weld-1"], lot)
    assert (ack["reason"], ack["message"]) == ("lot_quarantined", "Lot is quarantined")
    assert counts(runtime)[0] == moves


def test_a_used_up_lot_scanned_again_is_refused(runtime, line):
    ids, batch, lot = line
    start_at_weld(runtime, ids, batch)
    scan(runtime, ids["weld-1"], lot)
    assert scan(runtime, ids["weld-1"], lot)["reason"] == "lot_consumed"


def test_a_suppliers_lot_label_in_gs1_form_is_read_as_a_lot(runtime, line):
    ids, batch, _ = line
    with runtime.transaction() as s:
        lot_of(s, 2, lot_number="ACME-4711")
    start_at_weld(runtime, ids, batch)
    ack = scan(runtime, ids["weld-1"], "(10)ACME-4711")
    assert (ack["transition"], ack["lot"], ack["quantity"]) == ("issued", "ACME-4711", "2")


def test_serial_labels_stay_refused_as_not_a_batch(runtime, line):
    ids, *_ = line
    assert scan(runtime, ids["cut-1"], "FR-2026-0105-0007")["reason"] == "not_a_batch"


def test_a_lot_label_is_issued_through_post_scans(tmp_path, sqlite_url):
    from tests.support.apps import socket_app
    with socket_app(tmp_path, sqlite_url, scan_repeat_window=0) as app:
        rt = app.extensions["floorline"]
        with rt.transaction() as s:
            from server.services import plant
            store(s)
            cut_weld_line(s)
            _, token = plant.create_station(s, SYSTEM, name="weld-2", operation="WELD",
                                            scan_mode="toggle")
            batch = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs",
                                                               1)])["batches"][0]["code"]
            lot = lot_of(s, "2.5").number
        client = app.test_client()
        cut = {st.name: st.id for st in rt.sessions().scalars(select(Station))}["cut-1"]
        body = {"event_id": str(uuid.uuid4()), "code": batch, "symbology": "QRCode",
                "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
        record_scan(rt.engine, cut, body, rt.settings)
        auth = {"Authorization": f"Bearer {token}"}
        for code in (batch, lot):
            r = client.post("/api/v1/scans", json={**body, "event_id": str(uuid.uuid4()),
                                                   "code": code}, headers=auth)
        assert (r.json["transition"], r.json["lot"], r.json["quantity"]) == \
            ("issued", lot, "2.5"), r.json
        with rt.sessions() as s:
            assert stock.on_hand(s, stock.lot_by_number(s, lot)) == Quantity.of(0, "kg")
