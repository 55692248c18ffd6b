"""`floorline demo`: a fresh plant, served, with simulated stations working it until stopped."""

import json
import signal
import subprocess
import sys
import time

import requests

from tests.station.harness import free_port, station_env


def runs_of(base, token):
    return requests.get(f"{base}/api/v1/runs", params={"limit": 100}, timeout=5, headers={
        "Authorization": f"Bearer {token}"}).json()["runs"]


def test_the_demo_keeps_making_and_working_new_runs_after_the_seeded_ones(tmp_path):
    port = free_port()
    env = {**station_env(), "FLOORLINE_INSTANCE_PATH": str(tmp_path / "instance"),
           "FLOORLINE_CONFIG": "/nonexistent"}
    env.pop("FLOORLINE_DATABASE_URL", None)
    # An accelerated floor: a station works on a batch for about 0.05 s, not 12.
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "demo", "--port", str(port),
                             "--step-seconds", "0.05"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 150
        before: set[str] | None = None  # the runs there were when the seeded ones were done
        later = None
        while time.monotonic() < deadline and later is None:
            time.sleep(1)  # polling a subprocess: the wait is bounded by the deadline
            info = tmp_path / "instance" / "demo.json"
            if not info.exists():
                continue
            plant = json.loads(info.read_text())
            try:
                runs = runs_of(base, plant["admin_token"])
            except requests.RequestException:
                continue
            if before is None:
                if all(r["status"] == "completed" for r in runs
                       if r["number"] in plant["runs"]):
                    before = {r["number"] for r in runs}
                continue
            # Work goes on: a run made after the seeded ones finished is being scanned.
            later = next((r for r in runs if r["number"] not in before
                          and r["progress"]["completion"] > 0), None)
        assert before is not None, "the seeded runs were not worked through"
        assert later is not None, "the demo stopped working after its seeded runs"
        assert requests.get(f"{base}/dashboard", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
