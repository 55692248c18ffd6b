"""Engine and session factory: SQLite in WAL mode with immediate writes, or PostgreSQL.

On SQLite the driver's busy timeout sleeps inside C, which would stall a gevent process
for as long as another process holds the write lock. So the driver never waits: a write
transaction retries BEGIN IMMEDIATE in Python, where time.sleep yields to other greenlets
(gevent patches it in server/serve.py and in gunicorn's gevent worker), up to a budget
after which the "database is locked" error is raised (transient: deferred / 503).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from .dberrors import is_sqlite_busy

DEFAULT_LOCK_WAIT_SECONDS = 5.0
# FULL syncs the WAL on every commit, so an acked scan survives a power cut (NORMAL may
# lose the last commits). A module constant only so bench/ingest.py can measure the cost.
SQLITE_SYNCHRONOUS = "FULL"
WRITE_OPTION = "floorline_write"
_FIRST_PAUSE, _MAX_PAUSE = 0.002, 0.05
_writers: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
# A PostgreSQL connection back in the pool for less than this is handed out unpinged: one
# request right after another saves the round trip. Longer idle (when a database restart may
# have cut it) it is pinged and replaced if dead, as pool_pre_ping would. One cut within the
# window fails its request as transient (503 with Retry-After, a scan deferred), and that
# disconnect makes the pool drop every connection older than it.
IDLE_PING_SECONDS = 1.0
_IDLE_SINCE = "floorline_idle_since"


def make_engine(url: str, *, lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
                **kwargs: Any) -> Engine:
    """Create an engine tuned for the database behind url."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        engine = create_engine(parsed, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            _ping_when_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        _create_private(Path(parsed.database))
    engine = create_engine(parsed, connect_args={"check_same_thread": False}, **kwargs)
    _tune_sqlite(engine, lock_wait_seconds)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection on checkout only if it sat idle (pool_pre_ping pings every
    checkout: a round trip per request, a quarter of a trace's)."""
    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def rest(_dbapi_conn: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is not None and time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as err:
            if not engine.dialect.is_disconnect(err, dbapi_conn, None):
                raise
            # The pool drops this connection and checks out another (SQLAlchemy's recipe).
            raise DisconnectionError(str(err)) from err


def writer(engine: Engine) -> Engine:
    """Return engine marked for writing: on SQLite its transactions take the write lock."""
    if engine not in _writers:
        _writers[engine] = engine.execution_options(**{WRITE_OPTION: True})
    return _writers[engine]


def _create_private(path: Path) -> None:
    # SQLite creates a missing file 0644 and its -wal/-shm like it: make it 0600 first.
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _tune_sqlite(engine: Engine, lock_wait: float) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's documented recipe),
        # so writes can start IMMEDIATE and reads stay lock-free.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=0")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        if not conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN")
            return
        # IMMEDIATE takes the write lock up front: a read that later upgrades to a write
        # would otherwise fail at once, without any wait, when another writer got there first.
        _begin_immediate(conn, lock_wait)


def _begin_immediate(conn: Connection, budget: float) -> None:
    deadline = time.monotonic() + budget
    pause = _FIRST_PAUSE
    raw = conn.connection.dbapi_connection
    assert raw is not None
    while time.monotonic() < deadline:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if not is_sqlite_busy(err):
                break
        time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
        pause = min(pause * 2, _MAX_PAUSE)
    # Last try through SQLAlchemy, so a failure arrives as its wrapped OperationalError.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
