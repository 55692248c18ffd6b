"""Declarative base, shared column types and naming conventions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    MetaData,
    Numeric,
    String,
    TypeDecorator,
    literal_column,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def values_of(states: type[StrEnum] | Iterable[StrEnum]) -> list[str]:
    """Return the values of an enum, or of some of its members, in the enum's own order.

    The order is fixed so that a CHECK constraint renders the same text on every run.
    """
    members = list(states)
    if not members:
        raise ValueError("a vocabulary needs at least one value")
    order = list(type(members[0]))
    values = [m.value for m in sorted(set(members), key=order.index)]
    if not all(re.fullmatch(r"[a-z0-9_]+", v) for v in values):
        raise ValueError(f"vocabulary values are lower-case words: {values}")
    return values


def one_of(column: str, states: type[StrEnum] | Iterable[StrEnum]) -> str:
    """Render a CHECK condition "column IN ('a', 'b')" from a domain vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values_of(states))
    return f"{column} IN ({quoted})"


def literals(states: type[StrEnum] | Iterable[StrEnum]) -> list[ColumnElement[str]]:
    """Return a vocabulary as SQL literals, for hot statements that should not bind them.

    An IN list of bound values is re-rendered on every execution; literals are compiled
    once with the statement.
    """
    return [literal_column(f"'{v}'") for v in values_of(states)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


# Six decimal places, as server.domain.quantities.PLACES; asdecimal keeps floats out.
Amount = Annotated[Decimal, mapped_column(Numeric(20, 6, asdecimal=True))]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
Code = Annotated[str, mapped_column(String(64))]
Name = Annotated[str, mapped_column(String(200))]
Json = Annotated[dict[str, Any], mapped_column(JSON, default=dict)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}
