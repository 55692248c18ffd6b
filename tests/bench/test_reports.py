"""bench/reports.py at a tiny size (ten runs, two rounds) on SQLite and on PostgreSQL: the
bulk-written graph is one the cost roll-up reads, and both reports are timed."""

from __future__ import annotations

import pytest

from tests.conftest import need_service
from tests.support.benches import run_bench

REPORTS = ["cost of a serial", "cost of the lot (everything below it)"]


def test_the_reports_bench_runs_at_ten_runs_on_sqlite():
    out = run_bench("reports.py", "--runs", "10", "--rounds", "2")
    assert out.header == ["report", "p50 ms", "p95 ms"]
    assert out.column("report") == REPORTS
    assert out.stdout.lstrip().startswith("SQLite, 260 edges, 2 rounds")


@pytest.mark.postgres
def test_the_reports_bench_runs_at_ten_runs_on_postgresql():
    need_service("PostgreSQL", 5432)
    out = run_bench("reports.py", "--runs", "10", "--rounds", "2", "--pg")
    assert out.column("report") == REPORTS
    assert out.stdout.lstrip().startswith("PostgreSQL, 260 edges, 2 rounds")

