"""Run a bench/ script as CI does (tiny, as a subprocess) and read the Markdown table it prints."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BenchRun:
    """What a bench printed: its whole output, its table's header cells and its rows' cells."""

    stdout: str
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> list[str]:
        """Return one column's cells, top to bottom."""
        index = self.header.index(name)
        return [r[index] for r in self.rows]


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def run_bench(script: str, *args: str, timeout: float = 240) -> BenchRun:
    """Run bench/<script> with args; fail with its stderr if it fails; parse its one table.

    Out of time, the bench gets SIGTERM first, on which it stops the servers it started (a
    SIGKILL, as subprocess.run's timeout sends, left them running after the test); its whole
    process group is killed only if it does not.
    """
    proc = subprocess.Popen([sys.executable, str(REPO / "bench" / script), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        raise
    assert proc.returncode == 0, stderr
    lines = [line for line in stdout.splitlines() if line.startswith("|")]
    assert len(lines) >= 2 and set(lines[1]) <= set("|-: "), stdout
    header = cells(lines[0])
    rows = [cells(line) for line in lines[2:]]
    assert all(len(r) == len(header) for r in rows), stdout
    return BenchRun(stdout, header, rows)


def refused(script: str, *args: str) -> str:
    """Run bench/<script> with bad args, check it exits with status 2, return its stderr."""
    done = subprocess.run([sys.executable, str(REPO / "bench" / script), *args],
                          capture_output=True, text=True, timeout=60, check=False, cwd=REPO)
    assert done.returncode == 2, (done.stdout, done.stderr)
    return done.stderr
