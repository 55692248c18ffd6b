"""The inventory API on each backend: locations, lots, ledger, issue; bad input writes nothing."""

import pytest

LOTS = "/api/v1/lots"


@pytest.fixture
def store(client, plant_):
    """Warehouse MAIN with RAW and LINE, a run of ROD, and a 5 kg lot of ROD in RAW A-01."""
    planner = plant_.auth("planner")
    assert client.post("/api/v1/warehouses", json={"code": "MAIN", "name": "Main"},
                       headers=planner).status_code == 201
    for code in ("RAW", "LINE"):
        r = client.post("/api/v1/locations", json={"warehouse": "MAIN", "code": code,
                                                   "name": code.title()}, headers=planner)
        assert r.status_code == 201, r.json
    run = client.post("/api/v1/runs", json={"lines": [{"item": "ROD", "quantity": 2,
                                                       "unit": "kg", "batches": 1}]},
                      headers=planner).json
    lot = client.post(LOTS, json={"item": "ROD", "quantity": "5", "unit": "kg",
                                  "location": "RAW", "bin": "A-01", "unit_cost": "3.20",
                                  "supplier_batch": "HB-77", "expiry": "2099-12-31"},
                      headers=planner)
    assert lot.status_code == 201, lot.json
    return {"run": run["number"], "batch": run["batches"][0]["code"],
            "lot": lot.json["number"], "auth": planner}


def test_a_received_lot_shows_on_hand_place_and_its_ledger(client, store):
    lot = client.get(f"{LOTS}/{store['lot']}", headers=store["auth"]).json
    assert (lot["on_hand"], lot["unit"], lot["status"]) == ("5", "kg", "available")
    assert (lot["location"], lot["warehouse"], lot["bin"]) == ("RAW", "MAIN", "A-01")
    assert [m["kind"] for m in lot["ledger"]] == ["receive"]


def test_locations_and_warehouses_are_listed(client, store):
    assert [w["code"] for w in client.get("/api/v1/warehouses", headers=store["auth"]).json] \
        == ["MAIN"]
    assert [loc["code"] for loc in client.get("/api/v1/locations?warehouse=MAIN",
                                              headers=store["auth"]).json] == ["LINE", "RAW"]


def test_issuing_part_then_the_rest_consumes_the_lot(client, store):
    url = f"{LOTS}/{store['lot']}/issue"
    r = client.post(url, json={"target": {"kind": "run", "code": store["run"]},
                               "quantity": "1500", "unit": "g"}, headers=store["auth"])
    assert r.status_code == 200, r.json
    assert r.json["on_hand"] == "3.5"
    r = client.post(url, json={"target": {"kind": "batch", "code": store["batch"]}},
                    headers=store["auth"])
    assert (r.json["on_hand"], r.json["status"]) == ("0", "consumed")
    assert [(m["kind"], m["quantity"], m["record"]) for m in r.json["ledger"][1:]] == [
        ("issue", "-1.5", f"run:{store['run']}"), ("issue", "-3.5", f"batch:{store['batch']}")]


def test_lots_are_filtered_by_item_status_and_location(client, store):
    auth = store["auth"]
    assert [lot["number"] for lot in client.get(f"{LOTS}?item=ROD", headers=auth).json] == \
        [store["lot"]]
    assert client.get(f"{LOTS}?item=FRAME", headers=auth).json == []
    assert client.get(f"{LOTS}?status=quarantined", headers=auth).json == []
    assert len(client.get(f"{LOTS}?location=RAW&status=available", headers=auth).json) == 1
    assert client.get(f"{LOTS}?status=lost", headers=auth).status_code == 400


