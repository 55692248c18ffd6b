"""A packing station: serial and lot labels scanned there go onto its shipment, once per event."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from server.models import ScanEvent, ShipmentLine
from server.services import packing, plant, sales, shipments
from server.services.actors import SYSTEM
from tests.support.apps import socket_app
from tests.support.lines import cut_weld_line
from tests.support.serial_rows import make_serials
from tests.support.stock import lot_of, store


@pytest.fixture
def app(tmp_path, sqlite_url):
    with socket_app(tmp_path, sqlite_url) as app:
        yield app


@pytest.fixture
def floor(app):
    """pack-1 (a packing station) and cut-1, customer ACME, two serials of F, 5 kg of steel."""
    with app.extensions["floorline"].transaction() as s:
        store(s)
        cut_weld_line(s)
        _, token = plant.create_station(s, SYSTEM, name="pack-1", operation="CUT")
        packing.set_packing(s, SYSTEM, "pack-1", True)
        sales.create_customer(s, SYSTEM, code="ACME", name="Acme")
        serials = make_serials(s, "F", 2, location="LINE")
        lot = lot_of(s, 5).number
        quarantined = make_serials(s, "F", 1, location="LINE", status="quarantined")[0]
    return {"token": token, "serials": serials, "lot": lot, "quarantined": quarantined}


def body(code, event_id=None):
    return {"event_id": event_id or str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}


def connect(app, floor):
    return app.extensions["socketio"].test_client(app, namespace="/station",
                                                  auth={"token": floor["token"]})


def scan(client, code, event_id=None):
    return client.emit("scan", body(code, event_id), namespace="/station", callback=True)


def open_here(app):
    with app.extensions["floorline"].transaction() as s:
        return shipments.create_shipment(s, SYSTEM, customer="ACME", station="pack-1")["number"]


def lines(app):
    with app.extensions["floorline"].sessions() as s:
        return (s.scalar(select(func.count()).select_from(ShipmentLine)),
                s.scalar(select(func.count()).select_from(ScanEvent)))


def test_a_serial_scanned_at_a_packing_station_goes_onto_its_shipment(app, floor):
    number = open_here(app)
    ack = scan(connect(app, floor), floor["serials"][0])
    assert (ack["outcome"], ack["transition"], ack["shipment"], ack["serial"]) == \
        ("accepted", "packed", number, floor["serials"][0])
    assert (ack["kind"], ack["item"], ack["quantity"], ack["unit"], ack["line"]) == \
        ("serial", "F", "1", "pcs", 1)


def test_a_lot_scanned_there_packs_all_of_it_that_is_free(app, floor):
    open_here(app)
    ack = scan(connect(app, floor), floor["lot"])
    assert (ack["outcome"], ack["kind"], ack["lot"], ack["quantity"], ack["unit"]) == \
        ("accepted", "lot", floor["lot"], "5", "kg")
    again = scan(connect(app, floor), floor["lot"])
    assert (again["outcome"], again["reason"]) == ("rejected", "more_than_on_hand")
    assert again["message"] == "Nothing of this lot is free to ship"


def test_a_resent_scan_answers_its_first_result_and_packs_once(app, floor):
    open_here(app)
    station = connect(app, floor)
    event = str(uuid.uuid4())
    first = scan(station, floor["serials"][0], event)
    before = lines(app)
    assert scan(station, floor["serials"][0], event) == first
    assert lines(app) == before == (1, 1)


def test_a_scan_resent_after_a_cut_connection_is_packed_once(app, floor):
    open_here(app)
    station = connect(app, floor)
    event = str(uuid.uuid4())
    first = scan(station, floor["serials"][1], event)
    station.disconnect(namespace="/station")  # the ack was lost with the link: resend it
    again = scan(connect(app, floor), floor["serials"][1], event)
    rest = app.test_client().post("/api/v1/scans", json=body(floor["serials"][1], event),
                                  headers={"Authorization": f"Bearer {floor['token']}"})
    assert again == first == rest.json
    assert lines(app) == (1, 1)


def test_refusals_are_reasons_the_kiosk_shows_and_pack_nothing(app, floor):
    station = connect(app, floor)
    ack = scan(station, floor["serials"][0])
    assert (ack["outcome"], ack["reason"]) == ("rejected", "no_shipment_here")
    open_here(app)
    assert scan(station, floor["serials"][0])["outcome"] == "accepted"
    cases = [(floor["serials"][0], "already_shipped"), (floor["quarantined"], "quarantined"),
             ("FG-2026-0101-0999", "unknown_code")]
    for code, reason in cases:
        ack = scan(station, code)
        assert (ack["outcome"], ack["reason"], ack["code"]) == ("rejected", reason, reason)
    assert lines(app) == (1, 5)


def test_a_shipment_number_scanned_there_picks_that_shipment(app, floor):
    first = open_here(app)
    other = open_here(app)  # opened at the station: packing goes onto it now
    station = connect(app, floor)
    assert scan(station, floor["serials"][0])["shipment"] == other
    ack = scan(station, first)
    assert (ack["outcome"], ack["transition"], ack["shipment"]) == \
        ("accepted", "shipment_picked", first)
    assert scan(station, floor["serials"][1])["shipment"] == first
    ack = scan(station, "SH-2026-99999")
    assert (ack["outcome"], ack["reason"]) == ("rejected", "unknown_code")


def test_the_same_labels_at_an_ordinary_station_are_not_packed(app, floor):
    open_here(app)
    with app.extensions["floorline"].transaction() as s:
        packing.set_packing(s, SYSTEM, "pack-1", False)
    ack = scan(connect(app, floor), floor["serials"][0])
    assert (ack["outcome"], ack["reason"]) == ("rejected", "not_a_batch")
    assert lines(app) == (0, 1)


def test_the_kiosk_picks_opens_and_ships_the_stations_shipment(app, floor):
    with app.extensions["floorline"].transaction() as s:
        made = packing.pick(s, SYSTEM, "pack-1", customer="ACME")
    number = made["shipment"]["number"]
    assert scan(connect(app, floor), floor["serials"][0])["outcome"] == "accepted"
    with app.extensions["floorline"].transaction() as s:
        shipped = packing.ship_here(s, SYSTEM, "pack-1")
        assert (shipped["number"], shipped["status"]) == (number, "shipped")
        assert packing.station_shipment(s, "pack-1")["shipment"] is None
