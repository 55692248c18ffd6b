"""bench/trace.py at a tiny size, on SQLite and on PostgreSQL: the generated history passes
every constraint, and the table names each measurement (CI runs it this small; the full size
is `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_service

REPO = Path(__file__).resolve().parents[2]


def test_the_trace_bench_runs_at_two_thousand_edges_and_prints_its_table(tmp_path):
    keep = tmp_path / "history.sqlite"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "trace.py"), "--edges", "2000",
                           "--starts", "20", "--keep", str(keep)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| SQLite |")]
    assert [r.split("|")[2].strip().split(" ")[0] for r in rows] == [
        "generate", "trace", "trace", "recall"]
    assert "generate 2,129 edges" in rows[0]  # whole runs of about 164 edges each
    assert keep.is_file()


@pytest.mark.postgres
def test_the_trace_bench_runs_at_two_thousand_edges_on_postgresql():
    need_service("PostgreSQL", 5432)
    done = subprocess.run([sys.executable, str(REPO / "bench" / "trace.py"), "--edges", "2000",
                           "--starts", "20", "--pg", "--no-sqlite"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert [r.split("|")[1].strip() for r in rows[1:]] == ["PostgreSQL"] * 4
    assert [r.split("|")[2].strip().split(" ")[0] for r in rows[1:]] == [
        "generate", "trace", "trace", "recall"]
    assert "generate 2,129 edges" in rows[1]
