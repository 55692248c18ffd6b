"""An in-process app on a migrated database, with or without the seeded demo plant."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from server.app import create_app
from server.migrate import upgrade
from server.seed import DemoPlant, seed
from tests.conftest import make_settings


@contextmanager
def socket_app(tmp_path: Path, url: str, *, live_public: bool = True,
               scan_rate_per_second: float = 5.0, **extra: object) -> Iterator[Flask]:
    """An app on a migrated database (public live screens, 5 scans/s per station by default);
    its engine is disposed on leaving."""
    app = create_app(make_settings(tmp_path, url, live_public=live_public,
                                   scan_rate_per_second=scan_rate_per_second, **extra))
    upgrade(app.extensions["floorline"].engine)
    yield app
    app.extensions["floorline"].engine.dispose()


def seed_plant(app: Flask) -> DemoPlant:
    """Seed the demo plant into the app's database and return its tokens and runs."""
    with app.extensions["floorline"].transaction() as s:
        return seed(s)
