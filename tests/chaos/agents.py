"""Support for the chaos tests: a real station agent in a subprocess and its outbox."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.station.harness import station_env


def outbox_counts(path: Path) -> tuple[int, int]:
    """Return (scans ever stored, scans still waiting) from the agent's outbox file."""
    if not path.exists():
        return 0, 0
    with sqlite3.connect(path, timeout=5) as db:
        try:
            seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name='outbox'").fetchone()
            waiting = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        except sqlite3.OperationalError:
            return 0, 0  # the agent has not created its tables yet
    return (seq[0] if seq else 0), waiting


def start_agent(url: str, token: str, outbox: Path, log: Path, *, stdin: int | None,
                drain: bool = False) -> subprocess.Popen[bytes]:
    """Start `floorline-station run` reading codes from stdin."""
    args = [sys.executable, "-m", "station", "run", "--server", url, "--token", token,
            "--outbox", str(outbox), "--suppression", "0", "--source", "stdin"]
    if drain:
        args.append("--exit-when-drained")
    return subprocess.Popen(args, stdin=stdin, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            env=station_env())


def feed(agent: subprocess.Popen[bytes], codes: list[str], *, chunk: int = 50,
         pause: float = 0.1) -> None:
    """Type codes into the agent in chunks, as a busy scanner would."""
    assert agent.stdin is not None
    for i in range(0, len(codes), chunk):
        agent.stdin.write("".join(f"{c}\n" for c in codes[i:i + chunk]).encode())
        agent.stdin.flush()
        time.sleep(pause)


def chaos_run(srv: object, scans: int) -> tuple[str, list[str]]:
    """Create a one-step item and a run of `scans` one-piece batches; return number, codes."""
    api = srv.api  # type: ignore[attr-defined]
    api("POST", "/items", json={"sku": "CHAOS", "name": "Chaos part", "kind": "finished",
                                "unit": "pcs", "routing": ["CUT"]})
    run = api("POST", "/runs", json={"lines": [
        {"item": "CHAOS", "quantity": 1, "unit": "pcs", "batches": scans}]}).json()
    return run["number"], [b["code"] for b in run["batches"]]


def applied(database_url: str, number: str) -> tuple[dict[str, int], int, int, str]:
    """Return (events by outcome, batches scanned more than once, batches done, run status)."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as db:
        outcomes = dict(db.execute(text(  # type: ignore[arg-type]
            "SELECT outcome, count(*) FROM scan_events GROUP BY outcome")).all())
        twice = db.execute(text(
            "SELECT count(*) FROM (SELECT batch_id FROM scan_events GROUP BY batch_id "
            "HAVING count(*) > 1) AS t")).scalar()
        done = db.execute(text(
            "SELECT count(*) FROM batches b JOIN production_runs r ON r.id = b.run_id "
            "WHERE r.number = :n AND b.state = 'done'"), {"n": number}).scalar()
        status = db.execute(text("SELECT status FROM production_runs WHERE number = :n"),
                            {"n": number}).scalar()
    engine.dispose()
    return outcomes, int(twice or 0), int(done or 0), str(status)
