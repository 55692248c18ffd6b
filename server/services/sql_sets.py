"""A column among many values, in as few bytes of SQL as the database allows."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session


def among(session: Session, column: ColumnElement[Any] | QueryableAttribute[Any],
          values: Collection[Any]) -> ColumnElement[bool]:
    """Return "column IN values": on PostgreSQL as one array parameter (= ANY).

    An IN list of a recall's 240 serials is 240 parameters: SQL text too long for the
    driver's cache, parsed on each call, and a new statement for the server at every count.
    One array keeps the text the same whatever the count.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)
