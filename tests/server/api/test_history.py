"""A batch's history over REST and as a page; unknown batches and runs are 404 pages."""

import uuid
from datetime import UTC, datetime

from server.services import history
from server.services.actors import SYSTEM
from server.services.batches import split_batch


def new_run(client, plant_):
    spec = {"item": "ROD", "quantity": 10, "unit": "kg", "batches": 2}
    return client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json


def scan(client, plant_, station, code):
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    return client.post("/api/v1/scans", json=body, headers=plant_.station(station)).json


def login(client):
    r = client.post("/api/v1/auth/login", json={"username": "admin",
                                                "password": "password-admin"})
    assert r.status_code == 200, r.json


def test_history_keeps_refused_scans_with_their_reason_and_the_steps(app, client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    assert scan(client, plant_, "paint-1", code)["outcome"] == "rejected"  # wrong step
    assert scan(client, plant_, "cut-1", code)["outcome"] == "accepted"
    with app.extensions["floorline"].sessions() as db:
        h = history.batch_history(db, code)
    refused, accepted = h["scans"]
    assert refused["outcome"] == "rejected" and refused["reason"] == "wrong_step"
    assert refused["station"] == "paint-1" and refused["expected_step"] == "CUT"
    assert accepted["outcome"] == "accepted" and accepted["station"] == "cut-1"
    assert h["steps"][0]["operation"] == "CUT" and h["steps"][0]["station"] == "cut-1"
    assert h["steps"][0]["in"] == "10"


def test_history_endpoint_shows_splits_and_the_audit_trail(app, client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    with app.extensions["floorline"].transaction() as db:
        kids = [c["code"] for c in split_batch(db, SYSTEM, code, parts=2,
                                               reason="two ovens")["children"]]
    r = client.get(f"/api/v1/batches/{code}/history", headers=plant_.auth("viewer"))
    assert r.status_code == 200, r.json
    assert {c["code"] for c in r.json["children"]} == set(kids)
    assert r.json["batch"]["state"] == "split"
    split = r.json["audit"][-1]
    assert split["action"] == "batch.split" and split["reason"] == "two ovens"
    child = client.get(f"/api/v1/batches/{kids[0]}/history", headers=plant_.auth("viewer")).json
    assert child["parents"][0]["code"] == code and child["parents"][0]["relation"] == "split"


def test_history_of_an_unknown_batch_is_404(client, plant_):
    r = client.get("/api/v1/batches/B-NOPE/history", headers=plant_.auth("viewer"))
    assert r.status_code == 404 and r.json["code"] == "unknown_batch"


def test_the_batch_page_shows_its_history_and_unknown_batches_and_runs_are_404_pages(
        client, plant_, admin_password):
    run = new_run(client, plant_)
    code = run["batches"][0]["code"]
    scan(client, plant_, "paint-1", code)
    assert client.get(f"/batches/{code}").status_code == 302  # login first
    login(client)
    page = client.get(f"/batches/{code}")
    assert page.status_code == 200
    assert code in page.text and "Wrong step" in page.text and "expected CUT" in page.text
    for url in ("/batches/B-NOPE", "/runs/NOPE"):
        missing = client.get(url)
        assert missing.status_code == 404 and 'id="error"' in missing.text, url
    assert client.get(f"/runs/{run['number']}").status_code == 200
