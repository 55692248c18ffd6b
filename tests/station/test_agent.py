"""The agent process keeps every scan across kill -9 and delivers them in order on restart."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from station.agent import Agent, source_statuses
from station.decoding import Suppressor
from station.outbox import Outbox
from station.scans import Read
from station.sources.stdin import StdinSource
from tests.station.conftest import TOKEN
from tests.station.harness import ServerProcess, free_port, station_env
from tests.station.server_records import applied_codes
from tests.station.waiting import wait_until


def outbox_codes(path: Path) -> list[str]:
    """Read the codes waiting in an outbox file, oldest first, from outside the agent."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT json_extract(body, '$.code') FROM outbox ORDER BY seq")
        return [row[0] for row in rows.fetchall()]
    except sqlite3.OperationalError:
        return []  # not created yet
    finally:
        conn.close()


def agent_command(server_url: str, outbox: Path, *extra: str) -> list[str]:
    """Return the command line of an agent reading codes from stdin."""
    return [sys.executable, "-m", "station", "--server", server_url, "--token", TOKEN,
            "--source", "stdin", "--outbox", str(outbox), *extra]


def test_agent_killed_mid_stream_keeps_every_scan_and_resends_in_order(
    tmp_path: Path, server_command: list[str]
) -> None:
    port = free_port()
    outbox = tmp_path / "outbox.sqlite"
    codes = [f"B-{i:03d}" for i in range(40)]
    agent = subprocess.Popen(agent_command(f"http://127.0.0.1:{port}", outbox),
                             stdin=subprocess.PIPE, env=station_env(), cwd=tmp_path)
    assert agent.stdin is not None
    for code in codes:
        agent.stdin.write(f"{code}\n".encode())
        agent.stdin.flush()
    wait_until(lambda: len(outbox_codes(outbox)) == len(codes))
    agent.send_signal(signal.SIGKILL)  # mid-stream: the server is down, nothing was acked
    agent.wait()
    assert outbox_codes(outbox) == codes

    server = ServerProcess(server_command, tmp_path / "server.sqlite", port=port)
    server.start()
    try:
        restarted = subprocess.run(
            agent_command(server.url, outbox, "--exit-when-drained"),
            stdin=subprocess.DEVNULL, env=station_env(), cwd=tmp_path, timeout=60, check=True,
        )
        assert restarted.returncode == 0
        assert applied_codes(server.db) == codes
        assert outbox_codes(outbox) == []
    finally:
        server.kill()


def test_agent_suppresses_a_repeated_code_from_one_source(tmp_path: Path) -> None:
    import io

    source = StdinSource("stdin", io.StringIO("B-1\nB-1\nB-2\nB-1\n"))
    box = Outbox(tmp_path / "o.sqlite")
    agent = Agent([source], box, None, suppressor=Suppressor(2.0), operator="op-1")
    source.run(agent.on_read, threading.Event())
    assert [s.code for s in box.pending()] == ["B-1", "B-2"]
    assert {s.operator for s in box.pending()} == {"op-1"}
    assert source_statuses([source]) == {"stdin": "finished"}


def test_agent_refuses_reads_when_the_outbox_is_full_but_keeps_running(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_rows=2)
    agent = Agent([], box, None, suppressor=Suppressor(0.0))
    for i in range(4):
        agent.on_read(Read(f"B-{i}", "QRCode", "camera:0"))
    assert [s.code for s in box.pending()] == ["B-0", "B-1"]
    assert agent.refused == 2


def test_agent_restarts_a_source_that_crashes(tmp_path: Path) -> None:
    class Flaky:
        name = "flaky"
        status = "ok"
        runs = 0

        def run(self, emit: object, stop: threading.Event) -> None:
            Flaky.runs += 1
            if Flaky.runs == 1:
                raise RuntimeError("driver bug")
            emit(Read("B-9", "QRCode", "flaky"))  # type: ignore[operator]
            self.status = "finished"

    box = Outbox(tmp_path / "o.sqlite")
    agent = Agent([Flaky()], box, None)
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, args=(stop,))
    thread.start()
    try:
        wait_until(lambda: box.depth() == 1, timeout=10)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert Flaky.runs == 2
