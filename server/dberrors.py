"""Tell a database failure that may pass from data the database refuses for good.

    SQLAlchemyError
     ├── TimeoutError (no pooled connection in time)        transient
     └── DBAPIError
          ├── connection_invalidated (lost / terminated)    transient
          ├── PostgreSQL SQLSTATE 08xxx, 40001, 40P01,
          │   55P03, 57014, 57P01-03, 53xxx                  transient
          ├── SQLite BUSY, LOCKED, FULL, IOERR, PROTOCOL    transient
          └── everything else (DataError, IntegrityError…)  permanent

One rule for the scan path (deferred ack) and REST (503 with Retry-After).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# What a client is told to wait before trying again; long enough for a connection to be
# replaced or a lock to pass, short enough that a station's backlog keeps moving.
RETRY_AFTER_SECONDS = 1.0

_PG_STATES = frozenset({"40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03",
                        "25P03"})
_PG_CLASSES = ("08", "53")
_SQLITE_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL,
                           sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PROTOCOL})
_SQLITE_WORDS = ("database is locked", "database table is locked", "database or disk is full",
                 "disk i/o error")


_PG_LOST = ("08", "57P01", "57P02", "57P03")  # connection failures and server shutdowns


def is_connection_lost(err: BaseException) -> bool:
    """Tell whether err took the connection (and so its whole transaction) with it."""
    if isinstance(err, PendingRollbackError):
        return True  # an earlier statement's failure invalidated the connection
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated:
        return True
    state = getattr(err.orig, "sqlstate", None)
    if isinstance(state, str) and state:
        return state.startswith(_PG_LOST)
    return type(err.orig).__name__ == "OperationalError" and not isinstance(err.orig,
                                                                           sqlite3.Error)


def is_transient(err: BaseException) -> bool:
    """Tell whether err may pass on a retry (answer "later"), rather than refuse the data."""
    if isinstance(err, PoolTimeout):
        return True
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated:
        return True
    orig = err.orig
    if isinstance(orig, sqlite3.Error):
        return is_sqlite_busy(orig) or _sqlite_code(orig) in _SQLITE_CODES
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str) and state:
        return state in _PG_STATES or state.startswith(_PG_CLASSES)
    # A driver error without a state is the connection failing, not the data.
    return type(orig).__name__ in {"OperationalError", "InterfaceError"}


def is_sqlite_busy(err: sqlite3.Error) -> bool:
    """Tell whether a SQLite error means another connection holds the lock."""
    if _sqlite_code(err) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    text = str(err).lower()
    return any(word in text for word in _SQLITE_WORDS[:2])


def _sqlite_code(err: sqlite3.Error) -> int | None:
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF  # extended codes carry the primary code in the low byte
    text = str(err).lower()
    if any(word in text for word in _SQLITE_WORDS[2:]):
        return sqlite3.SQLITE_FULL if "full" in text else sqlite3.SQLITE_IOERR
    return None

