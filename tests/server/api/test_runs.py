"""Runs over REST: create from batch specs, generate from a sales order, list and progress."""

import re
import uuid
from datetime import UTC, datetime


def make_run(client, plant, lines, role="planner"):
    return client.post("/api/v1/runs", json={"lines": lines}, headers=plant.auth(role))


def test_two_lines_of_three_batches_make_six_uniquely_coded_batches(client, plant_):
    r = make_run(client, plant_, [
        {"item": "FRAME", "quantity": 10, "unit": "pcs", "batches": 3, "machines": ["SAW-1"]},
        {"item": "ROD", "quantity": "2.5", "unit": "kg", "batches": 3,
         "machines": ["SAW-1", "SAW-2"]}])
    assert r.status_code == 201, r.json
    run = r.json
    assert re.fullmatch(r"PR-\d{4}-\d{5}", run["number"])
    codes = [b["code"] for b in run["batches"]]
    assert len(codes) == 6 == len(set(codes))
    assert [b["machine"] for b in run["batches"][3:]] == ["SAW-1", "SAW-2", "SAW-1"]
    assert run["progress"] == {"batches": 6, "open": 6, "closed": 0, "done": 0, "held": 0,
                               "wip": 6, "per_step": {"CUT": 6}, "remaining_steps": 15,
                               "completion": 0.0, "items": ["FRAME", "ROD"],
                               "held_batches": []}
    assert run["projection"] == {"remaining_steps": 15, "pace_per_hour": None,
                                 "finish": None, "late": False}
    assert run["status"] == "pending" and run["responsible"] == "planner"
    assert run["routings"]["FRAME"] == ["CUT", "WELD", "PAINT"]


def test_quantity_in_another_unit_is_stored_in_the_items_unit(client, plant_):
    r = make_run(client, plant_, [{"item": "ROD", "quantity": 1500, "unit": "g"}])
    assert r.status_code == 201
    assert r.json["batches"][0]["quantity"] == "1.5" and r.json["batches"][0]["unit"] == "kg"


def test_run_from_estimate_order_is_linked_both_ways(client, plant_):
    h = plant_.auth("planner")
    client.post("/api/v1/customers", json={"code": "ACME", "name": "Acme"}, headers=h)
    order = client.post("/api/v1/orders", headers=h, json={"customer": "ACME", "lines": [
        {"item": "FRAME", "quantity": 40, "unit": "pcs"},
        {"item": "ROD", "quantity": "7", "unit": "kg"}]}).json
    assert order["status"] == "estimate"
    r = client.post("/api/v1/runs/from-order", headers=h,
                    json={"order": order["number"], "batches_per_line": 3})
    assert r.status_code == 201, r.json
    run = r.json
    assert run["sales_order"] == order["number"]
    assert [b["quantity"] for b in run["batches"]] == ["13", "13", "14",
                                                       "2.333333", "2.333333", "2.333334"]
    again = client.get(f"/api/v1/orders/{order['number']}", headers=h).json
    assert again["runs"] == [run["number"]]
    listed = client.get(f"/api/v1/runs?order={order['number']}", headers=h).json
    assert [r["number"] for r in listed["runs"]] == [run["number"]]


def test_runs_are_not_generated_from_a_cancelled_order(client, plant_, row_counts):
    h = plant_.auth("planner")
    client.post("/api/v1/customers", json={"code": "ACME", "name": "Acme"}, headers=h)
    number = client.post("/api/v1/orders", headers=h, json={"customer": "ACME", "lines": [
        {"item": "FRAME", "quantity": 4, "unit": "pcs"}]}).json["number"]
    assert client.post(f"/api/v1/orders/{number}/status", json={"status": "cancelled"},
                       headers=h).status_code == 200
    before = row_counts()
    r = client.post("/api/v1/runs/from-order", json={"order": number}, headers=h)
    assert r.status_code == 409 and r.json["code"] == "order_closed"
    assert row_counts() == before


def test_order_status_follows_its_flow(client, plant_):
    h = plant_.auth("planner")
    client.post("/api/v1/customers", json={"code": "C", "name": "C"}, headers=h)
    number = client.post("/api/v1/orders", headers=h, json={"customer": "C", "lines": [
        {"item": "FRAME", "quantity": 1, "unit": "pcs"}]}).json["number"]
    r = client.post(f"/api/v1/orders/{number}/status", json={"status": "shipped"}, headers=h)
    assert r.status_code == 409 and r.json["code"] == "invalid_status_change"


def test_list_filters_by_status_item_and_search(client, plant_):
    frame = make_run(client, plant_, [{"item": "FRAME", "quantity": 1, "unit": "pcs"}]).json
    rod = make_run(client, plant_, [{"item": "ROD", "quantity": 1, "unit": "kg"}]).json
    h = plant_.auth("viewer")
    listed = client.get("/api/v1/runs", headers=h).json
    assert listed["total"] == 2 and listed["runs"][0]["number"] == rod["number"]
    by_item = client.get("/api/v1/runs?item=FRAME", headers=h).json["runs"]
    assert [r["number"] for r in by_item] == [frame["number"]]
    code = rod["batches"][0]["code"]
    assert [r["number"] for r in client.get(f"/api/v1/runs?q={code}", headers=h)
            .json["runs"]] == [rod["number"]]
    assert client.get("/api/v1/runs?status=completed", headers=h).json["total"] == 0
    assert client.get("/api/v1/runs?status=bogus", headers=h).status_code == 400


