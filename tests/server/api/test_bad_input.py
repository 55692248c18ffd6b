"""Every bad request gets a 4xx JSON error {code, message, detail} and writes nothing."""

import pytest

GOOD_LINE = {"item": "FRAME", "quantity": 5, "unit": "pcs", "batches": 2}


def run_with(**changes):
    return {"lines": [{**GOOD_LINE, **changes}]}


CASES = [
    ("unknown item", "POST", "/api/v1/runs", run_with(item="NOPE"), "planner", 404,
     "unknown_item"),
    ("unknown machine", "POST", "/api/v1/runs", run_with(machines=["NOPE"]), "planner", 404,
     "unknown_machine"),
    ("zero quantity", "POST", "/api/v1/runs", run_with(quantity=0), "planner", 400,
     "invalid_quantity"),
    ("negative quantity", "POST", "/api/v1/runs", run_with(quantity="-3"), "planner", 400,
     "invalid_quantity"),
    ("absurd quantity", "POST", "/api/v1/runs", run_with(quantity="1e15"), "planner", 400,
     "invalid_quantity"),
    ("unit that does not convert", "POST", "/api/v1/runs", run_with(unit="kg"), "planner",
     400, "invalid_quantity"),
    ("unknown unit", "POST", "/api/v1/runs", run_with(unit="parsec"), "planner", 400,
     "invalid_quantity"),
    ("zero batches", "POST", "/api/v1/runs", run_with(batches=0), "planner", 400,
     "invalid_input"),
    ("10,001 batches", "POST", "/api/v1/runs", run_with(batches=10_001), "planner", 400,
     "invalid_input"),
    ("over 10,000 batches in total", "POST", "/api/v1/runs",
     {"lines": [{**GOOD_LINE, "batches": 6000}, {**GOOD_LINE, "batches": 5000}]}, "planner",
     422, "invalid_batch_count"),
    ("missing field", "POST", "/api/v1/runs", {"lines": [{"item": "FRAME"}]}, "planner", 400,
     "invalid_input"),
    ("wrong type", "POST", "/api/v1/runs", {"lines": "FRAME"}, "planner", 400,
     "invalid_input"),
    ("unknown field", "POST", "/api/v1/runs", run_with(colour="red"), "planner", 400,
     "invalid_input"),
    ("no lines", "POST", "/api/v1/runs", {"lines": []}, "planner", 400, "invalid_input"),
    ("duplicate SKU", "POST", "/api/v1/items", {"sku": "FRAME", "name": "x",
     "kind": "finished", "unit": "pcs"}, "planner", 409, "duplicate_sku"),
    ("unknown operation in routing", "POST", "/api/v1/items", {"sku": "NEW", "name": "x",
     "kind": "finished", "unit": "pcs", "routing": ["CUT", "LASER"]}, "planner", 404,
     "unknown_operation"),
    ("unknown station operation", "POST", "/api/v1/stations",
     {"name": "x-1", "operation": "LASER"}, "admin", 404, "unknown_operation"),
    ("planner doing an admin action", "POST", "/api/v1/stations",
     {"name": "x-1", "operation": "CUT"}, "planner", 403, "forbidden"),
    ("viewer creating a run", "POST", "/api/v1/runs", run_with(), "viewer", 403, "forbidden"),
    ("operator creating an item", "POST", "/api/v1/items", {"sku": "N", "name": "x",
     "kind": "finished", "unit": "pcs"}, "operator", 403, "forbidden"),
    ("injection in a code", "POST", "/api/v1/items", {"sku": "X'; DROP TABLE items;--",
     "name": "x", "kind": "finished", "unit": "pcs"}, "planner", 400, "invalid_input"),
    ("unknown batch", "POST", "/api/v1/batches/B-2026-999999/hold", {"reason": "x"},
     "operator", 404, "unknown_batch"),
    ("unknown station", "PATCH", "/api/v1/stations/nope", {"enabled": False}, "supervisor",
     404, "unknown_station"),
]


@pytest.mark.parametrize(("name", "method", "url", "body", "role", "status", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_request_is_refused_and_writes_nothing(client, plant_, row_counts, name, method,
                                                   url, body, role, status, code):
    before = row_counts()
    r = client.open(url, method=method, json=body, headers=plant_.auth(role))
    assert r.status_code == status, r.json
    assert r.json["code"] == code
    assert isinstance(r.json["message"], str) and r.json["message"]
    assert isinstance(r.json["detail"], dict)
    assert row_counts() == before


def test_body_over_one_mebibyte_is_refused(client, plant_, row_counts):
    before = row_counts()
    big = '{"lines": [], "notes": "' + "x" * (1024 * 1024) + '"}'
    r = client.post("/api/v1/runs", data=big, content_type="application/json",
                    headers=plant_.auth("planner"))
    assert r.status_code == 413 and r.json["code"] == "payload_too_large"
    assert row_counts() == before


def test_body_that_is_not_json_is_refused(client, plant_):
    for data, ctype in [("{not json", "application/json"), ("lines=1", "text/plain"),
                        (b"\xff\xfe\x00junk", "application/json")]:
        r = client.post("/api/v1/runs", data=data, content_type=ctype,
                        headers=plant_.auth("planner"))
        assert r.status_code == 400 and r.json["code"] == "invalid_json"


def test_float_quantities_are_refused_and_decimal_text_is_taken(client, plant_):
    r = client.post("/api/v1/runs", json=run_with(item="ROD", unit="kg", quantity=0.1),
                    headers=plant_.auth("planner"))
    assert r.status_code == 422 and r.json["code"] == "float_amount"
    r = client.post("/api/v1/runs", json=run_with(item="ROD", unit="kg", quantity="0.1"),
                    headers=plant_.auth("planner"))
    assert r.status_code == 201 and r.json["batches"][0]["quantity"] == "0.1"


def test_unknown_route_is_a_json_404(client, plant_):
    r = client.get("/api/v1/nothing-here", headers=plant_.auth("viewer"))
    assert r.status_code == 404 and r.json["code"] == "not_found"


def test_runs_and_batches_cannot_be_deleted(client, plant_, row_counts):
    run = client.post("/api/v1/runs", json=run_with(), headers=plant_.auth("admin")).json
    code = run["batches"][0]["code"]
    before = row_counts()
    for url in (f"/api/v1/runs/{run['number']}", f"/api/v1/batches/{code}"):
        r = client.delete(url, headers=plant_.auth("admin"))
        assert r.status_code == 409 and r.json["code"] == "chain_record"  # archive instead
    assert row_counts() == before