def test_a_lot_is_moved_adjusted_quarantined_and_released(client, store):
    url, auth = f"{LOTS}/{store['lot']}", store["auth"]
    assert client.post(f"{url}/move", json={"location": "LINE", "bin": "B-02"},
                       headers=auth).json["bin"] == "B-02"
    assert client.post(f"{url}/adjust", json={"quantity": "-0.25", "reason": "count"},
                       headers=auth).json["on_hand"] == "4.75"
    assert client.post(f"{url}/status", json={"status": "quarantined", "reason": "check"},
                       headers=auth).json["status"] == "quarantined"
    assert client.post(f"{url}/status", json={"status": "available"},
                       headers=auth).json["status"] == "available"
    r = client.post(f"{url}/scrap", json={"quantity": "0.75", "reason": "rust"}, headers=auth)
    assert r.json["on_hand"] == "4"


def test_a_suppliers_lot_number_with_a_slash_is_reachable(client, store):
    r = client.post(LOTS, json={"item": "ROD", "quantity": 2, "unit": "kg", "location": "RAW",
                                "lot_number": "ACME/24-117"}, headers=store["auth"])
    assert r.status_code == 201, r.json
    assert client.get(f"{LOTS}/ACME/24-117", headers=store["auth"]).json["on_hand"] == "2"
    r = client.post(f"{LOTS}/ACME/24-117/issue",
                    json={"target": {"kind": "run", "code": store["run"]}, "quantity": 1},
                    headers=store["auth"])
    assert r.json["on_hand"] == "1"
    label = client.get(f"{LOTS}/ACME/24-117/label.zpl", headers=store["auth"])
    assert label.status_code == 200 and b"ACME/24-117" in label.data


@pytest.mark.parametrize("fmt", ["png", "pdf", "zpl"])
def test_a_lot_label_is_printable(client, store, fmt):
    r = client.get(f"{LOTS}/{store['lot']}/label.{fmt}", headers=store["auth"])
    assert r.status_code == 200 and r.data


def issue(target=None, **extra):
    return {"target": target or {"kind": "run", "code": "RUN"}, **extra}


BAD = [
    ("more than on hand", "issue", issue(quantity="5.5"), 409, "insufficient_stock"),
    ("zero quantity", "issue", issue(quantity=0), 400, "invalid_quantity"),
    ("negative quantity", "issue", issue(quantity="-1"), 400, "invalid_quantity"),
    ("quantity that does not convert", "issue", issue(quantity=2, unit="pcs"), 400,
     "invalid_quantity"),
    ("rounding conversion", "issue", issue(quantity=1, unit="oz"), 400, "invalid_quantity"),
    ("unknown unit", "issue", issue(quantity=1, unit="parsec"), 400, "invalid_quantity"),
    ("float quantity", "issue", issue(quantity=1.5), 422, "float_amount"),
    ("unknown run", "issue", issue({"kind": "run", "code": "PR-1999-00001"}), 404,
     "unknown_target"),
    ("unknown target kind", "issue", issue({"kind": "job", "code": "J-1"}), 400,
     "invalid_input"),
    ("adjust without a reason", "adjust", {"quantity": "-1", "reason": ""}, 400,
     "reason_required"),
    ("adjust below zero", "adjust", {"quantity": "-6", "reason": "count"}, 409,
     "insufficient_stock"),
    ("adjust by zero", "adjust", {"quantity": "0", "reason": "count"}, 400,
     "invalid_quantity"),
    ("move to an unknown location", "move", {"location": "NOPE"}, 404, "unknown_location"),
    ("move to where it is", "move", {"location": "RAW", "bin": "A-01"}, 400, "same_place"),
    ("archive a lot with stock", "status", {"status": "archived"}, 409, "lot_not_empty"),
    ("set a derived status", "status", {"status": "consumed"}, 400, "invalid_input"),
    ("scrap more than on hand", "scrap", {"quantity": 9, "reason": "x"}, 409,
     "insufficient_stock"),
]


def test_a_bad_lot_change_is_refused_and_writes_nothing(client, store, row_counts):
    # Every case is refused and writes nothing, so they share one store.
    before = row_counts()
    for name, action, body, status, code in BAD:
        if action == "issue" and body["target"].get("code") == "RUN":
            body = {**body, "target": {"kind": "run", "code": store["run"]}}
        r = client.post(f"{LOTS}/{store['lot']}/{action}", json=body, headers=store["auth"])
        assert (r.status_code, r.json["code"]) == (status, code), (name, r.json)
        assert r.json["message"], name
        assert row_counts() == before, name


