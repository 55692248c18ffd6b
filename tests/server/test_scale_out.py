"""Several server processes on PostgreSQL share their broadcasts through real Redis."""

import threading
import uuid

import pytest
import socketio

from tests.conftest import need_service
from tests.server.test_live_server import connect_station, scan_body
from tests.server_process import FloorlineServer
from tests.support.sockets import close_in_background

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def two_servers(tmp_path, pg_database):
    need_service("Redis", 6379)
    from tests.conftest import _truncate_all
    _truncate_all(pg_database)
    env = {"FLOORLINE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
           "FLOORLINE_MESSAGE_QUEUE_CHANNEL": f"floorline-test-{uuid.uuid4().hex[:8]}",
           "FLOORLINE_LIVE_PUBLIC": "1"}
    a = FloorlineServer(tmp_path / "a", pg_database, env=env)
    b = FloorlineServer(tmp_path / "b", pg_database, env=env)
    for srv in (a, b):
        srv.instance.mkdir(parents=True)
    a.seed()
    b.plant = a.plant
    a.start()
    b.start()
    yield a, b
    a.stop()
    b.stop()


def test_a_scan_on_process_a_reaches_a_live_client_on_process_b(two_servers):
    a, b = two_servers
    code = a.api("GET", f"/runs/{a.plant.runs[0]}").json()["batches"][0]["code"]
    got, arrived = [], threading.Event()
    live = socketio.Client(reconnection=False)

    @live.on("scan_recorded", namespace="/live")
    def on_scan(data):
        got.append(data)
        arrived.set()

    progress = threading.Event()
    live.on("run_progress", lambda data: progress.set(), namespace="/live")
    live.connect(b.url, namespaces=["/live"], transports=["websocket"], wait_timeout=10)
    live.call("join", {"room": "plant"}, namespace="/live")
    station = connect_station(a.url, a.plant.station_tokens["cut-1"])
    try:
        ack = station.call("scan", scan_body(code), namespace="/station", timeout=10)
        assert ack["outcome"] == "accepted"
        assert arrived.wait(5) and got[0]["batch"] == code and got[0]["station"] == "cut-1"
        assert progress.wait(5)
    finally:
        close_in_background(station)
        close_in_background(live)


def test_two_processes_scanning_one_batch_at_once_advance_it_once(two_servers):
    a, b = two_servers
    codes = [x["code"] for x in a.api("GET", f"/runs/{a.plant.runs[0]}").json()["batches"]]
    sa = connect_station(a.url, a.plant.station_tokens["cut-1"])
    # A second CUT station, connected to the other process.
    token = a.api("POST", "/stations", json={"name": "cut-2", "operation": "CUT"}).json()["token"]
    sb = connect_station(b.url, token)
    try:
        for code in codes:
            barrier = threading.Barrier(2)
            acks = []

            def go(client, barrier=barrier, acks=acks, code=code):
                barrier.wait()
                acks.append(client.call("scan", scan_body(code), namespace="/station",
                                        timeout=10))

            threads = [threading.Thread(target=go, args=(c,)) for c in (sa, sb)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(x["outcome"] for x in acks) == ["accepted", "rejected"], acks
            assert a.api("GET", f"/batches/{code}").json()["step_index"] == 1
    finally:
        close_in_background(sa)
        close_in_background(sb)
