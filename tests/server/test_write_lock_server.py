"""A real gevent server while another process holds SQLite's write lock for several of the
server's lock budgets: health and live sockets keep answering, and scans are deferred (never
rejected) until it passes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests
import socketio

from tests.support.sockets import close_in_background

# The server waits 3 s for the lock per scan; holding it 8 s spans two whole budgets and part
# of a third, each of which a blocking wait would turn into a health request timing out (2 s).
# FLOORLINE_TEST_LOCK_SECONDS=20 gives the longer soak this test used to run.
LOCK_WAIT_SECONDS = 3.0
LOCK_SECONDS = float(os.environ.get("FLOORLINE_TEST_LOCK_SECONDS", "8"))

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # hold until the test closes our stdin
db.execute("ROLLBACK")
"""


def scan_body(code: str) -> dict[str, str]:
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}


@pytest.fixture
def server(tmp_path, sqlite_url):
    from tests.server_process import FloorlineServer

    srv = FloorlineServer(tmp_path / "instance", sqlite_url,
                          env={"FLOORLINE_LIVE_PUBLIC": "1",
                               "FLOORLINE_DB_LOCK_WAIT_SECONDS": str(LOCK_WAIT_SECONDS)})
    srv.instance.mkdir(parents=True, exist_ok=True)
    srv.seed()
    srv.start()
    yield srv
    srv.stop()


def test_a_held_write_lock_neither_freezes_the_server_nor_rejects_scans(server, sqlite_url):
    plant = server.plant
    run = server.api("GET", f"/runs/{plant.runs[1]}").json()
    codes = [b["code"] for b in run["batches"]]
    live = socketio.Client(reconnection=False)
    live.connect(server.url, namespaces=["/live"], transports=["websocket"], wait_timeout=10)
    station = socketio.Client(reconnection=False)
    station.connect(server.url, namespaces=["/station"], transports=["websocket"],
                    auth={"token": plant.station_tokens["cut-1"]}, wait_timeout=10)
    bodies = [scan_body(code) for code in codes]
    acks: list[dict[str, object]] = []

    def scan_all() -> None:
        # Each scan waits out the lock budget in the server, cooperatively.
        for body in bodies:
            acks.append(station.call("scan", body, namespace="/station", timeout=30))

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, sqlite_url[len("sqlite:///"):]],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        scanner = threading.Thread(target=scan_all)
        scanner.start()
        held_until = time.monotonic() + LOCK_SECONDS
        while time.monotonic() < held_until:
            r = requests.get(f"{server.url}/healthz", timeout=2)  # a frozen loop times out
            assert r.status_code == 200, r.text
            assert live.connected and station.connected
            scanner.join(timeout=0.5)
        assert acks and all(a["outcome"] == "deferred" for a in acks), acks
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    scanner.join(timeout=30)
    resent = [station.call("scan", body, namespace="/station", timeout=10)
              for body in bodies[:len(acks)]]
    assert {a["outcome"] for a in resent} == {"accepted"}, resent
    assert live.connected and station.connected
    close_in_background(live)
    close_in_background(station)
