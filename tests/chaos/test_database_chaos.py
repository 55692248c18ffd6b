"""Chaos in the database: a real station agent streams scans while the server's PostgreSQL
connections are terminated again and again, or while another process holds SQLite's write
lock. Every scan must still be applied exactly once."""

from __future__ import annotations

import random
import subprocess
import sys
import threading

import pytest
from sqlalchemy import text

from server.db import make_engine
from tests.chaos.agents import applied, chaos_run, feed, outbox_counts, start_agent
from tests.station.waiting import wait_until

pytestmark = pytest.mark.chaos
SCANS = 300
LOCK_SECONDS = 2.0
KILLS = 12  # rounds that terminated at least one server connection

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # hold until the test closes our stdin
db.execute("ROLLBACK")
"""


def serve(tmp_path, database_url, **env):
    from tests.server_process import FloorlineServer

    srv = FloorlineServer(tmp_path / "instance", database_url,
                          env={"FLOORLINE_SCAN_RATE_PER_SECOND": "2000", **env})
    srv.instance.mkdir(parents=True)
    srv.seed()
    srv.start()
    return srv


def delivered(tmp_path) -> int:
    """Count the scans the agent has had acked so far."""
    stored, waiting = outbox_counts(tmp_path / "outbox.sqlite")
    return stored - waiting


def deferrals(srv) -> int:
    """Count the scans the server deferred (the chaos really hit the scan path)."""
    return srv.log_path.read_text().count("scan deferred")


def stream(srv, codes, tmp_path, during) -> None:
    """Feed every code into one agent while `during` runs; wait until all are acked."""
    outbox, log = tmp_path / "outbox.sqlite", tmp_path / "agent.log"
    agent = start_agent(srv.url, srv.plant.station_tokens["cut-1"], outbox, log,
                        stdin=subprocess.PIPE)
    failed: list[BaseException] = []

    def run_chaos() -> None:
        try:
            during()
        except BaseException as err:  # handed to the test below
            failed.append(err)

    try:
        chaos = threading.Thread(target=run_chaos, daemon=True)
        chaos.start()
        feed(agent, codes, pause=0.2)
        chaos.join(timeout=120)
        if failed:
            raise failed[0]
        wait_until(lambda: outbox_counts(outbox) == (len(codes), 0), 120)
    finally:
        agent.kill()
        agent.wait()


@pytest.mark.postgres
def test_every_scan_is_applied_once_while_postgres_connections_are_terminated(
        tmp_path, pg_database):
    from tests.conftest import _truncate_all

    _truncate_all(pg_database)
    srv = serve(tmp_path, pg_database)
    admin = make_engine(pg_database, isolation_level="AUTOCOMMIT")
    rng = random.Random(9)
    kills: list[int] = []
    stop = threading.Event()

    def terminate_server_connections() -> None:
        with admin.connect() as db:
            while not stop.wait(rng.uniform(0.2, 0.6)) and sum(map(bool, kills)) < KILLS:
                killed = db.execute(text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )).scalar()
                kills.append(int(killed or 0))

    try:
        number, codes = chaos_run(srv, SCANS)

        def during() -> None:
            worker = threading.Thread(target=terminate_server_connections, daemon=True)
            worker.start()
            # Terminate while the stream is in flight (KILLS times, at most until 90% are
            # acked), then let it drain.
            wait_until(lambda: delivered(tmp_path) >= SCANS * 0.9 or not worker.is_alive(),
                       120)
            stop.set()
            worker.join()

        stream(srv, codes, tmp_path, during)
    finally:
        stop.set()
        srv.stop()
        admin.dispose()
    assert sum(1 for k in kills if k) >= 5 and deferrals(srv) > 0, kills
    outcomes, twice, done, status = applied(pg_database, number)
    assert outcomes == {"accepted": SCANS}, outcomes  # none lost, none twice, none rejected
    assert twice == 0 and done == SCANS and status == "completed"


def test_every_scan_is_applied_once_while_the_sqlite_write_lock_is_held(tmp_path, sqlite_url):
    srv = serve(tmp_path, sqlite_url, FLOORLINE_DB_LOCK_WAIT_SECONDS="0.5")
    path = sqlite_url[len("sqlite:///"):]
    held = []

    def hold_the_lock_twice() -> None:
        for round_ in range(2):
            # Mid-stream: while the agent is connected and delivering its backlog.
            wait_until(lambda r=round_: delivered(tmp_path) >= SCANS * (0.2 + 0.4 * r), 60)
            holder = subprocess.Popen([sys.executable, "-c", HOLDER, path],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
            threading.Event().wait(LOCK_SECONDS)  # several lock budgets, mid-stream
            assert holder.stdin is not None
            holder.stdin.close()
            holder.wait(timeout=10)
            held.append(round_)

    try:
        number, codes = chaos_run(srv, SCANS)
        stream(srv, codes, tmp_path, hold_the_lock_twice)
    finally:
        srv.stop()
    assert held == [0, 1] and deferrals(srv) > 0
    outcomes, twice, done, status = applied(sqlite_url, number)
    assert outcomes == {"accepted": SCANS}, outcomes
    assert twice == 0 and done == SCANS and status == "completed"
