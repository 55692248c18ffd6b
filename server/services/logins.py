"""Login throttling: failures per account and per source, kept in the database for every process."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..errors import TooManyRequests
from ..models import LoginAttempt
from ..settings import Settings
from . import audit
from .actors import Actor


class LockedOut(TooManyRequests):
    """Too many failed logins for an account or from a source; try again after retry_after."""

    code = "login_locked"


def account_key(kind: str, name: str) -> str:
    return f"{kind}:{name}"[:128]


def source_keys(*sources: str) -> list[str]:
    return [f"source:{s}"[:128] for s in sources if s]


def check(session: Session, keys: Iterable[str], now: datetime) -> None:
    """Raise LockedOut if any of keys (an account or a source) is locked at now."""
    keys = list(keys)
    rows = session.scalars(select(LoginAttempt).where(LoginAttempt.key.in_(keys)))
    wait = max((r.locked_until - now for r in rows if r.locked_until and r.locked_until > now),
               default=None)
    if wait is not None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise LockedOut(f"too many failed logins; try again in {seconds} s",
                        retry_after=seconds)


def failed(session: Session, account: str, sources: Iterable[str], settings: Settings,
           now: datetime) -> None:
    """Count a failed login against its account and sources; lock those over their limit."""
    window = timedelta(seconds=settings.login_window_seconds)
    limits = [(account, settings.login_max_failures)]
    limits += [(key, settings.login_source_max_failures) for key in sources]
    for key, limit in limits:
        row = _locked_row(session, key)
        if row.first_failed_at is None or now - row.first_failed_at > window:
            row.failures, row.first_failed_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + timedelta(seconds=settings.login_lockout_seconds)
            row.failures, row.first_failed_at = 0, None
            audit.record(session, Actor("login", "viewer"), "auth.lockout", "login",
                         key[:64], until=row.locked_until.isoformat(), limit=limit)


def succeeded(session: Session, account: str) -> None:
    """Forget an account's failures after a good login (its sources keep theirs)."""
    row = session.get(LoginAttempt, account)
    if row is not None:
        row.failures, row.first_failed_at = 0, None


def _locked_row(session: Session, key: str) -> LoginAttempt:
    # Insert-or-nothing, then lock: two processes counting the same key never lose a count.
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(LoginAttempt).values(key=key, failures=0).on_conflict_do_nothing())
    row = session.get(LoginAttempt, key, with_for_update=True, populate_existing=True)
    assert row is not None
    return row
