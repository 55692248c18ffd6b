"""Effects of a change (live events, label printing), queued in its transaction, run after commit.

A view or service queues an effect with ``after_commit(session, fn)``; whoever owns the
transaction (``Runtime.transaction()``, hence every REST ``endpoint()``, Socket.IO handler and
CLI command, or ``begin(engine)`` on the scan path) calls ``run()`` once it has committed and
``discard()`` when it rolled back. So screens and printers never see data that was rolled
back, and each effect runs exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
KEY = "floorline_effects"
Effect = Callable[[], None]


class Publisher(Protocol):
    """What effects need of the live broadcaster."""

    def batch_changed(self, batch: dict[str, Any]) -> None: ...


def after_commit(holder: Session | Connection, fn: Effect) -> None:
    """Queue fn to run once the holder's transaction commits (dropped if it rolls back)."""
    if not holder.in_transaction():
        raise RuntimeError("effects are queued inside a transaction, and run by its owner")
    holder.info.setdefault(KEY, []).append(fn)


def publish_batch(holder: Session | Connection, live: Publisher | None,
                  *batches: dict[str, Any]) -> None:
    """Tell live screens about changed batches once the change is committed."""
    if live is None:
        return
    for batch in batches:
        after_commit(holder, _bound(live.batch_changed, batch))


def pending(holder: Session | Connection) -> int:
    """Return how many effects wait for the holder's commit."""
    return len(holder.info.get(KEY, ()))


def run(holder: Session | Connection) -> None:
    """Run the effects queued in a committed transaction, each once, in order."""
    for fn in holder.info.pop(KEY, []):
        try:
            fn()
        except Exception:  # the change is committed: one failed effect must not undo the answer
            log.exception("effect after commit failed")


def keep_first(holder: Session | Connection, count: int) -> None:
    """Drop the effects queued after the first count (their savepoint rolled back)."""
    del holder.info.get(KEY, [])[count:]


def discard(holder: Session | Connection) -> None:
    """Drop the effects of a transaction that rolled back."""
    holder.info.pop(KEY, None)


@contextmanager
def begin(engine: Engine, *, committing: Callable[[Effect], None] | None = None
          ) -> Iterator[Connection]:
    """Like ``engine.begin()``, running the connection's effects after it commits.

    committing, if given, is handed the commit to run (the scan groups run it off the
    event loop, so scans keep arriving while the disk syncs).
    """
    with engine.connect() as conn:
        # Connection.info lives with the pooled DBAPI connection: clear what a previous
        # user may have left, so nothing runs twice or for the wrong transaction.
        discard(conn)
        try:
            with conn.begin() as trans:
                yield conn
                (committing or _now)(trans.commit)
        except BaseException:
            discard(conn)
            raise
        run(conn)


def _now(fn: Effect) -> None:
    fn()


def _bound(fn: Callable[[dict[str, Any]], None], arg: dict[str, Any]) -> Effect:
    return lambda: fn(arg)