def test_search_text_is_not_sql(client, plant_):
    make_run(client, plant_, [{"item": "FRAME", "quantity": 1, "unit": "pcs"}])
    h = plant_.auth("viewer")
    for q in ["' OR 1=1 --", "%", "_", "\"; DROP TABLE batches; --"]:
        r = client.get("/api/v1/runs", query_string={"q": q}, headers=h)
        assert r.status_code == 200 and r.json["total"] == 0
    assert client.get("/api/v1/runs", headers=h).json["total"] == 1


def test_numbers_stay_unique_across_many_runs(client, plant_):
    numbers, codes = set(), set()
    for _ in range(5):
        run = make_run(client, plant_, [{"item": "FRAME", "quantity": 1, "unit": "pcs",
                                         "batches": 4}]).json
        numbers.add(run["number"])
        codes.update(b["code"] for b in run["batches"])
    assert len(numbers) == 5 and len(codes) == 20


def make_order(client, plant_, due_date=None):
    h = plant_.auth("planner")
    client.post("/api/v1/customers", json={"code": "ACME", "name": "Acme"}, headers=h)
    body = {"customer": "ACME", "lines": [{"item": "ROD", "quantity": "4", "unit": "kg"}]}
    if due_date:
        body["due_date"] = due_date
    return client.post("/api/v1/orders", headers=h, json=body).json["number"]


def from_order(client, plant_, number, **extra):
    return client.post("/api/v1/runs/from-order", json={"order": number, **extra},
                       headers=plant_.auth("planner"))


def order_of(client, plant_, number):
    return client.get(f"/api/v1/orders/{number}", headers=plant_.auth("viewer")).json


def test_generating_a_run_moves_the_order_into_production(client, plant_):
    number = make_order(client, plant_)
    assert from_order(client, plant_, number).status_code == 201
    assert order_of(client, plant_, number)["status"] == "in_production"


def test_a_second_run_from_an_order_needs_an_explicit_choice_and_a_reason(client, plant_,
                                                                          row_counts):
    number = make_order(client, plant_)
    first = from_order(client, plant_, number).json["number"]
    before = row_counts()
    again = from_order(client, plant_, number)
    assert again.status_code == 409 and again.json["code"] == "order_has_run"
    assert first in again.json["message"]
    no_reason = from_order(client, plant_, number, allow_additional=True, reason=" ")
    assert no_reason.status_code == 400 and no_reason.json["code"] == "reason_required"
    assert row_counts() == before
    extra = from_order(client, plant_, number, allow_additional=True, reason="scrap at paint")
    assert extra.status_code == 201
    assert order_of(client, plant_, number)["runs"] == [first, extra.json["number"]]
    audit = client.get(f"/api/v1/runs/{extra.json['number']}", headers=plant_.auth("viewer"))
    assert audit.status_code == 200


def test_a_runs_responsible_is_chosen_and_its_due_date_comes_from_the_order(client, plant_):
    number = make_order(client, plant_, due_date="2027-03-01")
    unknown = from_order(client, plant_, number, responsible="nobody")
    assert unknown.status_code == 404 and unknown.json["code"] == "unknown_user"
    viewer = from_order(client, plant_, number, responsible="viewer")
    assert viewer.status_code == 400
    run = from_order(client, plant_, number, responsible="supervisor").json
    assert (run["responsible"], run["due_date"]) == ("supervisor", "2027-03-01")
    by_hand = client.post("/api/v1/runs", headers=plant_.auth("planner"), json={
        "lines": [{"item": "ROD", "quantity": "1", "unit": "kg"}], "responsible": "operator"})
    assert by_hand.json["responsible"] == "operator" and by_hand.json["due_date"] is None


def test_cancelling_a_run_closes_its_open_batches_and_the_order_follows(client, plant_):
    number = make_order(client, plant_)
    run = from_order(client, plant_, number, batches_per_line=2).json
    done, open_ = (b["code"] for b in run["batches"])
    for station in ("cut-1", "paint-1"):
        client.post("/api/v1/scans", headers=plant_.station(station), json={
            "event_id": str(uuid.uuid4()), "code": done, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"})
    path = f"/api/v1/runs/{run['number']}/cancel"
    h = plant_.auth("planner")
    assert client.post(path, json={"reason": ""}, headers=h).status_code == 400
    assert client.post(path, json={"reason": "x"},
                       headers=plant_.auth("supervisor")).status_code == 403
    r = client.post(path, json={"reason": "customer withdrew"}, headers=h)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "cancelled"
    assert {b["code"]: b["state"] for b in r.json["batches"]} == {done: "done",
                                                                  open_: "cancelled"}
    ack = client.post("/api/v1/scans", headers=plant_.station("cut-1"), json={
        "event_id": str(uuid.uuid4()), "code": open_, "symbology": "QRCode",
        "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}).json
    assert (ack["outcome"], ack["reason"], ack["message"]) == (
        "rejected", "run_cancelled", "Run was cancelled")
    assert order_of(client, plant_, number)["status"] == "confirmed"
    assert client.post(path, json={"reason": "again"}, headers=h).status_code == 409
    # Its only run cancelled, the order takes a new run without asking for an extra one.
    assert from_order(client, plant_, number).status_code == 201


def test_a_completed_run_cannot_be_cancelled(client, plant_):
    run = make_run(client, plant_, [{"item": "ROD", "quantity": "1", "unit": "kg"}]).json
    code = run["batches"][0]["code"]
    for station in ("cut-1", "paint-1"):
        client.post("/api/v1/scans", headers=plant_.station(station), json={
            "event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"})
    r = client.post(f"/api/v1/runs/{run['number']}/cancel", json={"reason": "late"},
                    headers=plant_.auth("planner"))
    assert r.status_code == 409 and r.json["code"] == "run_not_cancellable"
