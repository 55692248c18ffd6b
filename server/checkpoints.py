"""SQLite WAL checkpoints in a thread of their own, off the commit path.

SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past 1,000 pages:
that commit, and every scan queued behind the writer, wait while pages are copied into the
database file and synced (at 100 scans/s, about once a second). In a server process the
writers' connections leave it to one thread with its own connection, which runs a PASSIVE
checkpoint (it never blocks a writer or a reader) every CHECK_SECONDS. Should that thread
fall behind, the connections still checkpoint themselves past SAFETY_PAGES.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)
CHECK_SECONDS = 0.5
SAFETY_PAGES = 10_000


def checkpoint_in_background(engine: Engine) -> bool:
    """On a file SQLite database, move its checkpoints to a thread; tell if it did."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return False

    @event.listens_for(engine, "connect")
    def leave_checkpoints(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={SAFETY_PAGES}")

    engine.dispose()  # connections made before this still checkpoint every 1,000 pages
    _start_thread(_run, path)
    return True


def _run(path: str) -> None:
    sleep = _original("time", "sleep")
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    while True:
        sleep(CHECK_SECONDS)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as err:  # a locked or vanished file: the next round tries again
            log.warning("WAL checkpoint failed: %s", err)


def _start_thread(target: Any, *args: Any) -> None:
    """Start a real OS thread even under gevent: the checkpoint's I/O must not hold the loop."""
    start = _original("_thread", "start_new_thread")
    start(target, args)


def _original(module: str, name: str) -> Any:
    try:
        from gevent import monkey
    except ImportError:
        monkey = None
    if monkey is not None and monkey.is_module_patched(module):
        return monkey.get_original(module, name)
    return getattr(__import__(module), name)
