"""A scan the database refuses for good: answered and stored as a rejection, in a savepoint
of a group or a transaction of its own."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from station.protocol import error_fields

from ..dberrors import is_transient
from ..domain.batches import Outcome, Reason
from ..domain.scans import event_id_of
from ..models import utcnow
from . import driver_sql, scan_store
from .scan_results import ScanResult

log = logging.getLogger(__name__)


@contextmanager
def savepoint(conn: Connection) -> Iterator[Connection]:
    """Hold a savepoint while the block runs: released after it, rolled back if it raises.

    Said to the driver directly: through SQLAlchemy's nested transactions the savepoint
    cost about a fifth of recording the scan. The root transaction stays SQLAlchemy's.
    """
    _driver_sql(conn, "SAVEPOINT scan")
    try:
        yield conn
    except BaseException:
        if conn.invalidated:
            raise  # the connection is gone, and the transaction with it
        _driver_sql(conn, "ROLLBACK TO SAVEPOINT scan")
        _driver_sql(conn, "RELEASE SAVEPOINT scan")
        raise
    _driver_sql(conn, "RELEASE SAVEPOINT scan")


def _driver_sql(conn: Connection, sql: str) -> None:
    driver_sql.run(conn, sql).close()


def refused(begin: Callable[[], AbstractContextManager[Connection]], station_id: int,
             body: object, err: DBAPIError) -> ScanResult:
    # Data the checks let through but the database refuses: answer and record a
    # rejection, so the station drops it instead of resending it forever.
    log.warning("scan refused by the database: %s", err.orig)
    event_id = event_id_of(body)
    raw = body.get("code") if isinstance(body, dict) else None
    code = raw[:4096] if isinstance(raw, str) else ""
    # The code itself may be what the database refuses: then store the event without it.
    for stored_id, stored_code in dict.fromkeys([(event_id, code), (event_id, "")]):
        try:
            with begin() as conn:
                return _store_refusal(conn, station_id, event_id, stored_id, stored_code)
        except IntegrityError:
            break  # the event_id is taken (or refused): keep the rejection untraceable
        except DBAPIError as again:
            if is_transient(again):
                raise
    with begin() as conn:
        return _store_refusal(conn, station_id, event_id, None, "")


def _store_refusal(conn: Connection, station_id: int, event_id: str | None,
                   stored_id: str | None, code: str) -> ScanResult:
    # The station always hears its own event_id, even when the row cannot carry it.
    station = scan_store.load_station(conn, station_id)
    ack = {"event_id": event_id, "outcome": Outcome.REJECTED.value,
           "reason": Reason.INVALID_PAYLOAD.value,
           "message": "the database refused this scan", "station": station.name,
           **error_fields(Reason.INVALID_PAYLOAD.value, "the database refused this scan")}
    scan_store.store_event(conn, event_id=stored_id or str(uuid.uuid4()),
                           station_id=station.id, raw_code=code, received_at=utcnow(),
                           outcome=Outcome.REJECTED.value,
                           reason=Reason.INVALID_PAYLOAD.value, result=ack)
    return ScanResult(ack, False, {**ack, "code": code[:200], "at": utcnow().isoformat()},
                      station=station.name)
