"""bench/ingest.py at a tiny size (four stations, half-second phases): every configuration's
rows are printed, every scan is acked, and with two processes the scans sent to the process
the /live listener is not on still reach it (through Redis). CI runs it this small; the
figures come from `make bench`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES, need_service
from tests.support.benches import refused, run_bench

TINY = ("--stations", "4", "--seconds", "0.5", "--batches", "40")
REACHED = re.compile(r"^(.+): ([\d,]+) of ([\d,]+) scans reached /live, ([\d,]+) of them sent "
                     r"to another process(?:;.*)?$", re.MULTILINE)


def reached(stdout: str) -> dict[str, tuple[int, int, int]]:
    return {name: (int(live.replace(",", "")), int(scans.replace(",", "")),
                   int(remote.replace(",", "")))
            for name, live, scans, remote in REACHED.findall(stdout)}


def test_the_ingest_bench_runs_tiny_on_sqlite_against_the_bare_handler():
    out = run_bench("ingest.py", *TINY)
    names = ["Floorline, SQLite, 1 process", "bare Flask-SocketIO handler"]
    assert [(r[0], r[1]) for r in out.rows] == [
        (name, load) for name in names for load in ("paced", "saturated")]
    assert all(float(x.replace(",", "")) > 0 for x in out.column("scans/s"))
    assert all(float(x) > 0 for x in out.column("server CPU ms/scan"))
    assert out.column("PostgreSQL CPU ms/scan") == ["-"] * 4
    assert out.column("not accepted") == ["-"] * 4
    assert set(reached(out.stdout)) == set(names)
    assert all(live > 0 and remote == 0 for live, _, remote in reached(out.stdout).values())
    assert "Full pipeline / bare handler throughput (saturated): " in out.stdout


@pytest.mark.postgres
@pytest.mark.redis
def test_the_ingest_bench_runs_tiny_on_two_postgresql_processes_sharing_redis():
    need_service("PostgreSQL", 5432)
    need_service("Redis", 6379)
    out = run_bench("ingest.py", *TINY, "--pg", "--processes", "2", "--no-sqlite")
    name = "Floorline, PostgreSQL + Redis, 2 processes"
    assert [(r[0], r[1]) for r in out.rows] == [(name, "paced"), (name, "saturated")]
    assert all(float(x) > 0 for x in out.column("PostgreSQL CPU ms/scan"))
    assert out.column("not accepted") == ["-", "-"]
    live, scans, remote = reached(out.stdout)[name]
    assert scans > 0 and live > 0
    assert remote > 0  # stations 1 and 3 scan on the second process; /live is on the first


@pytest.mark.postgres
@pytest.mark.redis
def test_the_ingest_bench_runs_tiny_behind_nginx_with_the_shipped_config():
    need_service("PostgreSQL", 5432)
    need_service("Redis", 6379)
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if REQUIRE_SERVICES:
            pytest.fail("nginx is required (make test installs nginx-light)")
        pytest.skip("nginx not installed")
    out = run_bench("ingest.py", *TINY, "--pg", "--processes", "2", "--no-sqlite", "--nginx")
    name = "Floorline, PostgreSQL + Redis, 2 processes behind nginx"
    assert [(r[0], r[1]) for r in out.rows] == [(name, "paced"), (name, "saturated")]
    live, _, remote = reached(out.stdout)[name]
    assert live > 0 and remote > 0
    # ip_hash sent stations 0 and 2 and the listener to the first process, 1 and 3 to the
    # other (all five from 127.0.0.1 would have gone to one); a kept-alive HTTP one may add.
    held = re.search(r"nginx held (\d+), (\d+) connections", out.stdout)
    assert held is not None
    first, second = (int(n) for n in held.groups())
    assert first >= 3 and second >= 2 and first + second <= 6


def test_the_ingest_bench_refuses_process_counts_it_cannot_run():
    assert "--processes needs --pg" in refused("ingest.py", "--processes", "3")
    assert "expected counts of 1 or more" in refused("ingest.py", "--pg", "--processes", "0,3")
