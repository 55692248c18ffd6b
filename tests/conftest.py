"""Shared fixtures: databases on SQLite and the real PostgreSQL, apps, clients, tokens."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from server.db import make_engine
from server.migrate import upgrade
from server.models import Base
from server.runtime import Runtime
from server.seed import DemoPlant
from server.settings import Settings
from tests.support.url_builders import share_compiled_builders

PG_ADMIN_URL = os.environ.get("FLOORLINE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_SECRET_KEY = "test-secret-key-for-signing-sessions"
REQUIRE_SERVICES = os.environ.get("FLOORLINE_REQUIRE_SERVICES") == "1"

share_compiled_builders()
# No per-example time limit: a property either holds or not; on a loaded CI box a slow example
# is not a failure (speed is measured in bench/, never in tests).
hypothesis_settings.register_profile("floorline", deadline=None)
hypothesis_settings.load_profile("floorline")


def service_up(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_service(name: str, port: int) -> None:
    """Skip when a local service is missing; in CI (FLOORLINE_REQUIRE_SERVICES=1) fail instead."""
    if service_up("127.0.0.1", port):
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{name} is required on 127.0.0.1:{port} but is not running")
    pytest.skip(f"{name} not running on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once keeps tests fast)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database(worker_id: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (one per xdist worker), migrated."""
    need_service("PostgreSQL", 5432)
    name = f"floorline_test_{worker_id}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A scratch database: a commit need not wait for its WAL to reach the disk.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    """Empty every table and restart every id, as a fresh database would be.

    DELETE with the database's own triggers (foreign keys, the append-only guards) off for
    this one session, not TRUNCATE: a test leaves a few rows, and TRUNCATE rewrites and syncs
    every one of fifty tables' files each time (half a second a test)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))
        conn.execute(text("SELECT setval(oid::regclass, 1, false) FROM pg_class "
                          "WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty, migrated database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "floorline.sqlite"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    _truncate_all(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "floorline.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def make_settings(tmp_path: Path, url: str, **extra: object) -> Settings:
    return Settings(instance_path=str(tmp_path / "instance"), database_url=url,
                    secret_key=TEST_SECRET_KEY, **extra).resolved()  # type: ignore[arg-type]


@pytest.fixture
def runtime(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    """Settings, engine and sessions on each backend (for service tests)."""
    rt = Runtime.start(make_settings(tmp_path, database_url))
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoPlant]:
    """The demo plant seeded once per session (worker) into a SQLite file, and its tokens.

    Seeding costs more CPU than copying a file; every server still gets its own copy."""
    from tests.server_process import FloorlineServer

    base = tmp_path_factory.mktemp("seeded")
    srv = FloorlineServer(base / "instance", f"sqlite:///{base / 'seeded.sqlite'}")
    srv.instance.mkdir(parents=True)
    return base / "seeded.sqlite", srv.seed()


@pytest.fixture
def floorline_server(tmp_path: Path, sqlite_url: str, seeded_template: tuple[Path, DemoPlant]):
    """A seeded server subprocess on SQLite (sqlite_url's file); tests may kill and restart it."""
    from tests.server_process import FloorlineServer

    srv = FloorlineServer.on_copy(seeded_template, Path(sqlite_url[len("sqlite:///"):]),
                                  tmp_path / "instance", env={"FLOORLINE_LIVE_PUBLIC": "1"})
    srv.start()
    yield srv
    srv.stop()
