"""A PostgreSQL database of its own for one bench run, dropped afterwards (FLOORLINE_BENCH_PG
names the server; the default is the local test server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from server.db import make_engine

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """Create an empty database named prefix_<random>, yield its URL, drop it at the end."""
    admin_url = os.environ.get("FLOORLINE_BENCH_PG", ADMIN_URL)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
