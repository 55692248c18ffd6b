"""bench/jobs.py at a tiny size (200 jobs, two rounds) on SQLite and on PostgreSQL: the seeded
rows pass the database's CHECKs and every request it names answers (CI runs it this small)."""

from __future__ import annotations

import pytest

from tests.conftest import need_service
from tests.support.benches import run_bench

REQUESTS = ["page 1", "page 2 (middle)", "page 4 (last)", "ongoing, stage FAB, page 1",
            "search 'kim'", "search 'kim', page 200", "summary"]


def test_the_jobs_bench_runs_at_two_hundred_jobs_on_sqlite():
    out = run_bench("jobs.py", "--jobs", "200", "--rounds", "2")
    assert out.header == ["backend", "request", "median ms", "p95 ms"]
    assert out.rows == [["SQLite", r, *row[2:]] for r, row in zip(REQUESTS, out.rows,
                                                                  strict=True)]


@pytest.mark.postgres
def test_the_jobs_bench_runs_at_two_hundred_jobs_on_postgresql():
    need_service("PostgreSQL", 5432)
    out = run_bench("jobs.py", "--jobs", "200", "--rounds", "2", "--pg", "--no-sqlite")
    assert [(r[0], r[1]) for r in out.rows] == [("PostgreSQL", r) for r in REQUESTS]

