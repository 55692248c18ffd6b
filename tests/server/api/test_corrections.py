"""Correcting mistakes over REST: scrap a batch, undo its last change, whole pieces only."""

import uuid
from datetime import UTC, datetime


def new_run(client, plant_, **line):
    spec = {"item": "ROD", "quantity": 10, "unit": "kg", "batches": 1, **line}
    return client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json


def scan(client, plant_, station, code):
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    return client.post("/api/v1/scans", json=body, headers=plant_.station(station)).json


def detail(client, plant_, code):
    return client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")).json


def run_of(client, plant_, number):
    return client.get(f"/api/v1/runs/{number}", headers=plant_.auth("viewer")).json


def post(client, plant_, path, role="operator", **body):
    return client.post(f"/api/v1{path}", json=body, headers=plant_.auth(role))


def test_a_whole_batch_is_scrapped_with_a_reason_and_refuses_scans(client, plant_, row_counts):
    code = new_run(client, plant_)["batches"][0]["code"]
    before = row_counts()
    assert post(client, plant_, f"/batches/{code}/scrap", reason=" ").status_code == 400
    assert post(client, plant_, f"/batches/{code}/scrap", "viewer",
                reason="dropped").status_code == 403
    assert row_counts() == before
    r = post(client, plant_, f"/batches/{code}/scrap", reason="dropped off the forklift")
    assert r.status_code == 200 and r.json["state"] == "scrapped"
    assert detail(client, plant_, code)["audit"][-1]["reason"] == "dropped off the forklift"
    ack = scan(client, plant_, "cut-1", code)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "batch_closed")
    again = post(client, plant_, f"/batches/{code}/scrap", reason="again")
    assert again.status_code == 409


def test_scrapping_the_last_open_batch_completes_the_run(client, plant_):
    run = new_run(client, plant_, batches=2)
    done, bad = (b["code"] for b in run["batches"])
    scan(client, plant_, "cut-1", done)
    scan(client, plant_, "paint-1", done)
    assert run_of(client, plant_, run["number"])["status"] == "in_progress"
    post(client, plant_, f"/batches/{bad}/scrap", reason="porosity")
    after = run_of(client, plant_, run["number"])
    assert after["status"] == "completed" and after["completed_at"] is not None
    assert after["progress"]["completion"] == 100.0


def test_undo_returns_a_scanned_batch_to_its_step_and_keeps_the_scan(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    assert post(client, plant_, f"/batches/{code}/undo", reason="").status_code == 400
    r = post(client, plant_, f"/batches/{code}/undo", "supervisor", reason="scanned the wrong one")
    assert r.status_code == 200, r.json
    assert (r.json["batch"]["state"], r.json["batch"]["step"]) == ("waiting", "CUT")
    assert r.json["undone"]["action"] == "complete"
    seen = detail(client, plant_, code)
    assert [(s["transition"], s["undone"]) for s in seen["scans"]] == [("complete", True)]
    assert seen["audit"][-1]["action"] == "batch.undo"
    assert seen["audit"][-1]["reason"] == "scanned the wrong one"
    assert seen["executions"][0]["undone_at"] is not None
    # The operator scans it again at once: a correction, not a bounce.
    ack = scan(client, plant_, "cut-1", code)
    assert (ack["outcome"], ack["next_step"]) == ("accepted", "PAINT")


def test_undoing_the_finishing_scan_reopens_a_completed_run(client, plant_):
    run = new_run(client, plant_)
    code = run["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    scan(client, plant_, "paint-1", code)
    assert run_of(client, plant_, run["number"])["status"] == "completed"
    post(client, plant_, f"/batches/{code}/undo", "supervisor", reason="paint not dry")
    reopened = run_of(client, plant_, run["number"])
    assert (reopened["status"], reopened["completed_at"]) == ("in_progress", None)
    assert reopened["batches"][0]["state"] == "waiting"
    assert reopened["batches"][0]["step"] == "PAINT"


def test_an_operator_cannot_undo_a_supervisors_change(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    post(client, plant_, f"/batches/{code}/hold", "supervisor", reason="check")
    r = post(client, plant_, f"/batches/{code}/undo", reason="oops")
    assert r.status_code == 403 and r.json["code"] == "not_your_change"
    assert detail(client, plant_, code)["state"] == "on_hold"


def test_an_operator_undoes_their_own_scrap_at_once(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    post(client, plant_, f"/batches/{code}/scrap", reason="wrong batch")
    r = post(client, plant_, f"/batches/{code}/undo", reason="it was the other one")
    assert r.status_code == 200 and r.json["batch"]["state"] == "waiting"


def test_a_split_batch_or_one_never_changed_has_nothing_to_undo(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    r = post(client, plant_, f"/batches/{code}/undo", "supervisor", reason="x")
    assert r.status_code == 409 and r.json["code"] == "nothing_to_undo"
    post(client, plant_, f"/batches/{code}/split", parts=2)
    r = post(client, plant_, f"/batches/{code}/undo", "supervisor", reason="x")
    assert r.status_code == 409 and r.json["code"] == "invalid_transition"


def test_a_batch_left_with_no_good_quantity_is_scrapped_and_its_run_completes(client, plant_):
    run = new_run(client, plant_)
    code = run["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    r = post(client, plant_, f"/batches/{code}/steps/0/quantities", good="0", scrapped="10")
    assert r.status_code == 200, r.json
    assert r.json["batch"]["state"] == "scrapped"
    assert run_of(client, plant_, run["number"])["status"] == "completed"
    ack = scan(client, plant_, "paint-1", code)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "batch_closed")


def test_fractional_pieces_are_refused_and_change_nothing(client, plant_, row_counts):
    code = new_run(client, plant_, item="FRAME", unit="pcs")["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    before = row_counts()
    r = post(client, plant_, f"/batches/{code}/steps/0/quantities", good="6.5",
             rejected="3.5")
    assert r.status_code == 400 and r.json["code"] == "invalid_quantity"
    assert r.json["detail"]["field"] == "good" and "whole" in r.json["message"]
    split = post(client, plant_, f"/batches/{code}/split", quantities=["2.5", "7.5"])
    assert split.status_code == 400
    assert row_counts() == before
    assert detail(client, plant_, code)["quantity"] == "10"
    kg = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", kg)
    assert post(client, plant_, f"/batches/{kg}/steps/0/quantities", good="6.5",
                rejected="3.5").status_code == 200


def test_a_json_float_amount_is_a_422_naming_the_field(client, plant_, row_counts):
    code = new_run(client, plant_)["batches"][0]["code"]
    scan(client, plant_, "cut-1", code)
    before = row_counts()
    r = post(client, plant_, f"/batches/{code}/steps/0/quantities", good=9.5, rejected="0.5")
    assert r.status_code == 422 and r.json["code"] == "float_amount"
    assert [e["field"] for e in r.json["detail"]["errors"]] == ["good"]
    r = client.post("/api/v1/runs", headers=plant_.auth("planner"), json={"lines": [
        {"item": "ROD", "quantity": 2.5, "unit": "kg"}]})
    assert r.status_code == 422
    assert [e["field"] for e in r.json["detail"]["errors"]] == ["lines.0.quantity"]
    assert row_counts() == before


def test_the_openapi_document_offers_amounts_as_text_or_integers_only(client):
    doc = client.get("/api/v1/openapi.json").json
    quantity = doc["components"]["schemas"]["OrderLineIn"]["properties"]["quantity"]
    assert sorted(s["type"] for s in quantity["anyOf"]) == ["integer", "string"]
