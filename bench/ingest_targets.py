"""The servers bench/ingest.py drives: Floorline on SQLite or on PostgreSQL (one process, or
several sharing Redis as the Socket.IO message queue), and the bare handler.

Several processes get the stations round-robin: station i connects to process i % N, by hand
or (--nginx) through deploy/nginx.conf from a source address nginx's ip_hash sends there
(bench/nginx_front.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import requests
from nginx_front import children, source_addresses, start_nginx

REPO = Path(__file__).resolve().parents[1]
SECRET_KEY = "bench-secret-key-of-at-least-32-chars"
REDIS_URL = os.environ.get("FLOORLINE_BENCH_REDIS", "redis://127.0.0.1:6379/0")


@dataclass
class Target:
    """Running server processes and the stations (tokens, batch codes) seeded for them."""

    name: str
    urls: list[str]  # one per process; station i connects to urls[i % len(urls)]
    procs: list[subprocess.Popen[bytes]]
    tokens: list[str]
    codes: list[list[str]]  # per station, its batches
    database_url: str = ""  # PostgreSQL: its backends' CPU is measured too
    processes: int = 1
    sources: list[str] = field(default_factory=list)  # behind nginx: [listener, *stations]
    upstreams: list[int] = field(default_factory=list)  # behind nginx: the processes' ports

    def url_for(self, station: int) -> str:
        """Return the URL station number `station` connects to."""
        return self.urls[station % len(self.urls)]

    def process_of(self, station: int) -> int:
        """Return the index of the process serving a station (the /live listener is on 0)."""
        return station % self.processes

    def source_of(self, station: int | None) -> str | None:
        """Return the address a station (None: the listener) connects from, if not any."""
        if not self.sources:
            return None
        return self.sources[0 if station is None else station + 1]

    def server_cpu(self) -> float:
        """Return the CPU seconds used so far by all server processes (and nginx's workers)."""
        pids = [p.pid for p in self.procs]
        return sum(cpu_seconds(pid) for pid in pids + [c for p in pids for c in children(p)])

    def stop(self) -> None:
        """Terminate every process and wait for it."""
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """Return user + system CPU seconds of a process (0 when it is gone or not local)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu(database_url: str) -> dict[int, float]:
    """Return CPU seconds per PostgreSQL backend serving this database (on this machine)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            pids = conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalars().all()
    finally:
        engine.dispose()
    return {int(pid): cpu_seconds(int(pid)) for pid in pids}


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


def seed(instance: Path, database_url: str, stations: int,
         per_station: int) -> tuple[list[str], list[list[str]]]:
    """Migrate and seed N CUT stations, each with its own batches; return tokens and codes."""
    from server.migrate import upgrade
    from server.runtime import Runtime
    from server.services import catalog, plant, runs
    from server.services.actors import SYSTEM
    from server.settings import Settings

    settings = Settings(instance_path=str(instance), database_url=database_url,
                        secret_key=SECRET_KEY).resolved()
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
    return tokens, codes


def spawn(instance: Path, env: dict[str, str],
          synchronous: str) -> tuple[str, subprocess.Popen[bytes]]:
    """Start one Floorline process (gevent) on a free port once it answers /healthz."""
    instance.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "FLOORLINE_INSTANCE_PATH": str(instance),
           "FLOORLINE_CONFIG": "/nonexistent", "FLOORLINE_LIVE_PUBLIC": "1",
           "FLOORLINE_SECRET_KEY": SECRET_KEY, "FLOORLINE_SCAN_RATE_PER_SECOND": "1000", **env}
    # server.serve patches gevent on import; the sync level is set before any connection.
    # SIGUSR1 writes the stack to the log: where a stalled server spends its time.
    boot = ("import faulthandler, signal; faulthandler.register(signal.SIGUSR1); "
            "import server.serve as serve, server.db as db; "
            f"db.SQLITE_SYNCHRONOUS = {synchronous!r}; serve.main()")
    # Its log stays in the process's instance folder, for when a run goes wrong.
    with open(instance / "server.log", "ab") as log:
        proc = subprocess.Popen([sys.executable, "-c", boot, "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except SystemExit:
        proc.kill()
        raise
    return url, proc


def start_sqlite(work: Path, stations: int, per_station: int,
                 synchronous: str = "FULL") -> Target:
    """Serve a seeded plant from a SQLite file in one process."""
    instance = work / f"fl-{synchronous}"
    tokens, codes = seed(instance, "", stations, per_station)
    url, proc = spawn(instance, {}, synchronous)
    name = "Floorline, SQLite, 1 process" if synchronous == "FULL" else \
        f"Floorline, SQLite synchronous={synchronous}, 1 process"
    return Target(name, [url], [proc], tokens, codes)


def start_postgres(work: Path, database_url: str, processes: int, stations: int,
                   per_station: int, *, nginx: bool = False) -> Target:
    """Serve a seeded plant from PostgreSQL; several processes share a fresh Redis channel."""
    tokens, codes = seed(work / "seed", database_url, stations, per_station)
    env = {"FLOORLINE_DATABASE_URL": database_url}
    if processes > 1:
        # A channel of its own, so concurrent runs (and tests) on one Redis never cross-talk.
        env |= {"FLOORLINE_MESSAGE_QUEUE": REDIS_URL,
                "FLOORLINE_MESSAGE_QUEUE_CHANNEL": f"floorline-bench-{uuid.uuid4().hex[:12]}"}
    urls, procs = [], []
    try:
        for i in range(processes):
            url, proc = spawn(work / f"pg-{i}", env, "FULL")
            urls.append(url)
            procs.append(proc)
    except SystemExit:
        Target("", urls, procs, [], []).stop()
        raise
    plural = "process" if processes == 1 else "processes"
    queue = " + Redis" if processes > 1 else ""
    name = f"Floorline, PostgreSQL{queue}, {processes} {plural}"
    target = Target(name, urls, procs, tokens, codes, database_url=database_url,
                    processes=processes)
    if nginx:
        behind_nginx(work / "nginx", target, stations)
    return target


def behind_nginx(work: Path, target: Target, stations: int) -> None:
    """Put nginx (the shipped config) in front of the target's processes."""
    ports = [int(url.rsplit(":", 1)[1]) for url in target.urls]
    listen = free_port()
    try:
        target.procs.append(start_nginx(work, listen, ports))
    except SystemExit:
        target.stop()
        raise
    listener, sources = source_addresses(stations, len(ports))
    target.name += " behind nginx"
    target.urls = [f"http://127.0.0.1:{listen}"]
    target.sources = [listener, *sources]
    target.upstreams = ports


def start_bare(work: Path, stations: int, per_station: int) -> Target:
    """Serve the bare Flask-SocketIO handler (bench/bare_server.py) in one process."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "bench" / "bare_server.py"),
                             "--port", str(port), "--db", str(work / "bare.sqlite")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    codes = [[f"BARE-{i}-{j}" for j in range(per_station)] for i in range(stations)]
    return Target("bare Flask-SocketIO handler", [url], [proc], ["-"] * stations, codes)