def refuse(client, store, row_counts, url, body, status, code, role="planner"):
    before = row_counts()
    r = client.post(url, json=body, headers={"Authorization": store["auth"]["Authorization"]}
                    if role == "planner" else role)
    assert (r.status_code, r.json["code"]) == (status, code), r.json
    assert row_counts() == before


@pytest.mark.parametrize(("prepare", "code"), [
    ({"status": "quarantined"}, "lot_quarantined"),
    ("consume", "lot_consumed"),
])
def test_issuing_a_quarantined_or_consumed_lot_is_refused(client, store, row_counts, prepare,
                                                          code):
    url = f"{LOTS}/{store['lot']}"
    if prepare == "consume":
        client.post(f"{url}/issue", json=issue({"kind": "run", "code": store["run"]}),
                    headers=store["auth"])
    else:
        client.post(f"{url}/status", json=prepare, headers=store["auth"])
    refuse(client, store, row_counts, f"{url}/issue",
           issue({"kind": "run", "code": store["run"]}), 409, code)
    if prepare == "consume":  # asked for a quantity, a used-up lot has too little
        refuse(client, store, row_counts, f"{url}/issue",
               issue({"kind": "run", "code": store["run"]}, quantity=1), 409,
               "insufficient_stock")


def test_issuing_an_expired_lot_is_refused(client, store, row_counts):
    r = client.post(LOTS, json={"item": "ROD", "quantity": 2, "unit": "kg", "location": "RAW",
                                "expiry": "2020-01-01"}, headers=store["auth"])
    refuse(client, store, row_counts, f"{LOTS}/{r.json['number']}/issue",
           issue({"kind": "run", "code": store["run"]}), 409, "lot_expired")


def test_an_unknown_lot_is_refused(client, store, row_counts):
    refuse(client, store, row_counts, f"{LOTS}/L-1999-000001/issue",
           issue({"kind": "run", "code": store["run"]}), 404, "unknown_lot")
    assert client.get(f"{LOTS}/L-1999-000001", headers=store["auth"]).json["code"] == \
        "unknown_lot"


RECEIVE = {"item": "ROD", "quantity": 2, "unit": "kg", "location": "RAW"}
BAD_RECEIPTS = [
    ("reused lot number", {"lot_number": "DUP-1"}, 409, "lot_exists"),
    ("unknown item", {"item": "NOPE"}, 404, "unknown_item"),
    ("unknown location", {"location": "NOPE"}, 404, "unknown_location"),
    ("zero quantity", {"quantity": 0}, 400, "invalid_quantity"),
    ("negative quantity", {"quantity": "-2"}, 400, "invalid_quantity"),
    ("non-converting unit", {"unit": "pcs"}, 400, "invalid_quantity"),
    ("lot number with a space", {"lot_number": "A B"}, 400, "invalid_lot_number"),
    ("negative cost", {"unit_cost": "-1"}, 400, "invalid_quantity"),
]


@pytest.mark.parametrize(("name", "change", "status", "code"), BAD_RECEIPTS,
                         ids=[c[0] for c in BAD_RECEIPTS])
def test_a_bad_receipt_is_refused_and_writes_nothing(client, store, row_counts, name, change,
                                                     status, code):
    client.post(LOTS, json={**RECEIVE, "lot_number": "DUP-1"}, headers=store["auth"])
    refuse(client, store, row_counts, LOTS, {**RECEIVE, **change}, status, code)


def test_a_viewer_cannot_issue_and_nothing_is_written(client, store, plant_, row_counts):
    refuse(client, store, row_counts, f"{LOTS}/{store['lot']}/issue",
           issue({"kind": "run", "code": store["run"]}), 403, "forbidden",
           role=plant_.auth("viewer"))


def test_the_inventory_routes_are_in_the_openapi_document(client, store):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/lots", "/api/v1/locations", "/api/v1/warehouses"} <= set(paths)
    assert any(p.endswith("/issue") and "lots" in p for p in paths)
