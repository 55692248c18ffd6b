"""Who may watch /live: public screens see the plant only, kiosks their own station, and a
logout or deactivation closes the sockets it opened."""

from __future__ import annotations

import pytest

from server.app import create_app
from server.migrate import upgrade
from server.realtime.live import plant_scan
from server.seed import seed
from server.services import users
from tests.conftest import make_settings


def make_app(tmp_path, sqlite_url, **extra):
    app = create_app(make_settings(tmp_path, sqlite_url, **extra))
    upgrade(app.extensions["floorline"].engine)
    with app.extensions["floorline"].transaction() as s:
        plant = seed(s)
    return app, plant


@pytest.fixture
def public(tmp_path, sqlite_url):
    app, plant = make_app(tmp_path, sqlite_url, live_public=True)
    yield app, plant, app.extensions["socketio"]
    app.extensions["floorline"].engine.dispose()


def join(client, room):
    return client.emit("join", {"room": room}, namespace="/live", callback=True)


def paired(app, plant, station):
    client = app.test_client()
    client.get(f"/kiosk/{station}")
    with client.session_transaction() as s:
        csrf = s["csrf"]
    client.post(f"/kiosk/{station}/pair", data={"token": plant.station_tokens[station],
                                                "csrf_token": csrf})
    return client


def logged_in(app, password_user="admin"):
    """A browser logged in as the seeded admin (the seed gives it a password)."""
    from werkzeug.security import generate_password_hash

    from server.models import User
    with app.extensions["floorline"].transaction() as s:
        user = s.query(User).filter_by(username=password_user).one()
        user.password_hash = generate_password_hash("password-admin")
    client = app.test_client()
    r = client.post("/api/v1/auth/login", json={"username": password_user,
                                                "password": "password-admin"})
    assert r.status_code == 200
    return client, {"X-CSRF-Token": r.json["csrf_token"]}


def test_anonymous_public_screens_may_join_only_the_plant(public):
    app, plant, sio = public
    anonymous = sio.test_client(app, namespace="/live")
    assert "error" not in join(anonymous, "plant")
    for room in (f"run:{plant.runs[0]}", "station:cut-1"):
        assert join(anonymous, room)["error"] == "not_authorized"
    user = sio.test_client(app, namespace="/live", auth={"token": plant.admin_token})
    assert "error" not in join(user, f"run:{plant.runs[0]}")


def test_a_paired_kiosk_may_watch_its_own_station_only(public):
    app, plant, sio = public
    kiosk = sio.test_client(app, namespace="/live", flask_test_client=paired(app, plant,
                                                                             "cut-1"))
    assert "error" not in join(kiosk, "station:cut-1")
    assert join(kiosk, "station:weld-1")["error"] == "not_authorized"
    assert join(kiosk, f"run:{plant.runs[0]}")["error"] == "not_authorized"


def test_a_refused_live_connection_tells_the_client_why(tmp_path, sqlite_url):
    app, plant = make_app(tmp_path, sqlite_url, live_public=False)
    sio = app.extensions["socketio"]
    client = sio.test_client(app, namespace="/station", auth={
        "token": plant.station_tokens["cut-1"]})
    sent = []
    real = sio.server._send_packet
    sio.server._send_packet = lambda eio_sid, pkt: (sent.append(pkt), real(eio_sid, pkt))
    client.connect(namespace="/live")
    assert not client.is_connected("/live")
    errors = [p.data for p in sent if p.namespace == "/live"]
    assert errors and "not_authorized: log in" in str(errors[-1])
    app.extensions["floorline"].engine.dispose()


def test_logout_closes_the_live_sockets_of_that_session(public):
    app, plant, sio = public
    browser, csrf = logged_in(app)
    live = sio.test_client(app, namespace="/live", flask_test_client=browser)
    assert "error" not in join(live, f"run:{plant.runs[0]}")
    assert browser.post("/api/v1/auth/logout", headers=csrf).status_code == 200
    assert not live.is_connected("/live")


def test_a_session_ended_in_another_process_is_refused_at_the_next_join(public):
    app, plant, sio = public
    browser, _ = logged_in(app)
    live = sio.test_client(app, namespace="/live", flask_test_client=browser)
    assert "error" not in join(live, f"run:{plant.runs[0]}")
    with browser.session_transaction() as cookie:
        sid = cookie["sid"]
    with app.extensions["floorline"].transaction() as s:
        users.end_session(s, sid)  # as another server process's logout would
    assert join(live, f"run:{plant.runs[0]}")["error"] == "not_authorized"
    assert not live.is_connected("/live")


def test_the_plant_room_never_sees_the_raw_code_of_an_unrecognised_read():
    badge = {"outcome": "rejected", "reason": "unknown_code", "code": "BADGE-0001"}
    assert plant_scan(badge)["code"] == ""
    batch = {"outcome": "accepted", "reason": None, "code": "B-1"}
    assert plant_scan(batch) is batch
