"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.models import Base


def test_migrated_database_matches_the_models(runtime):
    with runtime.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_and_waits_for_locks_in_python(tmp_path):
    from sqlalchemy import text

    from server.db import make_engine
    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        # The driver never sleeps in C (it would stall gevent); server.db retries instead.
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 0
    engine.dispose()
