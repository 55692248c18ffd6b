"""Login throttling: PIN and password guessing is locked out per account and per source."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.app import create_app
from server.models import AuditRecord, LoginAttempt, utcnow
from server.services import users
from server.services.actors import SYSTEM
from server.services.logins import LockedOut
from tests.conftest import make_settings
from tests.server.api.conftest import seed_plant

LIMITS = {"login_max_failures": 3, "login_source_max_failures": 6,
          "login_lockout_seconds": 300.0}


@pytest.fixture
def strict_app(tmp_path, database_url):
    """An app with low login limits, a supervisor with badge and PIN, and a badge-only admin."""
    app = create_app(make_settings(tmp_path, database_url, **LIMITS))
    plant = seed_plant(app)
    with app.extensions["floorline"].transaction() as s:
        users.create_user(s, SYSTEM, username="sup", role="supervisor", badge_code="SUP-1",
                          pin="4321")
        users.create_user(s, SYSTEM, username="boss", role="admin", badge_code="BOSS-1")
        users.create_user(s, SYSTEM, username="op", role="operator", badge_code="OP-1")
    yield app, plant
    app.extensions["floorline"].engine.dispose()


def paired_kiosk(app, plant, station="cut-1", addr="10.0.0.1"):
    """Return a client paired with a station (as a kiosk is) and its CSRF header."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    client.get(f"/kiosk/{station}")
    with client.session_transaction() as s:
        csrf = s["csrf"]
    client.post(f"/kiosk/{station}/pair", data={"token": plant.station_tokens[station],
                                                "csrf_token": csrf})
    return client, {"X-CSRF-Token": csrf}


def badge(client, headers, code, pin=None):
    return client.post("/api/v1/auth/badge", json={"badge": code, "pin": pin}, headers=headers)


def test_a_pin_guessing_loop_is_locked_out_even_before_the_right_pin(strict_app):
    app, plant = strict_app
    client, csrf = paired_kiosk(app, plant)
    answers = [badge(client, csrf, "SUP-1", f"{pin:04d}") for pin in range(10)]
    assert [r.status_code for r in answers[:3]] == [401, 401, 401]
    locked = answers[3:]
    assert {r.status_code for r in locked} == {429}
    assert locked[0].json["code"] == "login_locked"
    assert 0 < int(locked[0].headers["Retry-After"]) <= 300
    right = badge(client, csrf, "SUP-1", "4321")
    assert right.status_code == 429
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_lockout_is_audited_and_outlives_a_restart(strict_app, tmp_path, database_url):
    app, plant = strict_app
    client, csrf = paired_kiosk(app, plant)
    for pin in ("0000", "0001", "0002"):
        badge(client, csrf, "SUP-1", pin)
    with app.extensions["floorline"].sessions() as s:
        actions = s.scalars(select(AuditRecord.action)).all()
    assert "auth.lockout" in actions
    # A second server process (or a restart) on the same database sees the same lockout.
    other = create_app(make_settings(tmp_path / "other", database_url, **LIMITS))
    client2, csrf2 = paired_kiosk(other, plant)
    assert badge(client2, csrf2, "SUP-1", "4321").status_code == 429
    other.extensions["floorline"].engine.dispose()


def test_one_source_trying_many_badges_is_locked_out(strict_app):
    app, plant = strict_app
    client, csrf = paired_kiosk(app, plant)
    codes = [badge(client, csrf, f"GUESS-{i}").status_code for i in range(8)]
    assert codes[:6] == [401] * 6 and codes[6:] == [429, 429]
    # Another station's kiosk (another station, another address) is not locked by this one.
    other, other_csrf = paired_kiosk(app, plant, "weld-1", addr="10.0.0.2")
    assert badge(other, other_csrf, "OP-1").status_code == 200


def test_password_guessing_is_locked_out_per_account(strict_app, admin_password_for):
    app, _ = strict_app
    admin_password_for(app, "admin", "password-admin")
    client = app.test_client()
    body = {"username": "admin", "password": "guess"}
    codes = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    r = client.post("/api/v1/auth/login", json={**body, "password": "password-admin"})
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_a_good_login_clears_the_account_failures(strict_app):
    app, plant = strict_app
    client, csrf = paired_kiosk(app, plant)
    for _ in range(2):
        assert badge(client, csrf, "SUP-1", "0000").status_code == 401
    assert badge(client, csrf, "SUP-1", "4321").status_code == 200
    for _ in range(2):
        assert badge(client, csrf, "SUP-1", "0000").status_code == 401
    assert badge(client, csrf, "SUP-1", "4321").status_code == 200


def test_a_lockout_ends_after_its_time(runtime):
    settings = runtime.settings
    with runtime.transaction() as s:
        users.create_user(s, SYSTEM, username="sam", role="operator", password="right-password")
    start = utcnow()
    for _ in range(settings.login_max_failures):
        with pytest.raises(users.LoginRefused), runtime.transaction() as s:
            users.authenticate_password(s, "sam", "wrong", settings=settings,
                                        clock=lambda: start)
    with pytest.raises(LockedOut) as locked, runtime.transaction() as s:
        users.authenticate_password(s, "sam", "right-password", settings=settings,
                                    clock=lambda: start)
    assert locked.value.detail["retry_after"] == settings.login_lockout_seconds
    later = start + timedelta(seconds=settings.login_lockout_seconds + 1)
    with runtime.transaction() as s:
        assert users.authenticate_password(s, "sam", "right-password", settings=settings,
                                           clock=lambda: later).username == "sam"
        assert s.get(LoginAttempt, "user:sam").failures == 0


def test_a_badge_without_pin_gives_no_more_than_operator_rights(strict_app):
    app, plant = strict_app
    client, csrf = paired_kiosk(app, plant)
    r = badge(client, csrf, "BOSS-1")
    assert r.status_code == 401 and r.json["code"] == "pin_required"
    assert client.get("/api/v1/auth/me").status_code == 401
    r = badge(client, csrf, "OP-1")
    assert r.status_code == 200 and r.json["user"]["role"] == "operator"


def test_an_unknown_user_costs_the_same_hash_check_as_a_known_one(runtime, monkeypatch):
    with runtime.transaction() as s:
        users.create_user(s, SYSTEM, username="kim", role="viewer", password="kims-password")
    checked: list[str] = []
    real = users.check_password_hash

    def counting(stored: str, given: str) -> bool:
        checked.append(stored.split("$")[0])
        return real(stored, given)
    monkeypatch.setattr(users, "check_password_hash", counting)
    for name in ("kim", "nobody"):
        with pytest.raises(users.LoginRefused), runtime.transaction() as s:
            users.authenticate_password(s, name, "wrong", settings=runtime.settings)
    assert len(checked) == 2 and checked[0] == checked[1]  # the same scrypt, both times
