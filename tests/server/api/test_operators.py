"""Kiosk badge login names who does the work at its station, for scanner and typed scans."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from server.services import users
from server.services.actors import SYSTEM


def new_batch(client, plant_) -> str:
    spec = {"item": "ROD", "quantity": 10, "unit": "kg", "batches": 1}
    run = client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json
    return str(run["batches"][0]["code"])


def body(code: str, **extra: object) -> dict[str, object]:
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test", **extra}


def badge_in(app, client, plant_) -> str:
    """Pair a kiosk with cut-1 and log Ana in by badge; return the CSRF token."""
    with app.extensions["floorline"].transaction() as s:
        users.create_user(s, SYSTEM, username="ana", role="operator", badge_code="BADGE-0001")
    client.get("/kiosk/cut-1")
    with client.session_transaction() as s:
        csrf = s["csrf"]
    client.post("/kiosk/cut-1/pair", data={"token": plant_.station_tokens["cut-1"],
                                           "csrf_token": csrf})
    r = client.post("/api/v1/auth/badge", json={"badge": "BADGE-0001"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.json
    return str(r.json["csrf_token"])


def scans_of(client, plant_, code: str) -> list[tuple[str | None, str | None]]:
    detail = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")).json
    return [(s["operator"], s["operator_claimed"]) for s in detail["scans"]]


def test_a_scanner_scan_at_a_kiosk_with_an_operator_logged_in_is_theirs(app, client, plant_):
    code = new_batch(client, plant_)
    badge_in(app, client, plant_)
    r = client.post("/api/v1/scans", json=body(code), headers=plant_.station("cut-1"))
    assert r.json["outcome"] == "accepted", r.json
    assert scans_of(client, plant_, code) == [("ana", None)]


def test_after_badge_logout_the_stations_scans_are_nobodys(app, client, plant_):
    code = new_batch(client, plant_)
    csrf = badge_in(app, client, plant_)
    assert client.post("/api/v1/auth/badge/logout",
                       headers={"X-CSRF-Token": csrf}).status_code == 200
    client.post("/api/v1/scans", json=body(code, operator="admin"),
                headers=plant_.station("cut-1"))
    assert scans_of(client, plant_, code) == [(None, "admin")]


def test_a_code_typed_at_the_kiosk_is_the_logged_in_users(client, plant_):
    code = new_batch(client, plant_)
    r = client.post("/api/v1/stations/cut-1/scans", json=body(code),
                    headers=plant_.auth("operator"))
    assert r.json["outcome"] == "accepted", r.json
    assert scans_of(client, plant_, code) == [("operator", None)]
