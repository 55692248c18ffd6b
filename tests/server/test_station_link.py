"""/station as agents meet it: error acks in the REST shape, health that does not lie, commands."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import socketio

from server.services import plant as plant_service
from server.services.actors import SYSTEM
from server.services.users import create_token
from tests.support.apps import seed_plant, socket_app


@pytest.fixture
def app(tmp_path, sqlite_url):
    with socket_app(tmp_path, sqlite_url, heartbeat_timeout=30.0) as app:
        yield app


@pytest.fixture
def plant(app):
    return seed_plant(app)


@pytest.fixture
def sio(app):
    return app.extensions["socketio"]


def token_for(app, username):
    with app.extensions["floorline"].transaction() as s:
        return create_token(s, SYSTEM, username)


def body(code, **extra):
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test", **extra}


def station(sio, app, token):
    return sio.test_client(app, namespace="/station", auth={"token": token})


def watch_plant(sio, app):
    live = sio.test_client(app, namespace="/live")
    live.emit("join", {"room": "plant"}, namespace="/live", callback=True)
    return live


def health_events(live, name):
    return [m["args"][0] for m in live.get_received("/live")
            if m["name"] == "station_health" and m["args"][0]["name"] == name]


def test_a_scan_with_no_data_is_acked_as_a_rejection_in_the_rest_error_shape(sio, app, plant):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    ack = cut.emit("scan", namespace="/station", callback=True)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "invalid_payload")
    assert (ack["code"], ack["detail"]) == ("invalid_payload", {})
    assert ack["message"]


def test_a_heartbeat_with_no_data_is_still_acked_with_the_server_time(sio, app, plant):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    ack = cut.emit("heartbeat", namespace="/station", callback=True)
    assert datetime.fromisoformat(ack["server_time"])


def test_a_rejected_scan_keeps_its_protocol_fields_and_adds_code_message_detail(sio, app, plant):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    scan = body("NOT-A-REAL-CODE")
    ack = cut.emit("scan", scan, namespace="/station", callback=True)
    assert (ack["event_id"], ack["outcome"], ack["reason"]) == (
        scan["event_id"], "rejected", "unknown_code")
    assert (ack["code"], ack["message"], ack["detail"]) == ("unknown_code", "Unknown code", {})


def test_a_scan_timed_too_far_from_the_server_clock_is_rejected_as_clock_skew(sio, app, plant):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    skewed = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    ack = cut.emit("scan", body("B-X", scanned_at=skewed), namespace="/station", callback=True)
    assert (ack["outcome"], ack["reason"], ack["code"]) == ("rejected", "clock_skew",
                                                            "clock_skew")


def test_a_deferred_ack_carries_retry_after_and_the_error_fields(sio, app, plant):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    acks = [cut.emit("scan", body(f"UNKNOWN-{i}"), namespace="/station", callback=True)
            for i in range(20)]
    deferred = [a for a in acks if a["outcome"] == "deferred"]
    assert deferred
    first = deferred[0]
    assert first["retry_after"] > 0 and first["reason"] == "rate_limited"
    assert first["code"] == "rate_limited" and first["message"]
    assert first["detail"] == {"retry_after": first["retry_after"]}


def test_an_agent_gone_without_a_final_heartbeat_shows_its_depth_as_unknown(sio, app, plant):
    live = watch_plant(sio, app)
    qc = station(sio, app, plant.station_tokens["qc-1"])
    qc.emit("heartbeat", {"outbox_depth": 1}, namespace="/station", callback=True)
    qc.disconnect(namespace="/station")
    last = health_events(live, "qc-1")[-1]
    assert last["online"] is False
    assert last["outbox_depth"] is None


def test_an_agent_that_says_goodbye_keeps_the_depth_of_its_final_heartbeat(sio, app, plant):
    live = watch_plant(sio, app)
    qc = station(sio, app, plant.station_tokens["qc-1"])
    qc.emit("heartbeat", {"outbox_depth": 3}, namespace="/station", callback=True)
    qc.emit("heartbeat", {"outbox_depth": 0, "final": True}, namespace="/station", callback=True)
    qc.disconnect(namespace="/station")
    last = health_events(live, "qc-1")[-1]
    assert (last["online"], last["outbox_depth"]) == (False, 0)


def test_a_station_scanning_over_http_shows_online(sio, app, plant):
    live = watch_plant(sio, app)
    client = app.test_client()
    r = client.post("/api/v1/scans", json=body("UNKNOWN-1"),
                    headers={"Authorization": f"Bearer {plant.station_tokens['pack-1']}"})
    assert r.status_code == 200
    health = client.get("/api/v1/stations/pack-1",
                        headers={"Authorization": f"Bearer {plant.admin_token}"}).json
    assert health["online"] is True and health["health"]["via"] == "http"
    assert health_events(live, "pack-1")[-1]["online"] is True


def test_http_scans_write_last_seen_at_most_once_per_interval():
    now = [100.0]
    throttle = plant_service.SeenThrottle(10.0, clock=lambda: now[0])
    assert throttle.due(1) is True
    assert throttle.due(1) is False
    assert throttle.due(2) is True
    now[0] += 9.9
    assert throttle.due(1) is False
    now[0] += 0.2
    assert throttle.due(1) is True


def test_a_station_that_cannot_store_scans_is_shown_with_alerts(sio, app, plant):
    live = watch_plant(sio, app)
    cut = station(sio, app, plant.station_tokens["cut-1"])
    cut.emit("heartbeat", {
        "outbox_depth": 4, "refused_reads": 2, "refused_by_reason": {"outbox_unwritable": 2},
        "outbox": {"healthy": False, "writable": False, "readable": True,
                   "error": "attempt to write a readonly database"},
        "dead_letters": {"count": 1, "recent": [{"event_id": "e1", "code": "B-1",
                                                 "scanned_at": "2020-01-01T00:00:00Z",
                                                 "reason": "clock_skew", "message": "old"}]},
    }, namespace="/station", callback=True)
    last = health_events(live, "cut-1")[-1]
    assert [a["code"] for a in last["alerts"]] == ["outbox_unwritable", "refused_reads",
                                                  "dead_letters"]
    assert last["health"]["outbox"]["writable"] is False
    assert last["health"]["dead_letters"]["recent"][0]["code"] == "B-1"


def test_junk_in_a_heartbeat_is_dropped_not_stored(sio, app, plant):
    live = watch_plant(sio, app)
    cut = station(sio, app, plant.station_tokens["cut-1"])
    ack = cut.emit("heartbeat", {"outbox_depth": -5, "outbox": "nope", "refused_reads": True,
                                 "dead_letters": {"count": "many", "recent": "x"}},
                   namespace="/station", callback=True)
    assert "server_time" in ack
    last = health_events(live, "cut-1")[-1]
    assert last["outbox_depth"] is None and last["alerts"] == []


def test_a_supervisor_can_order_a_station_to_resend_its_dead_letters(sio, app, plant):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    cut.get_received("/station")
    client = app.test_client()
    path = "/api/v1/stations/cut-1/dead-letters/resend"
    operator = {"Authorization": f"Bearer {token_for(app, 'ana')}"}
    assert client.post(path, headers=operator).status_code == 403
    assert cut.get_received("/station") == []
    supervisor = {"Authorization": f"Bearer {token_for(app, 'sam')}"}
    r = client.post(path, headers=supervisor)
    assert r.status_code == 200 and r.json["station"] == "cut-1"
    commands = [m for m in cut.get_received("/station") if m["name"] == "resend_dead_letters"]
    assert len(commands) == 1 and commands[0]["args"][0]["requested_by"] == "sam"


def test_a_refused_station_is_told_why(floorline_server):
    refusals = []
    client = socketio.Client(reconnection=False)
    client.on("connect_error", refusals.append, namespace="/station")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(floorline_server.url, namespaces=["/station"],
                       auth={"token": "fls_wrong"}, transports=["websocket"], wait_timeout=10)
    assert refusals == [{"message": "not_authorized: unknown station token"}]


def test_a_resend_order_is_repeated_in_heartbeat_acks_until_the_agent_reports_it_done(
    sio, app, plant
):
    client = app.test_client()
    supervisor = {"Authorization": f"Bearer {token_for(app, 'sam')}"}
    order = client.post("/api/v1/stations/cut-1/dead-letters/resend", headers=supervisor).json
    cut = station(sio, app, plant.station_tokens["cut-1"])  # it was away when ordered
    ack = cut.emit("heartbeat", {"outbox_depth": 0}, namespace="/station", callback=True)
    assert ack["commands"] == [{"name": "resend_dead_letters", "order": order["order"]}]
    ack = cut.emit("heartbeat", {"outbox_depth": 0}, namespace="/station", callback=True)
    assert ack["commands"][0]["order"] == order["order"]  # still not done
    cut.emit("heartbeat", {"outbox_depth": 0, "resend_done": order["order"]},
             namespace="/station", callback=True)
    ack = cut.emit("heartbeat", {"outbox_depth": 0}, namespace="/station", callback=True)
    assert "commands" not in ack


def database_is_locked(*args, **kwargs):
    import sqlite3

    from sqlalchemy.exc import OperationalError
    raise OperationalError("UPDATE stations", {}, sqlite3.OperationalError("database is locked"))


def test_a_heartbeat_while_the_database_is_busy_still_answers_the_time(
    sio, app, plant, monkeypatch
):
    cut = station(sio, app, plant.station_tokens["cut-1"])
    monkeypatch.setattr(plant_service, "record_heartbeat", database_is_locked)
    ack = cut.emit("heartbeat", {"outbox_depth": 3}, namespace="/station", callback=True)
    assert ack["code"] == "database_busy"
    assert datetime.fromisoformat(ack["server_time"]) > datetime.now(UTC) - timedelta(minutes=1)
    assert cut.is_connected("/station")


def test_a_station_connecting_while_the_database_is_busy_is_refused_and_may_retry(
    sio, app, plant, monkeypatch
):
    monkeypatch.setattr(plant_service, "set_online", database_is_locked)
    cut = station(sio, app, plant.station_tokens["cut-1"])
    assert not cut.is_connected("/station")
    monkeypatch.undo()
    assert station(sio, app, plant.station_tokens["cut-1"]).is_connected("/station")
