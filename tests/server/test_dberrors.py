"""One rule tells a database failure that may pass from data refused for good."""

import sqlite3

import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from server.dberrors import is_transient


class PgError(Exception):
    """A driver error carrying a SQLSTATE, as psycopg's errors do."""

    def __init__(self, sqlstate):
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


class OperationalErrorWithoutState(Exception):
    """A driver's lost-connection error, named as DB-API drivers name it."""


OperationalErrorWithoutState.__name__ = "OperationalError"


@pytest.mark.parametrize("err", [
    OperationalError("s", {}, PgError("40001")),   # serialization failure
    OperationalError("s", {}, PgError("40P01")),   # deadlock
    OperationalError("s", {}, PgError("55P03")),   # lock timeout
    OperationalError("s", {}, PgError("57014")),   # statement timeout
    OperationalError("s", {}, PgError("57P01")),   # admin shutdown
    OperationalError("s", {}, PgError("57P03")),   # cannot connect now
    OperationalError("s", {}, PgError("08006")),   # connection failure
    OperationalError("s", {}, PgError("53100")),   # disk full
    OperationalError("s", {}, OperationalErrorWithoutState("server closed the connection")),
    ProgrammingError("s", {}, PgError("42P01"), connection_invalidated=True),
    OperationalError("s", {}, sqlite3.OperationalError("database is locked")),
    OperationalError("s", {}, sqlite3.OperationalError("database or disk is full")),
    PoolTimeout("QueuePool limit reached"),
], ids=repr)
def test_failures_that_may_pass_are_transient(err):
    assert is_transient(err)


@pytest.mark.parametrize("err", [
    DataError("s", {}, PgError("22003")),          # numeric value out of range
    IntegrityError("s", {}, PgError("23514")),     # check violation
    ProgrammingError("s", {}, PgError("42P01")),   # undefined table
    DataError("s", {}, ValueError("NUL character")),
    IntegrityError("s", {}, sqlite3.IntegrityError("CHECK constraint failed")),
    ValueError("not a database error"),
], ids=repr)
def test_data_the_database_refuses_for_good_is_not_transient(err):
    assert not is_transient(err)
