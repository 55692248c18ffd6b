"""Gap-free counters for numbers, unique under concurrent creation (row-locked increments)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Sequence


def take(session: Session, name: str, count: int = 1) -> range:
    """Reserve count consecutive numbers from the named counter and return them."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(Sequence).values(name=name, value=0).on_conflict_do_nothing())
    # The UPDATE takes the row lock; a concurrent caller waits and then sees our value.
    last = session.execute(
        update(Sequence).where(Sequence.name == name)
        .values(value=Sequence.value + count).returning(Sequence.value)
    ).scalar_one()
    return range(last - count + 1, last + 1)
