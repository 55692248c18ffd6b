"""Find a numbered record (a lot, a job) by its number, optionally under its row lock."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound

T = TypeVar("T")


def by_number(session: Session, model: type[T], number: str, *, lock: bool, kind: str) -> T:
    """Return the model row numbered number, or raise NotFound (code unknown_<kind>).

    lock=True takes its row lock and re-reads it: what is summed or checked next (a lot's
    stock, a job's pending) must be what the lock holder sees."""
    column: Any = getattr(model, "number")  # noqa: B009 - T is any numbered model
    stmt = select(model).where(column == number)
    if lock:
        stmt = stmt.with_for_update(of=model).execution_options(populate_existing=True)
    row = session.scalar(stmt)
    if row is None:
        raise NotFound(f"no {kind} {number!r}", code=f"unknown_{kind}", **{kind: number})
    return row
