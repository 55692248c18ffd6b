"""Migration tests: an empty database on each backend, and stepping down a revision."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from server import migrate
from server.db import make_engine
from server.migrate import alembic_config

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new empty database (a file, or a PostgreSQL database dropped after)."""
    from tests.conftest import PG_ADMIN_URL, need_service

    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/old.sqlite"
        return
    need_service("PostgreSQL", 5432)
    name = f"floorline_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    """Step the database down to revision, in one transaction (as `floorline` would)."""
    migrate.downgrade(engine, revision)


def revision_before(revision: str) -> str:
    """Return the revision a migration follows."""
    from alembic.script import ScriptDirectory

    down = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(
        revision).down_revision
    assert isinstance(down, str)
    return down
