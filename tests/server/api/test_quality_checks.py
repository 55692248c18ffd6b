"""Quality checks over REST: at a step flagged as a quality check (a fail holds the batch),
of a serial (a fail quarantines it), of a lot or a job; refusals write nothing; replays."""

from __future__ import annotations

import uuid

import pytest

from tests.support.receiving import receiving_plant
from tests.support.trace_floor import client_api, scan


@pytest.fixture
def qc(app, client, plant_):
    receiving_plant(app)
    r = client.patch("/api/v1/operations/WELD", json={"is_quality_check": True},
                     headers=plant_.auth("planner"))
    assert r.status_code == 200
    return plant_


def batch_at(client, plant_, stations):
    run = client.post("/api/v1/runs", json={"lines": [{"item": "FRAME", "quantity": 4,
                                                       "unit": "pcs", "batches": 1}]},
                      headers=plant_.auth("planner")).json
    code = run["batches"][0]["code"]
    for station in stations:
        scan(client_api(client, ""), plant_.station_tokens[station], code)
    return code


def check(client, plant_, role="operator", **body):
    spec = {"inspector": "Quinn", "result": "pass", "defects": 0, **body}
    return client.post("/api/v1/quality-checks", json=spec, headers=plant_.auth(role))


def test_a_step_check_is_recorded_and_a_fail_puts_the_batch_on_hold(client, qc):
    code = batch_at(client, qc, ("cut-1", "weld-1"))
    r = check(client, qc, subject=code, step=1, station="weld-1", result="fail", defects=2,
              notes="weld seam porous")
    assert r.status_code == 201, r.json
    body = r.json
    assert (body["stage"], body["subject_kind"], body["subject_code"], body["step"],
            body["station"], body["inspector"], body["result"], body["defects"],
            body["notes"]) == ("step", "batch", code, 1, "weld-1", "Quinn", "fail", 2,
                               "weld seam porous")
    batch = client.get(f"/api/v1/batches/{code}", headers=qc.auth("viewer")).json
    assert batch["state"] == "on_hold" and "quality check" in batch["hold_reason"]
    listed = client.get(f"/api/v1/quality-checks?subject={code}", headers=qc.auth("viewer"))
    assert [c["id"] for c in listed.json] == [body["id"]]


def test_a_pass_leaves_the_batch_moving_and_a_replay_writes_nothing(client, qc, row_counts):
    code = batch_at(client, qc, ("cut-1", "weld-1"))
    event = str(uuid.uuid4())
    first = check(client, qc, subject=code, step=1, event_id=event)
    before = row_counts()
    again = check(client, qc, subject=code, step=1, event_id=event)
    assert again.status_code == 201 and again.json == first.json
    assert row_counts() == before
    assert client.get(f"/api/v1/batches/{code}", headers=qc.auth("viewer")).json["state"] == \
        "waiting"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"step": 0}, 422, "not_a_quality_step"),
    ({"step": 2}, 422, "not_a_quality_step"),
    ({"step": 9}, 404, "unknown_step"),
    ({}, 400, "step_required"),
    ({"step": 1, "station": "nowhere"}, 404, "unknown_station"),
    ({"step": 1, "result": "meh"}, 400, None),
    ({"step": 1, "defects": -1}, 400, None),
    ({"step": 1, "notes": "x" * 2001}, 400, None),
    ({"subject": "B-2026-999999", "step": 1}, 404, "unknown_code"),
    ({"subject": "' OR 1=1 --"}, 400, None),
])
def test_bad_checks_are_refused_and_write_nothing(client, qc, row_counts, body, status, code):
    batch = batch_at(client, qc, ("cut-1",))
    before = row_counts()
    r = check(client, qc, **{"subject": batch, **body})
    assert r.status_code == status, r.json
    if code:
        assert r.json["code"] == code
    assert row_counts() == before


def test_a_step_not_reached_yet_and_a_viewer_are_refused(client, qc, row_counts):
    code = batch_at(client, qc, ())
    before = row_counts()
    r = check(client, qc, subject=code, step=1)
    assert r.status_code == 409 and r.json["code"] == "step_not_reached"
    assert check(client, qc, "viewer", subject=code, step=1).status_code == 403
    assert row_counts() == before


def test_a_failed_check_of_a_serial_quarantines_it(client, qc):
    code = batch_at(client, qc, ("cut-1", "weld-1", "paint-1"))
    done = client.post(f"/api/v1/batches/{code}/complete", json={
        "quantity_completed": 1, "quantity_defective": 0, "result": "pass",
        "output": "serials", "location": "RACK-A"}, headers=qc.auth("operator")).json
    serial = done["serials"][0]["code"]
    r = check(client, qc, subject=serial.lower(), result="fail", defects=1)
    assert r.status_code == 201 and (r.json["subject_kind"], r.json["subject_code"]) == \
        ("serial", serial)
    detail = client.get(f"/api/v1/serials/{serial}", headers=qc.auth("viewer")).json
    assert detail["status"] == "quarantined"
    assert [(c["stage"], c["subject_kind"], c["result"]) for c in detail["quality_checks"]] \
        == [("final", "batch", "pass"), ("final", "serial", "fail")]
    stepped = check(client, qc, subject=serial, step=1)
    assert stepped.status_code == 400 and stepped.json["code"] == "step_not_allowed"


def test_a_failed_check_at_the_last_step_quarantines_what_the_done_batch_makes(client, qc):
    r = client.patch("/api/v1/operations/PAINT", json={"is_quality_check": True},
                     headers=qc.auth("planner"))
    assert r.status_code == 200
    code = batch_at(client, qc, ("cut-1", "weld-1", "paint-1"))
    failed = check(client, qc, subject=code, step=2, result="fail")
    assert failed.status_code == 201
    batch = client.get(f"/api/v1/batches/{code}", headers=qc.auth("viewer")).json
    assert batch["state"] == "done"  # too late to hold: its output is quarantined instead
    done = client.post(f"/api/v1/batches/{code}/complete", json={
        "quantity_completed": 2, "quantity_defective": 0, "result": "pass",
        "output": "serials", "location": "RACK-A"}, headers=qc.auth("operator")).json
    assert {s["status"] for s in done["serials"]} == {"quarantined"}
