"""Scan ingest benchmark: N simulated stations against Floorline and against a bare handler.

    python bench/ingest.py [--stations 200] [--seconds 10] [--paced-rate 100] [--compare-sync]

Starts both servers itself (gevent, SQLite, one process each) on this machine, drives them with
python-socketio AsyncClients (one connection per station), and prints a Markdown table:
throughput (saturated: every station sends its next scan when the last is acked), ack latency,
scan -> /live latency (paced), and server CPU ms per scan (from /proc). --compare-sync adds
Floorline with SQLite synchronous=NORMAL: what syncing every acked commit (FULL) costs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import requests
import socketio

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


@dataclass
class Target:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    tokens: list[str]
    codes: list[list[str]]  # per station, its batches


@dataclass
class Phase:
    scans: int = 0
    seconds: float = 0.0
    acks: list[float] = field(default_factory=list)
    live: list[float] = field(default_factory=list)
    cpu_ms: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit(f"server at {url} exited")
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def start_floorline(work: Path, stations: int, per_station: int,
                    synchronous: str = "FULL") -> Target:
    """Seed a plant of N CUT stations, each with its own batches, and serve it."""
    from server.migrate import upgrade
    from server.runtime import Runtime
    from server.services import catalog, plant, runs
    from server.services.actors import SYSTEM
    from server.settings import Settings

    settings = Settings(instance_path=str(work / f"fl-{synchronous}"),
                        secret_key="bench-secret-key-of-at-least-32-chars").resolved()
    rt = Runtime.start(settings)
    upgrade(rt.engine)
    tokens, codes = [], []
    with rt.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
        catalog.create_item(s, SYSTEM, sku="P", name="Part", kind="finished", unit="pcs",
                            routing=["CUT"])
        for i in range(stations):
            _, token = plant.create_station(s, SYSTEM, name=f"st-{i:03d}", operation="CUT")
            tokens.append(token)
            run = runs.create_run(s, SYSTEM, [runs.BatchSpec("P", Decimal(1), "pcs",
                                                             per_station)])
            codes.append([b["code"] for b in run["batches"]])
    rt.engine.dispose()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "FLOORLINE_INSTANCE_PATH": settings.instance_path,
           "FLOORLINE_CONFIG": "/nonexistent", "FLOORLINE_LIVE_PUBLIC": "1",
           "FLOORLINE_SCAN_RATE_PER_SECOND": "1000"}
    # server.serve patches gevent on import; the sync level is set before any connection.
    boot = ("import server.serve as serve, server.db as db; "
            f"db.SQLITE_SYNCHRONOUS = {synchronous!r}; serve.main()")
    proc = subprocess.Popen([sys.executable, "-c", boot, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    name = "Floorline (full pipeline)" if synchronous == "FULL" else \
        f"Floorline, synchronous={synchronous}"
    return Target(name, url, proc, tokens, codes)


def start_floorline_normal(work: Path, stations: int, per_station: int) -> Target:
    return start_floorline(work, stations, per_station, synchronous="NORMAL")


def start_bare(work: Path, stations: int, per_station: int) -> Target:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "bench" / "bare_server.py"),
                             "--port", str(port), "--db", str(work / "bare.sqlite")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    codes = [[f"BARE-{i}-{j}" for j in range(per_station)] for i in range(stations)]
    return Target("bare Flask-SocketIO handler", url, proc, ["-"] * stations, codes)


async def connect_all(target: Target) -> tuple[list[socketio.AsyncClient], socketio.AsyncClient,
                                                dict[str, float], Phase]:
    sent: dict[str, float] = {}
    phase = Phase()
    live = socketio.AsyncClient(reconnection=False)

    async def on_scan(data: dict) -> None:
        t0 = sent.pop(data.get("event_id"), None)
        if t0 is not None:
            phase.live.append(time.perf_counter() - t0)

    live.on("scan_recorded", on_scan, namespace="/live")
    await live.connect(target.url, namespaces=["/live"], transports=["websocket"])
    await live.call("join", {"room": "plant"}, namespace="/live")
    clients = []
    for i, token in enumerate(target.tokens):
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(target.url, namespaces=["/station"], auth={"token": token},
                             transports=["websocket"])
        clients.append(client)
        if i % 50 == 49:
            await asyncio.sleep(0.1)
    return clients, live, sent, phase


async def station_loop(client: socketio.AsyncClient, codes: list[str], phase: Phase,
                       sent: dict[str, float], deadline: float, interval: float,
                       offset: float, track_live: bool) -> None:
    await asyncio.sleep(offset)
    next_at = time.perf_counter()
    for code in codes:
        if time.perf_counter() >= deadline:
            return
        body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
                "scanned_at": datetime.now(UTC).isoformat(), "source": "bench"}
        t0 = time.perf_counter()
        if track_live:
            sent[body["event_id"]] = t0
        ack = await client.call("scan", body, namespace="/station", timeout=30)
        phase.acks.append(time.perf_counter() - t0)
        phase.outcomes[ack["outcome"]] = phase.outcomes.get(ack["outcome"], 0) + 1
        phase.scans += 1
        if interval:
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


async def run_phase(target: Target, *, seconds: float, rate: float | None,
                    used: list[int]) -> Phase:
    clients, live, sent, phase = await connect_all(target)
    n = len(clients)
    interval = n / rate if rate else 0.0
    cpu0, t0 = cpu_seconds(target.proc.pid), time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(*[
        station_loop(c, target.codes[i][used[i]:], phase, sent, deadline, interval,
                     (i / n) * interval, track_live=True)
        for i, c in enumerate(clients)])
    phase.seconds = time.perf_counter() - t0
    await asyncio.sleep(0.5)  # let the last /live messages arrive
    phase.cpu_ms = (cpu_seconds(target.proc.pid) - cpu0) * 1000
    for i in range(n):
        used[i] += phase.scans // n + 1
    for c in [*clients, live]:
        await c.disconnect()
    return phase


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def row(name: str, mode: str, p: Phase) -> str:
    per_scan = p.cpu_ms / p.scans if p.scans else float("nan")
    other = {k: v for k, v in p.outcomes.items() if k != "accepted"}
    return (f"| {name} | {mode} | {p.scans / p.seconds:,.0f} | {pct(p.acks, .5):.1f} | "
            f"{pct(p.acks, .99):.1f} | {pct(p.live, .5):.1f} | {pct(p.live, .99):.1f} | "
            f"{per_scan:.2f} | {other or '-'} |")


async def bench(args: argparse.Namespace) -> None:
    per_station = int(args.seconds * (args.paced_rate + 2000) / args.stations) + 20
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {}
        starts = [start_floorline, start_bare]
        if args.compare_sync:
            starts.insert(1, start_floorline_normal)
        for start in starts:
            target = start(work, args.stations, per_station)
            try:
                used = [0] * args.stations
                paced = await run_phase(target, seconds=args.seconds, rate=args.paced_rate,
                                        used=used)
                saturated = await run_phase(target, seconds=args.seconds, rate=None, used=used)
                results[target.name] = (paced, saturated)
            finally:
                target.proc.terminate()
                target.proc.wait()
    print(f"\n{args.stations} stations, {args.seconds:.0f} s per phase, paced at "
          f"{args.paced_rate:.0f} scans/s; {os.cpu_count()} cores, clients in one asyncio "
          "process on the same machine\n")
    print("| server | load | scans/s | ack p50 ms | ack p99 ms | scan→/live p50 ms | "
          "scan→/live p99 ms | server CPU ms/scan | not accepted |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for name, (paced, saturated) in results.items():
        print(row(name, "paced", paced))
        print(row(name, "saturated", saturated))
    full, bare = results[start_floorline_name], results[start_bare_name]
    print(f"\nFull pipeline / bare handler throughput (saturated): "
          f"{rate(full[1]) / rate(bare[1]):.2f}x")
    normal = results.get(NORMAL_NAME)
    if normal is not None:
        with tempfile.TemporaryDirectory() as tmp:
            full_ms, normal_ms = (commit_cost(Path(tmp), level) for level in ("FULL", "NORMAL"))
        print(f"one SQLite commit on this disk: {full_ms:.2f} ms FULL, {normal_ms:.2f} ms "
              "NORMAL (the fsync per acked scan)")
        print(f"synchronous=FULL / NORMAL throughput (saturated): "
              f"{rate(full[1]) / rate(normal[1]):.2f}x; ack p50 paced "
              f"{pct(full[0].acks, .5):.1f} vs {pct(normal[0].acks, .5):.1f} ms")


start_floorline_name = "Floorline (full pipeline)"
start_bare_name = "bare Flask-SocketIO handler"
NORMAL_NAME = "Floorline, synchronous=NORMAL"


def rate(p: Phase) -> float:
    return p.scans / p.seconds


def commit_cost(work: Path, synchronous: str, commits: int = 500) -> float:
    """Return ms per one-row commit on a WAL SQLite file at this synchronous level."""
    import sqlite3

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--paced-rate", type=float, default=100.0)
    parser.add_argument("--compare-sync", action="store_true",
                        help="also run Floorline with SQLite synchronous=NORMAL")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
