"""Kiosk REST and pages: step quantities, run flow, pairing and badge login."""

import uuid
from datetime import UTC, datetime


def new_run(client, plant_, **line):
    spec = {"item": "ROD", "quantity": 10, "unit": "kg", "batches": 2, **line}
    return client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json


def scan(client, plant_, station, code):
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    r = client.post("/api/v1/scans", json=body, headers=plant_.station(station))
    assert r.json["outcome"] == "accepted", r.json
    return r.json


def quantities(client, plant_, code, position, role="operator", **values):
    return client.post(f"/api/v1/batches/{code}/steps/{position}/quantities", json=values,
                       headers=plant_.auth(role))


def test_step_quantities_are_stored_and_the_batch_goes_on_with_the_good(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    position = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")
                          ).json["executions"][0]["position"]
    r = quantities(client, plant_, code, position, good="8.5", rejected="1", scrapped="0.25",
                   waste="0.25", reason="burrs")
    assert r.status_code == 200, r.json
    assert r.json["execution"]["good"] == "8.5" and r.json["batch"]["quantity"] == "8.5"
    detail = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")).json
    assert detail["executions"][0]["waste"] == "0.25"
    assert detail["audit"][-1]["action"] == "step.quantities"
    assert detail["audit"][-1]["reason"] == "burrs"


def test_step_quantities_that_do_not_add_up_or_are_negative_are_refused(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    position = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")
                          ).json["executions"][0]["position"]
    wrong_sum = quantities(client, plant_, code, position, good="9", rejected="2")
    assert wrong_sum.status_code == 400 and wrong_sum.json["code"] == "invalid_genealogy"
    negative = quantities(client, plant_, code, position, good="11", rejected="-1")
    assert negative.status_code == 400
    assert quantities(client, plant_, code, position, role="viewer", good="10").status_code == 403
    assert quantities(client, plant_, code, 99, good="10").status_code == 404
    detail = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")).json
    assert detail["executions"][0]["good"] == "10" and detail["quantity"] == "10"


def test_quantities_of_a_step_before_the_last_are_fixed(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    scan(client, plant_, "paint-1", code)
    first = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")
                       ).json["executions"][0]["position"]
    r = quantities(client, plant_, code, first, good="9", rejected="1")
    assert r.status_code == 409 and r.json["code"] == "step_not_last"


def test_run_flow_lists_batches_split_edges_and_the_timeline(client, plant_):
    run = new_run(client, plant_)
    code = run["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    client.post(f"/api/v1/batches/{code}/split", json={"quantities": ["4", "6"]},
                headers=plant_.auth("operator"))
    flow = client.get(f"/api/v1/runs/{run['number']}/flow", headers=plant_.auth("viewer")).json
    assert len(flow["nodes"]) == 4
    assert sorted((e["parent"], e["relation"], e["quantity"]) for e in flow["edges"]) == [
        (code, "split", "4"), (code, "split", "6")]
    assert [(t["batch"], t["operation"]) for t in flow["timeline"]] == [(code, "CUT")]


def test_kiosk_page_needs_pairing_or_a_login(client, plant_):
    page = client.get("/kiosk/cut-1")
    assert page.status_code == 200 and b'id="pairing"' in page.data
    assert b'id="result"' not in page.data
    assert client.get(f"/kiosk/cut-1/pair?token={plant_.station_tokens['cut-1']}"
                      ).status_code == 405  # a token in a URL ends up in logs
    with client.session_transaction() as s:
        csrf = s["csrf"]
    assert client.post("/kiosk/cut-1/pair", data={
        "token": plant_.station_tokens["cut-1"]}).status_code == 403  # no CSRF field
    wrong = client.post("/kiosk/cut-1/pair", data={"token": plant_.station_tokens["weld-1"],
                                                   "csrf_token": csrf})
    assert wrong.status_code == 403
    paired = client.post("/kiosk/cut-1/pair", data={"token": plant_.station_tokens["cut-1"],
                                                    "csrf_token": csrf})
    assert paired.status_code == 302 and paired.headers["Location"].endswith("/kiosk/cut-1")
    kiosk = client.get("/kiosk/cut-1")
    assert b'id="result"' in kiosk.data
    assert "script-src 'self'" in kiosk.headers["Content-Security-Policy"]
    other = client.get("/kiosk/weld-1")
    assert b'id="pairing"' in other.data


def test_password_login_form_needs_its_csrf_field(client, plant_, admin_password):
    client.get("/login")
    refused = client.post("/login", data={"username": "admin", "password": admin_password})
    assert refused.status_code == 403
    with client.session_transaction() as s:
        token = s["csrf"]
    ok = client.post("/login", data={"username": "admin", "password": admin_password,
                                     "csrf_token": token, "next": "https://evil.example/"})
    assert ok.status_code == 302 and ok.headers["Location"] == "/runs"
    assert client.get("/runs").status_code == 200


def test_quantities_of_a_split_batch_are_refused(client, plant_, row_counts):
    code = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    client.post(f"/api/v1/batches/{code}/split", json={"parts": 2},
                headers=plant_.auth("operator"))
    before = row_counts()
    r = quantities(client, plant_, code, 0, good="6", rejected="4", scrapped="0", waste="0")
    assert r.status_code == 409 and r.json["code"] == "batch_closed"
    assert row_counts() == before


def test_rotating_the_station_token_unpairs_its_kiosks(client, plant_):
    client.get("/kiosk/cut-1")
    with client.session_transaction() as s:
        csrf = s["csrf"]
    client.post("/kiosk/cut-1/pair", data={"token": plant_.station_tokens["cut-1"],
                                           "csrf_token": csrf})
    assert b'id="result"' in client.get("/kiosk/cut-1").data
    client.post("/api/v1/stations/cut-1/token", headers=plant_.auth("admin"))
    assert b'id="pairing"' in client.get("/kiosk/cut-1").data


def test_an_unknown_station_kiosk_is_an_html_404(client, plant_):
    page = client.get("/kiosk/nope")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert b"no station &#39;nope&#39;" in page.data or b"no station 'nope'" in page.data
