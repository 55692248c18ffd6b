"""Keep scans durably in SQLite until the server acknowledges them.

Sending never depends on writing: a scan acked while the disk refuses the delete is
remembered in memory and skipped, so a full, read-only or half-corrupt outbox still
delivers its backlog (a restart resends such scans; the server answers them as repeats).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.errors import OutboxError, OutboxFull
from station.outbox_file import open_outbox
from station.scans import Scan

log = logging.getLogger(__name__)

AlarmCallback = Callable[[str, int], None]


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
        self._acked: set[str] = set()  # acked, but the disk refused the delete
        opened = open_outbox(self.path)
        self._db = opened.db
        self.write_error: str | None = opened.write_error
        self.read_error: str | None = None
        self.corrupt: str | None = opened.corrupt  # only a new file heals it

    @contextmanager
    def _sql(self, action: str, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """Translate sqlite errors (read-only, disk full, corrupt) into OutboxError."""
        try:
            yield self._db
        except sqlite3.Error as err:
            message = f"outbox {self.path}: cannot {action}: {err}"
            if write:
                self.write_error = message
            else:
                self.read_error = message
            raise OutboxError(message) from err
        if write:
            self.write_error = None
        else:
            self.read_error = None

    @property
    def writable(self) -> bool:
        """Tell whether the last write (or the open) succeeded."""
        return self.write_error is None

    def health(self) -> dict[str, Any]:
        """Return whether scans can be stored and read, for the heartbeat."""
        error = self.write_error or self.read_error or self.corrupt
        return {"healthy": error is None, "writable": self.write_error is None,
                "readable": self.read_error is None and self.corrupt is None,
                "error": error[:300] if error else None}

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
            self._forget_acked_locked()
            with self._sql("store scan", write=True):
                self._db.execute(
                    "INSERT OR IGNORE INTO outbox (event_id, body, clock_offset) VALUES (?, ?, ?)",
                    (scan.event_id, body, scan.clock_offset),
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
        """Return the oldest stored scan not yet acked, or None when there is none."""
        with self._lock, self._sql("read oldest scan"):
            rows = self._db.execute(
                "SELECT body, clock_offset FROM outbox ORDER BY seq LIMIT ?",
                (len(self._acked) + 1,)).fetchall()
        for body, offset in rows:
            scan = Scan.from_body(json.loads(body), clock_offset=offset)
            if scan.event_id not in self._acked:
                return scan
        return None

    def pending(self) -> list[Scan]:
        """Return every stored scan not yet acked, oldest first."""
        with self._lock, self._sql("list scans"):
            rows = self._db.execute("SELECT body, clock_offset FROM outbox ORDER BY seq").fetchall()
        scans = [Scan.from_body(json.loads(body), clock_offset=offset) for body, offset in rows]
        return [scan for scan in scans if scan.event_id not in self._acked]

    def mark_attempt(self, event_id: str) -> None:
        """Count one send attempt (diagnostics only: a refused write never stops a send)."""
        with self._lock:
            try:
                with self._sql("count attempt", write=True):
                    self._db.execute(
                        "UPDATE outbox SET attempts = attempts + 1 WHERE event_id = ?",
                        (event_id,))
            except OutboxError as err:
                log.debug("%s", err)

    def remove(self, event_id: str) -> None:
        """Drop a scan once acked; if the disk refuses, skip it from memory instead."""
        with self._changed:
            self._acked.add(event_id)
            self._forget_acked_locked()
            self._check_alarm(self._depth_locked())
            self._changed.notify_all()

    def _forget_acked_locked(self) -> None:
        """Delete acked scans from disk, keeping them in memory while the disk refuses."""
        if not self._acked:
            return
        try:
            with self._sql("remove acked scan", write=True):
                self._db.executemany("DELETE FROM outbox WHERE event_id = ?",
                                     [(event_id,) for event_id in self._acked])
        except OutboxError as err:
            log.error("%s; %d acked scans are skipped until it can", err, len(self._acked))
            return
        self._acked.clear()

    def dead_letter(self, scan: Scan, reason: str, message: str) -> None:
        """Move a scan the server refused for its time into the dead letters, not delete it."""
        with self._changed:
            try:
                with self._sql("keep dead letter", write=True):
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.execute(
                        "INSERT OR IGNORE INTO dead_letters (event_id, body, clock_offset, "
                        "reason, message, failed_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (scan.event_id, json.dumps(scan.to_body(), sort_keys=True),
                         scan.clock_offset, reason, message[:200], _now()))
                    self._db.execute("DELETE FROM outbox WHERE event_id = ?", (scan.event_id,))
                    self._db.execute("COMMIT")
            except OutboxError:
                self._rollback()
                raise
            self._changed.notify_all()

    def dead_letters(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Return the dead letters, oldest first, with why the server refused each."""
        with self._lock, self._sql("list dead letters"):
            rows = self._db.execute(
                "SELECT body, reason, message, failed_at FROM dead_letters ORDER BY seq LIMIT ?",
                (limit,)).fetchall()
        return [{**_summary(json.loads(body)), "reason": reason, "message": message,
                 "failed_at": failed_at} for body, reason, message, failed_at in rows]

    def dead_letter_count(self) -> int:
        """Count the dead letters."""
        with self._lock, self._sql("count dead letters"):
            (count,) = self._db.execute("SELECT COUNT(*) FROM dead_letters").fetchone()
        return int(count)

    def resend_dead_letters(self, clock_offset: float | None) -> int:
        """Move every dead letter back into the outbox, timed by the offset known now.

        Each goes back as a new event: the server answers a repeated event_id with its first
        result, the rejection, and that event was never applied, so nothing can apply twice.
        """
        with self._changed:
            try:
                with self._sql("resend dead letters", write=True):
                    self._db.execute("BEGIN IMMEDIATE")
                    rows = self._db.execute(
                        "SELECT event_id, body, clock_offset FROM dead_letters ORDER BY seq"
                    ).fetchall()
                    for old_id, body, offset in rows:
                        fresh = {**json.loads(body), "event_id": str(uuid.uuid4())}
                        log.warning("dead letter %s resent as %s", old_id, fresh["event_id"])
                        self._db.execute(
                            "INSERT INTO outbox (event_id, body, clock_offset) VALUES (?, ?, ?)",
                            (fresh["event_id"], json.dumps(fresh, sort_keys=True),
                             clock_offset if clock_offset is not None else offset))
                    self._db.execute("DELETE FROM dead_letters")
                    self._db.execute("COMMIT")
            except OutboxError:
                self._rollback()
                raise
            self._changed.notify_all()
            return len(rows)

    def _rollback(self) -> None:
        """End a failed transaction so the connection stays usable."""
        with suppress(sqlite3.Error):  # nothing was begun, or the failure already ended it
            self._db.execute("ROLLBACK")

    def depth(self) -> int:
        """Return how many scans wait for an ack."""
        with self._lock:
            return self._depth_locked()

    def _depth_locked(self) -> int:
        """Count rows not yet acked; the caller holds the lock."""
        with self._sql("count scans"):
            try:
                (count,) = self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()
            except sqlite3.DatabaseError:
                # COUNT(*) walks the smallest index: with that index corrupt, count the table.
                (count,) = self._db.execute("SELECT COUNT(*) FROM outbox NOT INDEXED").fetchone()
        return max(0, int(count) - len(self._acked))

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


def _summary(body: dict[str, Any]) -> dict[str, Any]:
    """Return what a screen shows of a stored scan."""
    return {key: body.get(key) for key in ("event_id", "code", "scanned_at", "source")}


def _now() -> str:
    """Return the station clock, ISO-8601 UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")
