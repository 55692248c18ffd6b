"""deploy/ as IT runs it: two gunicorn processes (PostgreSQL, Redis) behind nginx with the
shipped nginx.conf. Websockets are upgraded, and long-polling clients stay on one process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import REQUIRE_SERVICES, _truncate_all, need_service
from tests.server.test_live_server import scan_body
from tests.server_process import FloorlineServer
from tests.station.harness import free_port, station_env
from tests.support.nginx import nginx_conf
from tests.support.sockets import close_in_background

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def gunicorn(instance: Path, url: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    full = {**station_env(), **env, "FLOORLINE_BIND": f"127.0.0.1:{port}",
            "FLOORLINE_DATABASE_URL": url, "FLOORLINE_INSTANCE_PATH": str(instance),
            "FLOORLINE_CONFIG": "/nonexistent", "FLOORLINE_LOG_LEVEL": "warning"}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                             str(REPO / "deploy" / "gunicorn.conf.py"), "server.wsgi:app"],
                            env=full, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def wait_healthy(url: str) -> None:
    for _ in range(300):
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not become healthy")


@pytest.fixture
def behind_nginx(tmp_path, pg_database):
    if shutil.which("nginx") is None:
        if REQUIRE_SERVICES:
            pytest.fail("nginx is required (make test installs nginx-light)")
        pytest.skip("nginx not installed")
    need_service("Redis", 6379)
    _truncate_all(pg_database)
    seeded = FloorlineServer(tmp_path / "instance", pg_database)
    seeded.instance.mkdir(parents=True)
    plant = seeded.seed()
    env = {"FLOORLINE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0", "FLOORLINE_LIVE_PUBLIC": "1",
           "FLOORLINE_MESSAGE_QUEUE_CHANNEL": f"floorline-test-{uuid.uuid4().hex[:8]}"}
    ports = [free_port(), free_port()]
    procs = [gunicorn(seeded.instance, pg_database, p, env) for p in ports]
    listen = free_port()
    conf = nginx_conf(tmp_path, listen, ports)
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp_path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{listen}"
    try:
        for p in ports:
            wait_healthy(f"http://127.0.0.1:{p}")
        wait_healthy(url)
        yield url, plant
    finally:
        for proc in [nginx, *procs]:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_stations_and_screens_work_through_nginx(behind_nginx, transport):
    url, plant = behind_nginx
    headers = {"Authorization": f"Bearer {plant.admin_token}"}
    code = requests.get(f"{url}/api/v1/runs/{plant.runs[1]}", headers=headers,
                        timeout=5).json()["batches"][0]["code"]
    seen = threading.Event()
    live = socketio.Client(reconnection=False)
    live.on("scan_recorded", lambda data: seen.set() if data["batch"] == code else None,
            namespace="/live")
    live.connect(url, namespaces=["/live"], transports=[transport], wait_timeout=10)
    live.call("join", {"room": "plant"}, namespace="/live")
    station = socketio.Client(reconnection=False)
    station.connect(url, namespaces=["/station"], transports=[transport],
                    auth={"token": plant.station_tokens["cut-1"]}, wait_timeout=10)
    try:
        # Polling needs every request of a session at one process: ip_hash sees to it.
        for _ in range(3):
            station.call("heartbeat", {"outbox_depth": 0}, namespace="/station", timeout=10)
        ack = station.call("scan", scan_body(code), namespace="/station", timeout=10)
        assert ack["outcome"] == "accepted"
        assert station.eio.transport() == transport
        assert seen.wait(5)
    finally:
        close_in_background(station)
        close_in_background(live)
