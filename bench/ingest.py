"""Scan ingest benchmark: N simulated stations against Floorline and against a bare handler.

    python bench/ingest.py [--stations 200] [--seconds 10] [--paced-rate 100] [--batches N]
                           [--compare-sync] [--pg [--processes 1,3] [--nginx]] [--no-sqlite]

Starts the servers itself on this machine (gevent; SQLite, one process each), drives them with
python-socketio AsyncClients (one connection per station), and prints a Markdown table:
throughput (saturated: every station sends its next scan when the last is acked), ack latency,
scan -> /live latency (paced), and server CPU ms per scan (from /proc, summed over the server's
processes). --compare-sync adds Floorline with SQLite synchronous=NORMAL: what syncing every
acked commit (FULL) costs.

--pg adds Floorline on a scratch PostgreSQL database (FLOORLINE_BENCH_PG names the server,
default the local test server; created and dropped per configuration) for each count in
--processes: one process alone, or several sharing PostgreSQL and Redis (FLOORLINE_BENCH_REDIS,
default redis://127.0.0.1:6379/0, a fresh channel per run) with the stations spread over them
round-robin. The /live listener is on the first process, so from the others a broadcast
arrives through Redis. The CPU of the PostgreSQL backends serving the database is a column of
its own (Redis is shared with whatever else runs, so its CPU is not counted). --nginx puts
the PostgreSQL processes behind nginx with deploy/nginx.conf (bench/nginx_front.py: each station
connects from its own loopback address, so that ip_hash spreads them the same way); nginx's
workers count as server CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import aiohttp
import socketio

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from disk_probe import FsyncProbe  # noqa: E402
from ingest_report import Phase, print_table  # noqa: E402
from ingest_targets import (  # noqa: E402
    Target,
    postgres_cpu,
    start_bare,
    start_postgres,
    start_sqlite,
)
from nginx_front import connections_to  # noqa: E402
from scratch_db import postgres_database  # noqa: E402


def client_for(source: str | None) -> socketio.AsyncClient:
    """Return a client that connects from the given local address (any, if None)."""
    if source is None:
        return socketio.AsyncClient(reconnection=False, request_timeout=30)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(source, 0)))
    return socketio.AsyncClient(reconnection=False, request_timeout=30, http_session=session)


async def close(client: socketio.AsyncClient) -> None:
    """Disconnect, and close the HTTP session the client was given."""
    await client.disconnect()
    session = client.eio.http
    if session is not None and not session.closed:
        await session.close()


async def connect(client: socketio.AsyncClient, url: str, namespace: str,
                  auth: dict[str, str] | None, tries: int = 3) -> None:
    """Connect over websocket; a machine this loaded may drop a handshake, so try again."""
    for attempt in range(1, tries + 1):
        try:
            await client.connect(url, namespaces=[namespace], auth=auth,
                                 transports=["websocket"], wait_timeout=30)
            return
        except socketio.exceptions.ConnectionError as err:
            print(f"connecting to {url}{namespace} failed ({err}), try {attempt} of {tries}",
                  file=sys.stderr)
            if attempt == tries:
                raise SystemExit(f"could not connect to {url}{namespace}: {err}") from err
            await asyncio.sleep(1)


Sent = dict[str, tuple[float, bool]]  # event id -> when, and whether sent to another process


async def connect_all(target: Target) -> tuple[list[socketio.AsyncClient], socketio.AsyncClient,
                                                Sent, Phase]:
    """Connect the /live listener to the first process and every station to its own."""
    sent: Sent = {}
    phase = Phase()
    live = client_for(target.source_of(None))

    async def on_scan(data: dict) -> None:
        t0, remote = sent.pop(data.get("event_id"), (None, False))
        if t0 is not None:
            phase.live.append(time.perf_counter() - t0)
            phase.live_remote += remote

    live.on("scan_recorded", on_scan, namespace="/live")
    await connect(live, target.urls[0], "/live", None)
    await live.call("join", {"room": "plant"}, namespace="/live")
    clients = []
    for i, token in enumerate(target.tokens):
        client = client_for(target.source_of(i))
        await connect(client, target.url_for(i), "/station", {"token": token})
        clients.append(client)
        if i % 50 == 49:
            await asyncio.sleep(0.1)
    return clients, live, sent, phase


async def station_loop(client: socketio.AsyncClient, codes: list[str], phase: Phase,
                       sent: Sent, deadline: float, interval: float, offset: float,
                       remote: bool) -> int:
    """Scan codes in turn until the deadline; return how many were sent."""
    await asyncio.sleep(offset)
    next_at = time.perf_counter()
    done = 0
    for code in codes:
        if time.perf_counter() >= deadline:
            break
        body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
                "scanned_at": datetime.now(UTC).isoformat(), "source": "bench"}
        t0 = time.perf_counter()
        sent[body["event_id"]] = (t0, remote)
        ack = await client.call("scan", body, namespace="/station", timeout=30)
        phase.acks.append(time.perf_counter() - t0)
        phase.outcomes[ack["outcome"]] = phase.outcomes.get(ack["outcome"], 0) + 1
        phase.scans += 1
        done += 1
        if interval:
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    return done


def db_cpu(target: Target) -> dict[int, float]:
    return postgres_cpu(target.database_url) if target.database_url else {}


async def run_phase(target: Target, *, seconds: float, rate: float | None,
                    used: list[int], work: Path) -> Phase:
    """Connect every station, scan for `seconds` (paced at `rate`, else saturated)."""
    clients, live, sent, phase = await connect_all(target)
    n = len(clients)
    interval = n / rate if rate else 0.0
    db0 = db_cpu(target)
    cpu0, t0 = target.server_cpu(), time.perf_counter()
    deadline = t0 + seconds
    with FsyncProbe(work) as disk:
        counts = await asyncio.gather(*[
            station_loop(c, target.codes[i][used[i]:], phase, sent, deadline, interval,
                         (i / n) * interval, target.process_of(i) != 0)
            for i, c in enumerate(clients)])
    phase.fsyncs = disk.times
    phase.seconds = time.perf_counter() - t0
    await asyncio.sleep(0.5)  # let the last /live messages arrive
    phase.cpu_ms = (target.server_cpu() - cpu0) * 1000
    if target.database_url:
        # A backend that started during the phase counts from zero.
        phase.db_cpu_ms = sum(v - db0.get(pid, 0.0) for pid, v in db_cpu(target).items()) * 1000
    for i, count in enumerate(counts):
        used[i] += count
    if target.upstreams:
        phase.spread = connections_to(target.upstreams)
    for c in [*clients, live]:
        await close(c)
    return phase


Starter = Callable[[Path], AbstractContextManager[Target]]


@contextmanager
def sqlite_target(work: Path, args: argparse.Namespace, per_station: int,
                  synchronous: str) -> Iterator[Target]:
    target = start_sqlite(work, args.stations, per_station, synchronous)
    try:
        yield target
    finally:
        target.stop()


@contextmanager
def bare_target(work: Path, args: argparse.Namespace, per_station: int) -> Iterator[Target]:
    target = start_bare(work, args.stations, per_station)
    try:
        yield target
    finally:
        target.stop()


@contextmanager
def postgres_target(work: Path, args: argparse.Namespace, per_station: int,
                    processes: int) -> Iterator[Target]:
    with postgres_database("floorline_bench_ingest") as url:
        target = start_postgres(work / f"pg{processes}", url, processes, args.stations,
                                per_station, nginx=args.nginx)
        try:
            yield target
        finally:
            target.stop()


def starters(args: argparse.Namespace, per_station: int) -> list[Starter]:
    """Return one context manager per configuration to measure, in table order."""
    out: list[Starter] = []
    if not args.no_sqlite:
        levels = ["FULL", "NORMAL"] if args.compare_sync else ["FULL"]
        out += [partial(sqlite_target, args=args, per_station=per_station, synchronous=level)
                for level in levels]
        out.append(partial(bare_target, args=args, per_station=per_station))
    if args.pg:
        out += [partial(postgres_target, args=args, per_station=per_station, processes=n)
                for n in args.processes]
    return out


async def bench(args: argparse.Namespace) -> None:
    # Enough batches that no station runs out at up to 2,000 scans/s saturated.
    per_station = args.batches or int(args.seconds * (args.paced_rate + 2000) / args.stations) + 20
    results: dict[str, tuple[Phase, Phase]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        for start in starters(args, per_station):
            with start(work) as target:
                used = [0] * args.stations
                paced = await run_phase(target, seconds=args.seconds, rate=args.paced_rate,
                                        used=used, work=work)
                saturated = await run_phase(target, seconds=args.seconds, rate=None, used=used,
                                            work=work)
                results[target.name] = (paced, saturated)
    print_table(args, results)


def process_counts(text: str) -> list[int]:
    """Parse --processes: server process counts separated by commas, each at least 1."""
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"expected counts of 1 or more like 1,3, not {text!r}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--paced-rate", type=float, default=100.0)
    parser.add_argument("--batches", type=int, default=0,
                        help="batches seeded per station (default: enough for the phases; "
                        "a station that runs out stops early)")
    parser.add_argument("--compare-sync", action="store_true",
                        help="also run Floorline with SQLite synchronous=NORMAL")
    parser.add_argument("--pg", action="store_true", help="also run Floorline on PostgreSQL")
    parser.add_argument("--processes", type=process_counts, default=[1], metavar="N[,N...]",
                        help="PostgreSQL server processes, e.g. 1,3 (default 1)")
    parser.add_argument("--nginx", action="store_true",
                        help="PostgreSQL processes behind nginx with deploy/nginx.conf")
    parser.add_argument("--work", default="", metavar="DIR",
                        help="keep the servers' instance folders and logs here (default: a "
                        "temporary folder, removed)")
    parser.add_argument("--no-sqlite", action="store_true",
                        help="skip the SQLite rows and the bare handler")
    args = parser.parse_args()
    if args.processes != [1] and not args.pg:
        parser.error("--processes needs --pg (several processes share PostgreSQL)")
    if args.nginx and not args.pg:
        parser.error("--nginx needs --pg (it fronts the PostgreSQL processes)")
    if args.no_sqlite and not args.pg:
        parser.error("--no-sqlite leaves nothing to measure without --pg")
    if args.stations < 1 or args.seconds <= 0 or args.paced_rate <= 0 or args.batches < 0:
        parser.error("--stations, --seconds and --paced-rate must be positive, --batches not "
                     "negative")
    # Stopped by a signal, it still stops its servers and drops its scratch databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
