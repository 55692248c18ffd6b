"""Open the outbox file: WAL with full fsync, or read-only and checked when the disk is sick."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from station.errors import OutboxError

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS dead_letters (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    clock_offset REAL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    failed_at TEXT NOT NULL
);
"""
# Added after the first release: outboxes made before it gain the column on open.
_OFFSET_COLUMN = "ALTER TABLE outbox ADD COLUMN clock_offset REAL"



@dataclass(frozen=True)
class OpenedOutbox:
    """A connection to the outbox file, and what is wrong with it (None: nothing)."""

    db: sqlite3.Connection
    write_error: str | None = None
    corrupt: str | None = None


def open_outbox(path: Path) -> OpenedOutbox:
    """Open in WAL mode with full fsync; fall back to read-only to deliver a backlog."""
    write_error = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives power loss, which is the outbox's whole point.
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(_SCHEMA)
        _add_offset_column(db)
        write_error = _probe_write(db, path)
    except sqlite3.OperationalError as err:
        if not path.is_file():
            raise OutboxError(f"cannot open outbox {path}: {err}") from err
        write_error = f"outbox {path} is not writable: {err}"
        log.error("OUTBOX NOT WRITABLE: %s; sending what it holds, refusing new scans", err)
        db = _open_read_only(path)
    except (sqlite3.Error, OSError) as err:
        raise OutboxError(f"cannot open outbox {path}: {err}") from err
    return OpenedOutbox(db, write_error, _integrity_problem(db, path))


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Open a file the disk will not let us write, so what it holds is still sent."""
    # immutable: no -shm file can be made beside a read-only file, and nobody else
    # writes this outbox while its agent runs.
    error: sqlite3.Error | None = None
    for mode in ("ro", "ro&immutable=1"):
        try:
            db = sqlite3.connect(f"file:{path}?mode={mode}", uri=True,
                                 check_same_thread=False, isolation_level=None)
            db.execute("SELECT COUNT(*) FROM outbox").fetchone()
        except sqlite3.Error as err:
            error = err
            continue
        return db
    raise OutboxError(f"cannot open outbox {path}: {error}") from error


def _probe_write(db: sqlite3.Connection, path: Path) -> str | None:
    """Write once at start: SQLite opens a read-only file quietly, failing only later."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    try:
        db.execute(f"PRAGMA user_version = {int(version)}")
    except sqlite3.Error as err:
        log.error("OUTBOX NOT WRITABLE: %s; sending what it holds, refusing new scans", err)
        return f"outbox {path} is not writable: {err}"
    return None


def _add_offset_column(db: sqlite3.Connection) -> None:
    """Add the clock_offset column to an outbox made before it existed."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(outbox)")}
    if "clock_offset" not in columns:
        db.execute(_OFFSET_COLUMN)


def _integrity_problem(db: sqlite3.Connection, path: Path) -> str | None:
    """Find a corrupt page at start, not at the first scan that lands on it."""
    try:
        rows = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as err:
        rows = [str(err)]
    if rows == ["ok"]:
        return None
    problem = f"outbox {path} is corrupt: {'; '.join(rows)}"
    log.error("OUTBOX CORRUPT: %s; sending what can be read", problem)
    return problem
