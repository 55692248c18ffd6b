"""The state-vocabulary migration: orders keep their status and gain the CHECK, and back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.exc import IntegrityError

from server.db import make_engine
from server.migrate import alembic_config, upgrade
from server.models.base import UTCDateTime
from tests.conftest import PG_ADMIN_URL, need_service

BEFORE = "genealogy_graph"
AT = bindparam("at", datetime(2026, 12, 1, tzinfo=UTC), type_=UTCDateTime())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database on each backend, migrated by the test."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/old.sqlite")
        yield eng
        eng.dispose()
        return
    need_service("PostgreSQL", 5432)
    name = f"floorline_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    yield eng
    eng.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def add_order(engine: Engine, number: str, status: str) -> None:
    with engine.begin() as conn:
        customer = conn.execute(text("SELECT id FROM customers")).scalar()
        if customer is None:
            conn.execute(text("INSERT INTO customers (code, name, created_at) "
                              "VALUES ('C', 'C', :at)").bindparams(AT))
            customer = conn.execute(text("SELECT id FROM customers")).scalar_one()
        conn.execute(text("INSERT INTO sales_orders (number, customer_id, status, notes, "
                          "created_at) VALUES (:n, :c, :s, '', :at)")
                     .bindparams(AT, n=number, c=customer, s=status))


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # as server.migrate.upgrade: copy tables keys off
            conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                "PRAGMA foreign_keys=OFF")
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)


def test_orders_keep_their_status_and_an_unknown_one_is_refused_until_downgraded(engine):
    upgrade(engine, BEFORE)
    add_order(engine, "SO-2026-00001", "in_production")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM sales_orders")).scalar() == "in_production"
    with pytest.raises(IntegrityError):
        add_order(engine, "SO-2026-00002", "lost")
    downgrade(engine, BEFORE)
    add_order(engine, "SO-2026-00003", "lost")  # the old schema had no such check
