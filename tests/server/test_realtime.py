"""Socket.IO in process: station auth, acks, heartbeats, /live snapshots and rate limits."""

import time
import uuid
from datetime import UTC, datetime

import pytest

from tests.support.apps import seed_plant, socket_app


@pytest.fixture
def app(tmp_path, sqlite_url):
    with socket_app(tmp_path, sqlite_url, heartbeat_timeout=0.5) as app:
        yield app


@pytest.fixture
def plant(app):
    return seed_plant(app)


@pytest.fixture
def sio(app):
    return app.extensions["socketio"]


def body(code, **extra):
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test", **extra}


def first_batch(app, plant):
    client = app.test_client()
    run = client.get(f"/api/v1/runs/{plant.runs[0]}",
                     headers={"Authorization": f"Bearer {plant.admin_token}"}).json
    return [b["code"] for b in run["batches"]]


def station(sio, app, token):
    return sio.test_client(app, namespace="/station", auth={"token": token})


def watcher(sio, app, plant):
    """A /live client logged in with a user token (public screens see only the plant)."""
    return sio.test_client(app, namespace="/live", auth={"token": plant.admin_token})


@pytest.mark.parametrize("auth", [None, {}, {"token": "fls_wrong"}, {"token": 42}])
def test_stations_without_a_valid_token_cannot_connect(sio, app, plant, auth):
    client = sio.test_client(app, namespace="/station", auth=auth)
    assert not client.is_connected("/station")


def test_a_user_token_is_not_a_station_token(sio, app, plant):
    assert not station(sio, app, plant.admin_token).is_connected("/station")


def test_the_bearer_header_works_as_well_as_auth(sio, app, plant):
    client = sio.test_client(app, namespace="/station", headers={
        "Authorization": f"Bearer {plant.station_tokens['cut-1']}"})
    assert client.is_connected("/station")


def test_a_scan_is_acked_and_reaches_plant_station_and_run_rooms(sio, app, plant):
    codes = first_batch(app, plant)
    rooms = {}
    for room in ("plant", "station:cut-1", f"run:{plant.runs[0]}", "station:qc-1"):
        rooms[room] = watcher(sio, app, plant)
        snap = rooms[room].emit("join", {"room": room}, namespace="/live", callback=True)
        assert "error" not in snap and snap["room"] == room
    cut = station(sio, app, plant.station_tokens["cut-1"])
    ack = cut.emit("scan", body(codes[0]), namespace="/station", callback=True)
    assert ack["outcome"] == "accepted"
    app.extensions["floorline_live"].flush()
    got = {room: [m["name"] for m in c.get_received("/live")] for room, c in rooms.items()}
    assert "scan_recorded" in got["plant"] and "run_progress" in got["plant"]
    assert "scan_recorded" in got["station:cut-1"]
    assert {"scan_recorded", "batch_updated", "run_progress"} <= set(got[f"run:{plant.runs[0]}"])
    assert "scan_recorded" not in got["station:qc-1"]


def test_updates_are_coalesced_per_run(tmp_path, sqlite_url):
    # A window longer than the test: the flush loop must not send between the scans.
    with socket_app(tmp_path, sqlite_url, live_coalesce_ms=600_000) as app:
        plant = seed_plant(app)
        sio = app.extensions["socketio"]
        progress, scans = coalesced_progress(sio, app, plant)
    assert scans == 4
    assert len(progress) == 1 and progress[0]["progress"]["per_step"]["WELD"] == 4


def test_a_slow_flush_waits_longer_so_it_takes_at_most_a_tenth_of_the_loop():
    from server.realtime.broadcast import next_pause

    assert next_pause(0.25, 0.005) == 0.25  # a quick flush keeps the configured window
    pause = next_pause(0.25, 0.1)
    assert 0.1 / (0.1 + pause) == pytest.approx(0.1)


def test_a_flush_of_more_runs_than_one_read_takes_sends_each_once(tmp_path, sqlite_url,
                                                                   monkeypatch):
    import server.realtime.broadcast as broadcast

    monkeypatch.setattr(broadcast, "RUNS_PER_READ", 1)
    monkeypatch.setattr(broadcast, "YIELD_SECONDS", 0.3)
    with socket_app(tmp_path, sqlite_url, live_coalesce_ms=600_000) as app:
        plant = seed_plant(app)
        sio = app.extensions["socketio"]
        live = sio.test_client(app, namespace="/live")
        live.emit("join", {"room": "plant"}, namespace="/live", callback=True)
        cut = station(sio, app, plant.station_tokens["cut-1"])
        headers = {"Authorization": f"Bearer {plant.admin_token}"}
        numbers = plant.runs[:2]
        for number in numbers:
            run = app.test_client().get(f"/api/v1/runs/{number}", headers=headers).json
            cut.emit("scan", body(run["batches"][0]["code"]), namespace="/station", callback=True)
        started = time.monotonic()
        busy = app.extensions["floorline_live"].flush()
        took = time.monotonic() - started
        sent = [m["args"][0]["number"] for m in live.get_received("/live")
                if m["name"] == "run_progress"]
    assert len(numbers) == 2 and sorted(sent) == sorted(numbers)
    # It yielded before each read (the batches first, then the second run): those pauses
    # are the scans' time, not the flush's, so its next pause does not grow with them.
    assert took >= 0.6 and busy < took - 0.6 + 0.05


