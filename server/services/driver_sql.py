"""Core statements compiled once per dialect and run on the driver's cursor.

Through Connection.execute each of the hot path's statements cost more CPU in SQLAlchemy's
dispatch (events, execution context, result objects) than in the database. Here a statement
is compiled once per dialect and parameter set: the SQL string (qmark for sqlite3, pyformat
for psycopg, from the one Core definition), its parameter order and its types' bind and
result converters. A driver error is handed to SQLAlchemy as its own would be, so callers
see the same wrapped IntegrityError / OperationalError and a lost connection is invalidated.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Insert, Select, Update
from sqlalchemy.sql.compiler import SQLCompiler

Converter = Callable[[Any], Any] | None
Statement = Select[Any] | Insert | Update


@dataclass(slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]               # parameter order (positional styles)
    positional: bool
    binds: tuple[tuple[str, Converter], ...]  # (name, converter) for typed parameters
    defaults: tuple[tuple[str, Any], ...]     # (name, value or callable) for omitted columns
    constants: dict[str, Any]                  # values the statement binds itself (literals)
    rows: Any                                  # row class (named tuple), None if no rows
    types: tuple[Any, ...]                     # result column types
    # Result converters may depend on the type the driver reports (psycopg's numerics), so
    # they are looked up from the first result's cursor description.
    results: tuple[Converter, ...] | None = None


class Prepared:
    """A Core statement to run on the driver, compiled on first use per dialect."""

    def __init__(self, stmt: Statement) -> None:
        self.stmt = stmt
        self._compiled: dict[tuple[int, frozenset[str]], _Compiled | None] = {}

    def compiled(self, dialect: Dialect, keys: frozenset[str]) -> _Compiled | None:
        """Return the statement compiled for dialect and these parameters (None: not here)."""
        key = (id(dialect), keys)
        if key not in self._compiled:
            self._compiled[key] = _compile(self.stmt, dialect, keys)
        return self._compiled[key]


def _compile(stmt: Statement, dialect: Dialect, keys: frozenset[str]) -> _Compiled | None:
    compiled = stmt.compile(dialect=dialect, column_keys=sorted(keys))
    assert isinstance(compiled, SQLCompiler)
    defaults = _defaults(compiled)
    styled = dialect.paramstyle in ("qmark", "pyformat")
    if defaults is None or not styled:
        return None  # a default computed in Python from SQL, or another style: SQLAlchemy's
    processors = compiled._bind_processors
    # Scalar parameters only (no tuples): each has one converter or none.
    binds = tuple((name, cast(Converter, processors.get(name)))
                  for name in compiled.bind_names.values())
    # An insert returns nothing here: PostgreSQL's implicit RETURNING of the new id is unread.
    columns = [] if isinstance(stmt, Insert) else compiled._result_columns or []
    rows = namedtuple("Row", [c[0] for c in columns], rename=True) if columns else None
    return _Compiled(compiled.string, tuple(compiled.positiontup or ()),
                     dialect.paramstyle == "qmark",
                     tuple(b for b in dict(binds).items() if b[1] is not None),
                     defaults, _constants(compiled, keys), rows, tuple(c[3] for c in columns))


def _constants(compiled: SQLCompiler, keys: frozenset[str]) -> dict[str, Any]:
    return {name: bind.effective_value for bind, name in compiled.bind_names.items()
            if name not in keys and not bind.required}


def _defaults(compiled: SQLCompiler) -> tuple[tuple[str, Any], ...] | None:
    """Return the Python-side defaults a statement fills in, or None if one is not plain."""
    found: list[tuple[str, Any]] = []
    inserted = getattr(compiled, "insert_prefetch", None) or []
    for column in [*inserted, *(getattr(compiled, "update_prefetch", None) or [])]:
        default = column.default if column in inserted else column.onupdate
        if default is None or not (default.is_scalar or default.is_callable):
            return None
        found.append((column.key, default))
    return tuple(found)


def execute(conn: Connection, prepared: Prepared, params: Mapping[str, Any]) -> Any:
    """Run a prepared statement in conn's transaction and return its result.

    Read rows with one() / first() / all() / scalar(), and rowcount: rows come converted.
    """
    compiled = prepared.compiled(conn.dialect, frozenset(params))
    if compiled is None:
        return _Fallback(conn.execute(prepared.stmt, dict(params)))
    values = {**compiled.constants, **params}
    for name, default in compiled.defaults:
        arg = default.arg
        values[name] = arg if default.is_scalar else arg(None)
    for name, convert in compiled.binds:
        values[name] = convert(values[name])  # type: ignore[misc]
    args: Any = tuple(values[n] for n in compiled.names) if compiled.positional else values
    return _Result(run(conn, compiled.sql, args), compiled, conn.dialect)


def run(conn: Connection, sql: str, args: Any = ()) -> Any:
    """Execute sql on conn's driver connection and return the open cursor.

    A driver error is wrapped as SQLAlchemy's own would be (a lost connection invalidated and
    marked so), so callers tell a refusal from a dead connection as they always have.
    """
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql, args)
    except Exception as err:
        cursor.close()
        conn._handle_dbapi_exception(err, sql, args, cursor, None)
    return cursor


class _Result:
    def __init__(self, cursor: Any, compiled: _Compiled, dialect: Dialect) -> None:
        self.cursor = cursor
        self.compiled = compiled
        self.dialect = dialect
        self.rowcount: int = cursor.rowcount
        if compiled.rows is None:
            cursor.close()

    def all(self) -> list[Any]:
        if self.compiled.rows is None:
            return []
        rows = self.cursor.fetchall()
        if self.compiled.results is None:
            self.compiled.results = tuple(
                t._cached_result_processor(self.dialect, d[1])
                for t, d in zip(self.compiled.types, self.cursor.description, strict=True))
        self.cursor.close()
        return [self._row(r) for r in rows]

    def first(self) -> Any:
        rows = self.all()
        return rows[0] if rows else None

    def one(self) -> Any:
        rows = self.all()
        if len(rows) != 1:
            raise LookupError(f"expected one row, got {len(rows)}")
        return rows[0]

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]

    def close(self) -> None:
        self.cursor.close()

    def _row(self, raw: tuple[Any, ...]) -> Any:
        results = self.compiled.results
        assert results is not None
        return self.compiled.rows(*(v if f is None else f(v)
                                    for f, v in zip(results, raw, strict=True)))


class _Fallback:
    """A SQLAlchemy result read like a driver one."""

    def __init__(self, result: Any) -> None:
        self.result = result
        self.rowcount: int = result.rowcount

    def all(self) -> list[Any]:
        return list(self.result.all()) if self.result.returns_rows else []

    def first(self) -> Any:
        return self.result.first() if self.result.returns_rows else None

    def one(self) -> Any:
        return self.result.one()

    def scalar(self) -> Any:
        return self.result.scalar()

    def close(self) -> None:
        self.result.close()
