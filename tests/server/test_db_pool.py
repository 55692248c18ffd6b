"""PostgreSQL connections are pinged on checkout only after sitting idle, and a dead one is
replaced or fails its request once, never for good."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from server import db
from tests.conftest import PG_ADMIN_URL, need_service

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine():
    need_service("PostgreSQL", 5432)
    made = db.make_engine(PG_ADMIN_URL, pool_size=1, max_overflow=0)
    yield made
    made.dispose()


def kill(pid):
    """Terminate a backend from another connection, as a database restart would."""
    admin = db.make_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


def backend_pid(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_cut_while_idle_is_replaced_on_checkout(engine, monkeypatch):
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # every checkout counts as idle
    first = backend_pid(engine)
    kill(first)
    assert backend_pid(engine) not in (None, first)


def test_a_connection_cut_within_the_window_fails_one_request_then_the_pool_recovers(
        engine, monkeypatch):
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)  # never pinged
    first = backend_pid(engine)
    kill(first)
    with pytest.raises(OperationalError) as failed:
        backend_pid(engine)
    assert failed.value.connection_invalidated
    assert backend_pid(engine) != first
