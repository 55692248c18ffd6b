"""The zygote's forked servers behave as the subprocesses they replace."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.server_process import FloorlineServer


def test_a_forked_server_serves_its_own_database_and_dies_by_sigkill(tmp_path: Path) -> None:
    srv = FloorlineServer(tmp_path / "instance", f"sqlite:///{tmp_path / 'f.sqlite'}")
    srv.instance.mkdir(parents=True)
    plant = srv.seed()
    srv.start()
    assert srv.proc is not None and srv.proc.poll() is None
    run = srv.api("GET", f"/runs/{plant.runs[0]}").json()
    assert len(run["batches"]) > 0
    srv.kill()
    assert srv.proc.returncode == -signal.SIGKILL
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{srv.url}/healthz", timeout=2)
    srv.start()  # a restart forks a new child on the same database and port
    assert srv.api("GET", f"/runs/{plant.runs[0]}").json() == run
    srv.stop()
    assert srv.proc.returncode == -signal.SIGTERM


def test_a_forked_server_that_cannot_start_says_why_from_its_log(tmp_path: Path) -> None:
    srv = FloorlineServer(tmp_path / "instance", f"sqlite:///{tmp_path / 'f.sqlite'}",
                          env={"FLOORLINE_SECRET_KEY": "short"})
    srv.instance.mkdir(parents=True)
    with pytest.raises(RuntimeError, match="server exited") as raised:
        srv.start()
    assert "secret_key must be at least" in str(raised.value)
    assert srv.proc is not None and srv.proc.poll() == 1


def test_waiting_on_a_running_forked_server_times_out_as_popen_does(tmp_path: Path) -> None:
    srv = FloorlineServer(tmp_path / "instance", f"sqlite:///{tmp_path / 'f.sqlite'}")
    srv.instance.mkdir(parents=True)
    srv.seed()
    srv.start()
    assert srv.proc is not None
    with pytest.raises(subprocess.TimeoutExpired):
        srv.proc.wait(timeout=0.2)
    srv.stop()