def coalesced_progress(sio, app, plant):
    """Four scans of one run, then one flush: the run_progress messages and the scan count."""
    codes = first_batch(app, plant)
    live = sio.test_client(app, namespace="/live")
    live.emit("join", {"room": "plant"}, namespace="/live", callback=True)
    cut = station(sio, app, plant.station_tokens["cut-1"])
    for code in codes[:4]:
        cut.emit("scan", body(code), namespace="/station", callback=True)
    app.extensions["floorline_live"].flush()
    events = live.get_received("/live")
    progress = [m["args"][0] for m in events if m["name"] == "run_progress"]
    return progress, len([m for m in events if m["name"] == "scan_recorded"])


def test_join_refuses_unknown_rooms_and_runs(sio, app, plant):
    live = watcher(sio, app, plant)
    assert live.emit("join", {"room": "admin"}, namespace="/live", callback=True)["error"]
    assert live.emit("join", {"room": "run:PR-1999-00001"}, namespace="/live",
                     callback=True)["error"] == "unknown_run"
    assert live.emit("join", "plant", namespace="/live", callback=True)["error"]


def test_live_needs_a_login_unless_public(tmp_path, sqlite_url):
    with socket_app(tmp_path, sqlite_url, live_public=False) as app:
        plant = seed_plant(app)
        sio = app.extensions["socketio"]
        assert not sio.test_client(app, namespace="/live").is_connected("/live")
        assert sio.test_client(app, namespace="/live",
                               auth={"token": plant.admin_token}).is_connected("/live")


def test_heartbeat_reports_health_and_silence_marks_offline(sio, app, plant):
    live = watcher(sio, app, plant)
    live.emit("join", {"room": "station:qc-1"}, namespace="/live", callback=True)
    qc = station(sio, app, plant.station_tokens["qc-1"])
    ack = qc.emit("heartbeat", {"outbox_depth": 7, "sources": {"camera:0": "ok"},
                                "clock": datetime.now(UTC).isoformat()},
                  namespace="/station", callback=True)
    assert datetime.fromisoformat(ack["server_time"])
    health = [m["args"][0] for m in live.get_received("/live") if m["name"] == "station_health"]
    assert health[-1]["online"] and health[-1]["outbox_depth"] == 7
    assert health[-1]["health"]["sources"] == {"camera:0": "ok"}
    time.sleep(0.6)
    app.extensions["floorline_live"].offline_silent_stations()
    health = [m["args"][0] for m in live.get_received("/live") if m["name"] == "station_health"]
    assert health and health[-1]["online"] is False


def test_disconnect_marks_the_station_offline(sio, app, plant):
    live = sio.test_client(app, namespace="/live")
    live.emit("join", {"room": "plant"}, namespace="/live", callback=True)
    qc = station(sio, app, plant.station_tokens["qc-1"])
    qc.disconnect(namespace="/station")
    health = [m["args"][0] for m in live.get_received("/live") if m["name"] == "station_health"]
    assert [h["online"] for h in health] == [True, False]


def test_a_flood_is_deferred_but_nothing_acked_is_lost(sio, app, plant):
    codes = first_batch(app, plant)
    cut = station(sio, app, plant.station_tokens["cut-1"])
    acks = [cut.emit("scan", body(f"UNKNOWN-{i}"), namespace="/station", callback=True)
            for i in range(30)]
    deferred = [a for a in acks if a["outcome"] == "deferred"]
    stored = [a for a in acks if a["outcome"] != "deferred"]
    assert deferred and stored
    assert all(a["reason"] == "rate_limited" and a["retry_after"] > 0 for a in deferred)
    client = app.test_client()
    h = {"Authorization": f"Bearer {plant.admin_token}"}
    from sqlalchemy import func, select

    from server.models import ScanEvent
    with app.extensions["floorline"].sessions() as s:
        assert s.scalar(select(func.count()).select_from(ScanEvent)) == len(stored)
    # A deferred scan resent later is taken.
    time.sleep(0.5)
    resent = cut.emit("scan", body(codes[0]), namespace="/station", callback=True)
    assert resent["outcome"] == "accepted"
    assert client.get(f"/api/v1/batches/{codes[0]}", headers=h).json["step"] == "WELD"


def test_rest_fallback_gives_the_same_ack(sio, app, plant):
    codes = first_batch(app, plant)
    client = app.test_client()
    payload = body(codes[0])
    r = client.post("/api/v1/scans", json=payload,
                    headers={"Authorization": f"Bearer {plant.station_tokens['cut-1']}"})
    assert r.status_code == 200 and r.json["outcome"] == "accepted"
    cut = station(sio, app, plant.station_tokens["cut-1"])
    assert cut.emit("scan", payload, namespace="/station", callback=True) == r.json


