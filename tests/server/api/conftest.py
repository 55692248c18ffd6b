"""An app on each backend with a seeded catalogue and a token per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.app import create_app
from server.models import AuditRecord, Base
from server.services import catalog, plant, users
from server.services.actors import SYSTEM
from tests.conftest import make_settings
from tests.support.deferred_operations import build_deferred, is_deferred


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Hypothesis marks its tests itself, but sees only the stand-ins of deferred ones.
    for item in items:
        if is_deferred(item):
            item.add_marker(pytest.mark.hypothesis)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    build_deferred(item)


@dataclass
class Plant:
    tokens: dict[str, str]
    station_tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def station(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.station_tokens[name]}"}


@pytest.fixture
def app(tmp_path: Path, database_url: str):
    app = create_app(make_settings(tmp_path, database_url))
    yield app
    app.extensions["floorline"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def plant_(app) -> Plant:
    return seed_plant(app)


def seed_plant(app) -> Plant:
    """Users with a token per role, three operations, two items, three stations."""
    rt = app.extensions["floorline"]
    with rt.transaction() as s:
        tokens = {}
        for role in ("admin", "planner", "supervisor", "operator", "viewer"):
            # No passwords: hashing is deliberately slow (see the `admin_password` fixture).
            users.create_user(s, SYSTEM, username=role, role=role)
            tokens[role] = users.create_token(s, SYSTEM, role)
        for code in ("CUT", "WELD", "PAINT"):
            catalog.create_operation(s, SYSTEM, code=code, name=code.title())
        catalog.create_item(s, SYSTEM, sku="FRAME", name="Frame", kind="finished", unit="pcs",
                            routing=["CUT", "WELD", "PAINT"])
        catalog.create_item(s, SYSTEM, sku="ROD", name="Rod", kind="semi_finished", unit="kg",
                            routing=["CUT", "PAINT"])
        stations = {}
        for name, op in (("cut-1", "CUT"), ("weld-1", "WELD"), ("paint-1", "PAINT")):
            _, stations[name] = plant.create_station(s, SYSTEM, name=name, operation=op)
        plant.create_machine(s, SYSTEM, code="SAW-1", name="Saw", station="cut-1")
        plant.create_machine(s, SYSTEM, code="SAW-2", name="Saw 2", station="cut-1")
    return Plant(tokens, stations)


@pytest.fixture
def row_counts(app):
    """Return a function that counts the rows of every table (to show nothing was written)."""
    rt = app.extensions["floorline"]

    def counts() -> dict[str, int]:
        with rt.sessions() as s:
            return {t.name: s.scalar(select(func.count()).select_from(t))
                    for t in Base.metadata.sorted_tables if t.name != "api_tokens"}
    return counts


@pytest.fixture
def audit_count(app):
    rt = app.extensions["floorline"]

    def count() -> int:
        with rt.sessions() as s:
            return s.scalar(select(func.count()).select_from(AuditRecord))
    return count


@pytest.fixture
def admin_password(app, plant_) -> str:
    """Give the admin a password, for the tests that log a browser in."""
    from werkzeug.security import generate_password_hash

    from server.models import User
    with app.extensions["floorline"].transaction() as s:
        s.scalars(select(User).where(User.username == "admin")).one().password_hash = \
            generate_password_hash("password-admin")
    return "password-admin"


@pytest.fixture
def admin_password_for():
    """Return a function that sets a user's password on an app (hashing is slow: on demand)."""
    from werkzeug.security import generate_password_hash

    from server.models import User

    def set_password(app, username: str, password: str) -> None:
        with app.extensions["floorline"].transaction() as s:
            s.scalars(select(User).where(User.username == username)).one().password_hash = \
                generate_password_hash(password)
    return set_password


@pytest.fixture
def browser_as(app, plant_, admin_password_for):
    """Return a function that logs a browser (test client with a session) in as a role."""
    def login(role: str):
        admin_password_for(app, role, f"password-{role}")
        browser = app.test_client()
        r = browser.post("/api/v1/auth/login", json={"username": role,
                                                     "password": f"password-{role}"})
        assert r.status_code == 200, r.json
        return browser
    return login
