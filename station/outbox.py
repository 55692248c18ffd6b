"""Keep scans durably in SQLite until the server acknowledges them."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from station.errors import OutboxError, OutboxFull
from station.scans import Scan

log = logging.getLogger(__name__)

AlarmCallback = Callable[[str, int], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
)
"""


def log_alarm(message: str, depth: int) -> None:
    """Log an outbox alarm (the default alarm callback)."""
    log.error("OUTBOX ALARM: %s (depth %d)", message, depth)


class Outbox:
    """A bounded, ordered, crash-safe queue of scans waiting for an ack."""

    def __init__(
        self,
        path: str | Path,
        *,
        max_rows: int = 100_000,
        alarm_depth: int = 1_000,
        on_alarm: AlarmCallback = log_alarm,
    ) -> None:
        self.path = Path(path)
        self.max_rows = max_rows
        self.alarm_depth = alarm_depth
        self._on_alarm = on_alarm
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._alarmed = False
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        """Open the database in WAL mode with full fsync on every commit."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit survives power loss, which is the outbox's whole point.
            db.execute("PRAGMA synchronous=FULL")
            db.execute(_SCHEMA)
        except (sqlite3.Error, OSError) as err:
            raise OutboxError(f"cannot open outbox {self.path}: {err}") from err
        return db

    @contextmanager
    def _sql(self, action: str) -> Iterator[sqlite3.Connection]:
        """Translate sqlite errors (read-only, disk full, corrupt) into OutboxError."""
        try:
            yield self._db
        except sqlite3.Error as err:
            raise OutboxError(f"outbox {self.path}: cannot {action}: {err}") from err

    def add(self, scan: Scan) -> int:
        """Store a scan before it is sent; return the new depth."""
        body = json.dumps(scan.to_body(), sort_keys=True)
        with self._changed:
            depth = self._depth_locked()
            if depth >= self.max_rows:
                self._on_alarm(f"outbox full ({self.max_rows} rows), scan {scan.code!r} refused",
                               depth)
                raise OutboxFull(
                    f"outbox holds its maximum of {self.max_rows} scans; "
                    f"scan {scan.code!r} refused, stored scans are kept"
                )
            with self._sql("store scan"):
                self._db.execute(
                    "INSERT OR IGNORE INTO outbox (event_id, body) VALUES (?, ?)",
                    (scan.event_id, body),
                )
            depth += 1
            self._check_alarm(depth)
            self._changed.notify_all()
            return depth

    def _check_alarm(self, depth: int) -> None:
        """Raise the depth alarm once per crossing, so a backlog is not logged per scan."""
        if depth >= self.alarm_depth and not self._alarmed:
            self._alarmed = True
            self._on_alarm(f"outbox depth reached {self.alarm_depth}", depth)
        elif depth < self.alarm_depth:
            self._alarmed = False

    def oldest(self) -> Scan | None:
        """Return the oldest stored scan, or None when the outbox is empty."""
        with self._lock, self._sql("read oldest scan"):
            row = self._db.execute("SELECT body FROM outbox ORDER BY seq LIMIT 1").fetchone()
        return None if row is None else Scan.from_body(json.loads(row[0]))

    def pending(self) -> list[Scan]:
        """Return every stored scan, oldest first."""
        with self._lock, self._sql("list scans"):
            rows = self._db.execute("SELECT body FROM outbox ORDER BY seq").fetchall()
        return [Scan.from_body(json.loads(body)) for (body,) in rows]

    def mark_attempt(self, event_id: str) -> None:
        """Count one send attempt, for diagnosing a scan the server never acks."""
        with self._lock, self._sql("count attempt"):
            self._db.execute(
                "UPDATE outbox SET attempts = attempts + 1 WHERE event_id = ?", (event_id,)
            )

    def remove(self, event_id: str) -> None:
        """Drop a scan once the server has acknowledged it."""
        with self._changed:
            with self._sql("remove acked scan"):
                self._db.execute("DELETE FROM outbox WHERE event_id = ?", (event_id,))
            self._check_alarm(self._depth_locked())
            self._changed.notify_all()

    def depth(self) -> int:
        """Return how many scans wait for an ack."""
        with self._lock:
            return self._depth_locked()

    def _depth_locked(self) -> int:
        """Count rows; the caller holds the lock."""
        with self._sql("count scans"):
            (count,) = self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()
        return int(count)

    def wait_for_scan(self, timeout: float) -> bool:
        """Block until the outbox holds a scan or the timeout passes; return whether it does."""
        with self._changed:
            if self._depth_locked() > 0:
                return True
            self._changed.wait(timeout)
            return self._depth_locked() > 0

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