def test_rest_fallback_refuses_other_credentials(app, plant):
    client = app.test_client()
    payload = body("B-2026-000001")
    assert client.post("/api/v1/scans", json=payload).status_code == 401
    assert client.post("/api/v1/scans", json=payload, headers={
        "Authorization": "Bearer fls_nope"}).status_code == 401
    assert client.post("/api/v1/scans", json=payload, headers={
        "Authorization": f"Bearer {plant.admin_token}"}).status_code == 403
    # A station token may not post as another station.
    assert client.post("/api/v1/stations/qc-1/scans", json=payload, headers={
        "Authorization": f"Bearer {plant.station_tokens['cut-1']}"}).status_code == 403


def test_rotating_a_token_cuts_off_connections_made_with_the_old_one(sio, app, plant):
    old = station(sio, app, plant.station_tokens["cut-1"])
    client = app.test_client()
    r = client.post("/api/v1/stations/cut-1/token",
                    headers={"Authorization": f"Bearer {plant.admin_token}"})
    assert r.status_code == 200
    assert not old.is_connected("/station")


def test_a_connection_that_outlived_its_token_cannot_scan(sio, app, plant):
    """Another process rotated the token: this connection learns it at its next scan."""
    codes = first_batch(app, plant)
    old = station(sio, app, plant.station_tokens["cut-1"])
    from server.services import plant as plant_service
    from server.services.actors import SYSTEM
    with app.extensions["floorline"].transaction() as s:
        plant_service.rotate_station_token(s, SYSTEM, "cut-1")
    ack = old.emit("scan", body(codes[0]), namespace="/station", callback=True)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "not_authorized")
    ack = old.emit("heartbeat", {}, namespace="/station", callback=True)
    assert (ack["code"], ack["detail"]) == ("not_authorized", {}) and ack["message"]
    assert not old.is_connected("/station")


def test_station_tokens_cannot_watch_live(sio, app, plant):
    # Even with live_public on (this fixture), a station token is refused, not let in as
    # anyone: a stolen kiosk pairing must not watch other stations' rooms.
    client = sio.test_client(app, namespace="/live",
                             auth={"token": plant.station_tokens["cut-1"]})
    assert not client.is_connected("/live")


def test_station_tokens_are_refused_on_a_private_live(tmp_path, sqlite_url):
    with socket_app(tmp_path, sqlite_url, live_public=False) as app:
        plant = seed_plant(app)
        sio = app.extensions["socketio"]
        assert not sio.test_client(app, namespace="/live", auth={
            "token": plant.station_tokens["cut-1"]}).is_connected("/live")


def test_a_batch_change_pushes_each_operation_s_queue_once_to_its_station_rooms(sio, app,
                                                                            plant):
    codes = first_batch(app, plant)
    kiosks = {}
    for name in ("cut-1", "weld-1"):
        kiosks[name] = watcher(sio, app, plant)
        kiosks[name].emit("join", {"room": f"station:{name}"}, namespace="/live", callback=True)
    cut = station(sio, app, plant.station_tokens["cut-1"])
    assert cut.emit("scan", body(codes[0]), namespace="/station", callback=True)["outcome"] \
        == "accepted"
    app.extensions["floorline_live"].flush()
    pushed = {name: [m["args"][0] for m in k.get_received("/live")
                     if m["name"] == "station_queue"] for name, k in kiosks.items()}
    assert [q["stations"] for q in pushed["weld-1"]] == [["weld-1"]]
    assert [q["stations"] for q in pushed["cut-1"]] == [["cut-1"]]
    assert codes[0] in [e["code"] for e in pushed["weld-1"][0]["queue"]]
    assert codes[0] not in [e["code"] for e in pushed["cut-1"][0]["queue"]]


def test_a_process_alone_builds_no_queue_or_progress_nobody_hears(sio, app, plant,
                                                                  monkeypatch):
    from server.services import live, queue

    built = []
    monkeypatch.setattr(queue, "operation_queue", lambda *a: built.append("queue") or [])
    monkeypatch.setattr(live, "run_summaries", lambda *a: built.append("runs") or [])
    cut = station(sio, app, plant.station_tokens["cut-1"])
    cut.emit("scan", body(first_batch(app, plant)[0]), namespace="/station", callback=True)
    app.extensions["floorline_live"].flush()
    assert built == []
    screen = watcher(sio, app, plant)
    screen.emit("join", {"room": "plant"}, namespace="/live", callback=True)
    cut.emit("scan", body(first_batch(app, plant)[1]), namespace="/station", callback=True)
    app.extensions["floorline_live"].flush()
    assert built == ["runs"]  # the plant hears run progress; no kiosk hears a queue
