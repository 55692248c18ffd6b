"""Chaos: 1,200 scans streamed by a real station agent while the server is SIGKILLed and
restarted several times and the agent itself is SIGKILLed and restarted. Every scan must be
applied exactly once, counted in the server's database."""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from tests.chaos.agents import outbox_counts, start_agent
from tests.station.waiting import wait_until

pytestmark = pytest.mark.chaos
SCANS = 1200


def test_every_scan_is_applied_exactly_once_through_crashes(tmp_path, sqlite_url):
    from tests.server_process import FloorlineServer

    srv = FloorlineServer(tmp_path / "instance", sqlite_url,
                          env={"FLOORLINE_SCAN_RATE_PER_SECOND": "2000"})
    srv.instance.mkdir(parents=True)
    plant = srv.seed()
    srv.start()
    try:
        token = plant.station_tokens["cut-1"]
        srv.api("POST", "/items", json={"sku": "CHAOS", "name": "Chaos part",
                                        "kind": "finished", "unit": "pcs", "routing": ["CUT"]})
        run = srv.api("POST", "/runs", json={"lines": [
            {"item": "CHAOS", "quantity": 1, "unit": "pcs", "batches": SCANS}]}).json()
        codes = [b["code"] for b in run["batches"]]
        outbox, log = tmp_path / "outbox.sqlite", tmp_path / "agent.log"
        server_kills = _stream_while_killing_server(srv, token, codes, outbox, log)
        agent_kills = _drain_while_killing_agent(srv, token, outbox, log)
    finally:
        srv.stop()

    assert server_kills >= 4 and agent_kills == 2
    engine = create_engine(sqlite_url)
    with engine.connect() as db:
        outcomes = dict(db.execute(text(
            "SELECT outcome, count(*) FROM scan_events GROUP BY outcome")).all())
        per_batch = db.execute(text(
            "SELECT count(*) FROM (SELECT batch_id FROM scan_events GROUP BY batch_id "
            "HAVING count(*) > 1)")).scalar()
        done = db.execute(text(
            "SELECT count(*) FROM batches b JOIN production_runs r ON r.id = b.run_id "
            "WHERE r.number = :n AND b.state = 'done'"), {"n": run["number"]}).scalar()
        status = db.execute(text("SELECT status FROM production_runs WHERE number = :n"),
                            {"n": run["number"]}).scalar()
    engine.dispose()
    assert outcomes == {"accepted": SCANS}, outcomes  # none lost, none twice, none rejected
    assert per_batch == 0
    assert done == SCANS and status == "completed"


def _stream_while_killing_server(srv, token, codes, outbox, log) -> int:
    """Type every code into the agent while the server crashes and comes back; the last
    half arrives while it is down, so the agent's outbox holds a backlog."""
    agent = start_agent(srv.url, token, outbox, log, stdin=subprocess.PIPE)
    assert agent.stdin is not None
    kills = 0
    half = len(codes) // 2

    def feed(chunk: list[str]) -> None:
        for i in range(0, len(chunk), 50):
            agent.stdin.write("".join(f"{c}\n" for c in chunk[i:i + 50]).encode())
            agent.stdin.flush()
            time.sleep(0.1)

    for i in range(0, half, 150):  # crash and restart the server every 150 scans
        feed(codes[i:i + 150])
        srv.kill()
        kills += 1
        time.sleep(0.3)
        srv.start()
    srv.kill()
    kills += 1
    feed(codes[half:])
    wait_until(lambda: outbox_counts(outbox)[0] == len(codes), 60)
    agent.send_signal(signal.SIGKILL)
    agent.wait()
    return kills


def _drain_while_killing_agent(srv, token, outbox, log) -> int:
    """With the server back, SIGKILL the agent twice mid-drain (and the server once more)."""
    srv.start()
    kills = 0
    for round_ in range(2):
        assert outbox_counts(outbox)[1] > 0, "no backlog left to test the agent's crash"
        agent = start_agent(srv.url, token, outbox, log, stdin=subprocess.DEVNULL)
        before = outbox_counts(outbox)[1]
        wait_until(lambda b=before: outbox_counts(outbox)[1] < b, 30)
        if round_ == 1:
            srv.kill()
            srv.start()
        agent.send_signal(signal.SIGKILL)
        agent.wait()
        kills += 1
    agent = start_agent(srv.url, token, outbox, log, stdin=subprocess.DEVNULL, drain=True)
    assert agent.wait(timeout=120) == 0, log.read_text()[-3000:]
    assert outbox_counts(outbox)[1] == 0
    return kills


STATIONS = ("cut-1", "weld-1", "paint-1", "qc-1", "pack-1")
PER_STATION = 200


def test_five_stations_at_once_apply_every_scan_exactly_once_through_server_kills(
        tmp_path, sqlite_url):
    """Five agents stream together, so scans share commits (groups), while the server is
    SIGKILLed mid-stream: a group killed before its commit acked nothing, and is resent."""
    from tests.chaos.agents import applied, feed
    from tests.server_process import FloorlineServer

    srv = FloorlineServer(tmp_path / "instance", sqlite_url,
                          env={"FLOORLINE_SCAN_RATE_PER_SECOND": "2000"})
    srv.instance.mkdir(parents=True)
    plant = srv.seed()
    srv.start()
    ops = {"cut-1": "CUT", "weld-1": "WELD", "paint-1": "PAINT", "qc-1": "QC", "pack-1": "PACK"}
    try:
        for name in STATIONS:  # one single-step item per station, so its batches are its own
            srv.api("POST", "/items", json={"sku": f"G-{ops[name]}", "name": name,
                                            "kind": "finished", "unit": "pcs",
                                            "routing": [ops[name]]})
        run = srv.api("POST", "/runs", json={"lines": [
            {"item": f"G-{ops[name]}", "quantity": 1, "unit": "pcs", "batches": PER_STATION}
            for name in STATIONS]}).json()
        codes: dict[str, list[str]] = {name: [] for name in STATIONS}
        sku_station = {f"G-{op}": name for name, op in ops.items()}
        for batch in run["batches"]:
            codes[sku_station[batch["item"]]].append(batch["code"])
        agents = {name: start_agent(srv.url, plant.station_tokens[name],
                                    tmp_path / f"{name}.sqlite", tmp_path / f"{name}.log",
                                    stdin=subprocess.PIPE) for name in STATIONS}
        feeders = [threading.Thread(target=feed, args=(agents[name], codes[name]),
                                    kwargs={"chunk": 20, "pause": 0.05}) for name in STATIONS]
        for t in feeders:
            t.start()
        kills = 0
        while any(t.is_alive() for t in feeders) or kills < 3:
            time.sleep(0.7)
            srv.kill()
            kills += 1
            srv.start()
        for t in feeders:
            t.join()
        for name in STATIONS:
            wait_until(lambda n=name: outbox_counts(tmp_path / f"{n}.sqlite") ==
                       (PER_STATION, 0), 120)
        for agent in agents.values():
            agent.kill()
            agent.wait()
    finally:
        srv.stop()
    outcomes, twice, done, status = applied(sqlite_url, run["number"])
    assert kills >= 3
    assert outcomes == {"accepted": PER_STATION * len(STATIONS)}, outcomes
    assert twice == 0 and done == PER_STATION * len(STATIONS) and status == "completed"
