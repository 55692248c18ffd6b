"""End to end on a real gevent server: two station agents scan a run through every step to
completed, while a /live client sees every change in order."""

import threading
import uuid
from datetime import UTC, datetime

import socketio

from tests.support.sockets import close_in_background


def scan_body(code):
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}


def connect_station(url, token):
    client = socketio.Client(reconnection=False)
    # A loaded machine (parallel workers) can take over the client's 1 s default to answer.
    client.connect(url, namespaces=["/station"], auth={"token": token}, transports=["websocket"],
                   wait_timeout=10)
    return client


def test_two_stations_drive_a_run_to_completed_while_live_watches(floorline_server):
    srv = floorline_server
    plant = srv.plant
    run = srv.api("GET", f"/runs/{plant.runs[1]}").json()  # ROD-8: CUT, QC, PACK
    assert run["routings"]["ROD-8"] == ["CUT", "QC", "PACK"]
    codes = [b["code"] for b in run["batches"]]

    seen, done = [], threading.Event()
    live = socketio.Client(reconnection=False)

    @live.on("run_progress", namespace="/live")
    def on_progress(data):
        seen.append(("progress", data["version"], data["status"]))
        if data["status"] == "completed":
            done.set()

    @live.on("scan_recorded", namespace="/live")
    def on_scan(data):
        seen.append(("scan", data["batch"], data["step"], data["outcome"]))

    # Run rooms need a login (public screens see the plant only): watch as the admin.
    live.connect(srv.url, namespaces=["/live"], transports=["websocket"],
                 auth={"token": plant.admin_token}, wait_timeout=10)
    snapshot = live.call("join", {"room": f"run:{run['number']}"}, namespace="/live")
    assert snapshot["run"]["status"] == "pending"

    a = connect_station(srv.url, plant.station_tokens["cut-1"])
    b = connect_station(srv.url, plant.station_tokens["qc-1"])
    c = connect_station(srv.url, plant.station_tokens["pack-1"])
    try:
        for client in (a, b, c):
            for code in codes:
                ack = client.call("scan", scan_body(code), namespace="/station", timeout=10)
                assert ack["outcome"] == "accepted", ack
        assert done.wait(5), seen
    finally:
        for client in (a, b, c, live):
            close_in_background(client)

    final = srv.api("GET", f"/runs/{run['number']}").json()
    assert final["status"] == "completed" and final["completed_at"]
    assert final["progress"]["completion"] == 100.0
    scans = [s for s in seen if s[0] == "scan"]
    assert len(scans) == 3 * len(codes)
    assert [s[2] for s in scans] == ["CUT"] * 6 + ["QC"] * 6 + ["PACK"] * 6
    versions = [s[1] for s in seen if s[0] == "progress"]
    assert versions == sorted(versions), "progress went backwards"
    batch = srv.api("GET", f"/batches/{codes[0]}").json()
    assert [e["operation"] for e in batch["executions"]] == ["CUT", "QC", "PACK"]
    assert all(e["station"] and e["finished_at"] for e in batch["executions"])
