"""What bench/ingest.py measures in a phase, and how it prints it."""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Phase:
    """What one phase of one configuration measured."""

    scans: int = 0
    seconds: float = 0.0
    acks: list[float] = field(default_factory=list)
    live: list[float] = field(default_factory=list)
    cpu_ms: float = 0.0
    db_cpu_ms: float | None = None  # PostgreSQL backends, when the target uses it
    live_remote: int = 0  # scan_recorded events of scans sent to another process than /live's
    spread: list[int] = field(default_factory=list)  # behind nginx: its connections per process
    outcomes: dict[str, int] = field(default_factory=dict)
    fsyncs: list[float] = field(default_factory=list)  # the disk's, timed while the phase ran


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def per_scan(ms: float | None, p: Phase) -> str:
    return f"{ms / p.scans:.2f}" if ms is not None and p.scans else "-"


def row(name: str, mode: str, p: Phase) -> str:
    other = {k: v for k, v in p.outcomes.items() if k != "accepted"}
    return (f"| {name} | {mode} | {p.scans / p.seconds:,.0f} | {pct(p.acks, .5):.1f} | "
            f"{pct(p.acks, .99):.1f} | {pct(p.live, .5):.1f} | {pct(p.live, .99):.1f} | "
            f"{per_scan(p.cpu_ms, p)} | {per_scan(p.db_cpu_ms, p)} | {other or '-'} |")


def print_table(args: argparse.Namespace, results: dict[str, tuple[Phase, Phase]]) -> None:
    """Print the Markdown table, where each scan's broadcast arrived, and the ratios."""
    print(f"\n{args.stations} stations, {args.seconds:g} s per phase, paced at "
          f"{args.paced_rate:.0f} scans/s; {os.cpu_count()} cores, clients in one asyncio "
          "process on the same machine\n")
    print("| server | load | scans/s | ack p50 ms | ack p99 ms | scan→/live p50 ms | "
          "scan→/live p99 ms | server CPU ms/scan | PostgreSQL CPU ms/scan | not accepted |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, (paced, saturated) in results.items():
        print(row(name, "paced", paced))
        print(row(name, "saturated", saturated))
    print()
    for name, phases in results.items():
        print(f"{name}: {reached(phases)}; {disk(phases[0])}")
    print_ratios(results)


def reached(phases: tuple[Phase, Phase]) -> str:
    """Say how many scans' scan_recorded reached the /live listener, and from where."""
    scans = sum(p.scans for p in phases)
    live = sum(len(p.live) for p in phases)
    remote = sum(p.live_remote for p in phases)
    spread = phases[1].spread
    through = f"; nginx held {', '.join(map(str, spread))} connections to the processes" \
        if spread else ""
    return (f"{live:,} of {scans:,} scans reached /live, {remote:,} of them sent to "
            f"another process{through}")


def disk(paced: Phase) -> str:
    """Say how long the disk took to fsync while the paced phase ran (a FULL commit waits)."""
    f = paced.fsyncs
    if not f:
        return "the disk's fsync was not timed"
    return (f"the disk's fsync (4 KiB, every 20 ms) while paced: p50 {pct(f, .5):.1f}, "
            f"p99 {pct(f, .99):.1f}, max {max(f) * 1000:.1f} ms")


def print_ratios(results: dict[str, tuple[Phase, Phase]]) -> None:
    """Print saturated throughput ratios between the configurations measured."""
    full, bare = results.get(SQLITE_NAME), results.get(BARE_NAME)
    if full and bare:
        print(f"Full pipeline / bare handler throughput (saturated): "
              f"{rate(full[1]) / rate(bare[1]):.2f}x")
    pg = [(name, phases) for name, phases in results.items() if "PostgreSQL" in name]
    for name, phases in pg[1:]:
        print(f"{name} / {pg[0][0]} throughput (saturated): "
              f"{rate(phases[1]) / rate(pg[0][1][1]):.2f}x")
    normal = results.get(NORMAL_NAME)
    if full and normal:
        with tempfile.TemporaryDirectory() as tmp:
            full_ms, normal_ms = (commit_cost(Path(tmp), level) for level in ("FULL", "NORMAL"))
        print(f"one SQLite commit on this disk: {full_ms:.2f} ms FULL, {normal_ms:.2f} ms "
              "NORMAL (the fsync per acked scan)")
        print(f"synchronous=FULL / NORMAL throughput (saturated): "
              f"{rate(full[1]) / rate(normal[1]):.2f}x; ack p50 paced "
              f"{pct(full[0].acks, .5):.1f} vs {pct(normal[0].acks, .5):.1f} ms")


SQLITE_NAME = "Floorline, SQLite, 1 process"
BARE_NAME = "bare Flask-SocketIO handler"
NORMAL_NAME = "Floorline, SQLite synchronous=NORMAL, 1 process"


def rate(p: Phase) -> float:
    return p.scans / p.seconds if p.seconds else float("nan")


def commit_cost(work: Path, synchronous: str, commits: int = 500) -> float:
    """Return ms per one-row commit on a WAL SQLite file at this synchronous level."""
    db = sqlite3.connect(work / f"commits-{synchronous}.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE t (x INTEGER)")
    t0 = time.perf_counter()
    for i in range(commits):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?)", (i,))
        db.execute("COMMIT")
    db.close()
    return (time.perf_counter() - t0) / commits * 1000

