"""Group commit for scans: scans that arrive together share one transaction and one commit.

The first scan to arrive while no group is being written leads: it yields once so scans
already received can join, takes every waiting scan (up to MAX_GROUP), records each in its
own savepoint (one the database refuses fails alone), commits once, and only then wakes the
others with their results. Acks go out after the commit that holds their scan, so a
station never drops from its outbox a scan the server could still lose; a crash before the
commit acks nothing and the stations resend. A group that fails as a whole is answered
deferred if the failure may pass, else each of its scans is recorded again alone.

There is no writer task to start or stop: leadership passes to the next waiting scan, so
this works alike under gevent (one process, greenlets) and plain threads (tests).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .. import effects
from ..db import writer
from ..dberrors import is_connection_lost, is_transient
from ..metrics import observe_group
from ..runtime import Runtime
from . import scans
from .scans import ScanResult

log = logging.getLogger(__name__)
MAX_GROUP = 200      # bounds one transaction's locks and the wait of its first scan
GATHER_YIELDS = 4    # yields while more scans keep joining: no timer, so an idle scan waits not


@dataclass(frozen=True, slots=True)
class Scan:
    """One scan as a station sent it, with who the connection speaks for."""

    station_id: int
    body: object
    token_hash: str | None = None


@dataclass(eq=False)
class _Waiting:
    scan: Scan
    ready: threading.Event = field(default_factory=threading.Event)
    result: ScanResult | None = None
    error: BaseException | None = None


class ScanGroups:
    def __init__(self, runtime: Runtime, *, max_group: int = MAX_GROUP) -> None:
        self.runtime = runtime
        self.max_group = max_group
        self._lock = threading.Lock()
        self._waiting: list[_Waiting] = []
        self._leading = False

    def record(self, scan: Scan) -> ScanResult:
        """Record scan in the next group and return its result once that group committed."""
        mine = _Waiting(scan)
        with self._lock:
            self._waiting.append(mine)
            lead, self._leading = not self._leading, True
        if not lead:
            try:
                mine.ready.wait()
            except BaseException:  # killed while waiting: the line must not wait for it
                self._abandon(mine)
                raise
        if mine.result is None and mine.error is None:
            self._lead()  # woken without a result: the last leader handed over to this scan
        if mine.error is not None:
            raise mine.error
        assert mine.result is not None
        return mine.result

    def _lead(self) -> None:
        self._gather()
        with self._lock:
            group = self._waiting[:self.max_group]
            del self._waiting[:self.max_group]
        failure: BaseException | None = None
        try:
            self._write(group)
        except BaseException as err:
            failure = err
            raise
        finally:
            with self._lock:
                after = self._waiting[0] if self._waiting else None
                self._leading = after is not None
            for waiting in group:
                if waiting.result is None and waiting.error is None:
                    # Unanswered, so the station resends it; nothing of it was committed.
                    waiting.error = failure or RuntimeError("the scan's group gave no answer")
                waiting.ready.set()
            if after is not None:
                after.ready.set()  # it leads the next group

    def _abandon(self, mine: _Waiting) -> None:
        with self._lock:
            if mine not in self._waiting:
                return  # in a group already: its leader answers for it
            self._waiting.remove(mine)
            handed = mine.ready.is_set()  # it was to lead the next group: pass that on
            after = self._waiting[0] if handed and self._waiting else None
            if handed:
                self._leading = after is not None
        if after is not None:
            after.ready.set()

    def _gather(self) -> None:
        # Scans whose messages were read with this one are ready to run: let them join.
        for _ in range(GATHER_YIELDS):
            before = len(self._waiting)
            time.sleep(0)
            if len(self._waiting) == before or len(self._waiting) >= self.max_group:
                return

    def _write(self, group: list[_Waiting]) -> None:
        started = time.perf_counter()
        results = record_group(self.runtime, [w.scan for w in group])
        observe_group(len(group))
        seconds = time.perf_counter() - started
        for waiting, result in zip(group, results, strict=True):
            if isinstance(result, ScanResult):
                waiting.result = result
                scans.observe(result, seconds)
            else:
                waiting.error = result


def record_group(runtime: Runtime, group: list[Scan]) -> list[ScanResult | Exception]:
    """Record scans in one transaction, each in its own savepoint; answer each after commit.

    A scan that raises (not a database refusal: a bug) rolls back its savepoint and gets
    its exception back, so it goes unanswered (and is resent) while the rest commit.
    """
    engine, settings = runtime.engine, runtime.settings
    try:
        with effects.begin(writer(engine), committing=off_the_loop) as conn:
            results: list[ScanResult | Exception] = []
            for scan in group:
                mark = effects.pending(conn)
                try:
                    results.append(scans.record_in_savepoint(
                        conn, scan.station_id, scan.body, settings, token_hash=scan.token_hash))
                except (DBAPIError, PoolTimeout, PendingRollbackError):
                    raise  # the transaction itself failed
                except Exception as err:  # one scan's bug must not cost the others their commit
                    log.exception("scan failed in its group")
                    effects.keep_first(conn, mark)
                    results.append(err)
        return results
    except (DBAPIError, PoolTimeout, PendingRollbackError) as err:
        # A lost connection (at a statement or at the commit) lost the whole transaction, or
        # left it unknown whether the commit landed: resent, each scan applies once by its id.
        if is_connection_lost(err) or is_transient(err):
            log.warning("scan deferred, the database is unavailable (its group of %d): %s",
                        len(group), err)
            return [scans.deferred(scan.body) for scan in group]
        # Refused for good, but not one scan's doing: each alone is answered as ever.
        log.warning("a group of %d scans failed at once, recording each alone: %s",
                    len(group), err)
        return [_alone(runtime, scan) for scan in group]


def off_the_loop(commit: Callable[[], None]) -> None:
    """Run a commit in a thread under gevent: the event loop reads scans while it syncs.

    The group's greenlet waits for it, so the connection is never used from two places.
    """
    from gevent import get_hub, monkey

    if monkey.is_module_patched("socket"):
        get_hub().threadpool.apply(commit)
    else:
        commit()


def _alone(runtime: Runtime, scan: Scan) -> ScanResult | Exception:
    try:
        return scans.record_scan(runtime.engine, scan.station_id, scan.body, runtime.settings,
                                 token_hash=scan.token_hash)
    except Exception as err:
        return err
