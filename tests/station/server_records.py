"""Read what the reference server recorded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Run one read-only query against the server's records."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def applied_codes(db: Path) -> list[str]:
    """Return the codes applied, in the order the server applied them."""
    return [row[0] for row in query(db, "SELECT code FROM applied ORDER BY seq")]


def applied_event_ids(db: Path) -> list[str]:
    """Return the event ids applied, in order (each at most once by construction)."""
    return [row[0] for row in query(db, "SELECT event_id FROM applied ORDER BY seq")]


def heartbeats(db: Path) -> list[dict[str, Any]]:
    """Return the heartbeat bodies received."""
    return [json.loads(row[0]) for row in query(db, "SELECT body FROM heartbeats ORDER BY seq")]


def connects(db: Path) -> int:
    """Return how many station connections the server accepted."""
    return int(query(db, "SELECT COUNT(*) FROM connects")[0][0])


def applied_bodies(db: Path) -> list[dict[str, Any]]:
    """Return the scan bodies applied, in order."""
    return [json.loads(row[0]) for row in query(db, "SELECT body FROM applied ORDER BY seq")]


def accepted_codes(db: Path) -> list[str]:
    """Return the codes the server accepted, in order."""
    rows = query(db, "SELECT code, ack FROM applied ORDER BY seq")
    return [code for code, ack in rows if json.loads(ack)["outcome"] == "accepted"]
