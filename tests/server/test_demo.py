"""`floorline demo`: a fresh plant, served, with simulated stations moving runs forward."""

import json
import signal
import subprocess
import sys
import time

import requests

from tests.station.harness import free_port, station_env


def test_demo_seeds_serves_and_scans(tmp_path):
    port = free_port()
    env = {**station_env(), "FLOORLINE_INSTANCE_PATH": str(tmp_path / "instance"),
           "FLOORLINE_CONFIG": "/nonexistent"}
    env.pop("FLOORLINE_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "demo", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        progressed = None
        while time.monotonic() < deadline and progressed is None:
            time.sleep(1)
            info = tmp_path / "instance" / "demo.json"
            if not info.exists():
                continue
            token = json.loads(info.read_text())["admin_token"]
            try:
                runs = requests.get(f"{base}/api/v1/runs", timeout=2, headers={
                    "Authorization": f"Bearer {token}"}).json()["runs"]
            except requests.RequestException:
                continue
            progressed = next((r for r in runs if r["progress"]["completion"] > 0), None)
        assert progressed is not None, "no run moved within 90 s"
        assert progressed["status"] in ("in_progress", "completed")
        assert requests.get(f"{base}/dashboard", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
