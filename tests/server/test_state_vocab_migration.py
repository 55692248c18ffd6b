"""The state-vocabulary migration: orders keep their status and gain the CHECK, and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.exc import IntegrityError

from server.db import make_engine
from server.migrate import upgrade
from server.models.base import UTCDateTime
from tests.support.migrations import BACKENDS, downgrade, empty_database

BEFORE = "genealogy_graph"
AT = bindparam("at", datetime(2026, 12, 1, tzinfo=UTC), type_=UTCDateTime())


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database on each backend, migrated by the test."""
    for url in empty_database(request.param, tmp_path):
        eng = make_engine(url)
        yield eng
        eng.dispose()


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
