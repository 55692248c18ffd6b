"""Batches over REST: detail, split, merge, hold and release, with genealogy."""


def new_run(client, plant_, **line):
    spec = {"item": "ROD", "quantity": 10, "unit": "kg", "batches": 3, **line}
    return client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json


def test_split_makes_children_that_sum_to_the_parent(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    r = client.post(f"/api/v1/batches/{code}/split", json={"quantities": ["4", "6"],
                    "reason": "two ovens"}, headers=plant_.auth("operator"))
    assert r.status_code == 201, r.json
    assert r.json["parent"]["state"] == "split"
    kids = r.json["children"]
    assert [k["quantity"] for k in kids] == ["4", "6"]
    assert all(k["state"] == "waiting" and k["step"] == "CUT" for k in kids)
    detail = client.get(f"/api/v1/batches/{kids[0]['code']}", headers=plant_.auth("viewer")).json
    assert detail["parents"] == [{"code": code, "relation": "split", "quantity": "4",
                                  "unit": "kg"}]
    parent = client.get(f"/api/v1/batches/{code}", headers=plant_.auth("viewer")).json
    assert {c["code"] for c in parent["children"]} == {k["code"] for k in kids}
    assert parent["audit"][-1]["action"] == "batch.split"
    assert parent["audit"][-1]["reason"] == "two ovens"


def test_split_that_does_not_add_up_changes_nothing(client, plant_, row_counts):
    code = new_run(client, plant_)["batches"][0]["code"]
    before = row_counts()
    r = client.post(f"/api/v1/batches/{code}/split", json={"quantities": ["4", "5"]},
                    headers=plant_.auth("operator"))
    assert r.status_code == 400 and r.json["code"] == "invalid_genealogy"
    assert row_counts() == before


def test_run_progress_counts_children_not_the_split_parent(client, plant_):
    run = new_run(client, plant_)
    code = run["batches"][0]["code"]
    client.post(f"/api/v1/batches/{code}/split", json={"parts": 2}, headers=plant_.auth("operator"))
    again = client.get(f"/api/v1/runs/{run['number']}", headers=plant_.auth("viewer")).json
    assert again["progress"]["batches"] == 4 and len(again["batches"]) == 5


def test_merge_sums_batches_of_one_item(client, plant_):
    codes = [b["code"] for b in new_run(client, plant_)["batches"]]
    r = client.post("/api/v1/batches/merge", json={"batches": codes[:2]},
                    headers=plant_.auth("operator"))
    assert r.status_code == 201, r.json
    assert r.json["batch"]["quantity"] == "20"
    assert {b["state"] for b in r.json["inputs"]} == {"merged"}
    detail = client.get(f"/api/v1/batches/{r.json['batch']['code']}",
                        headers=plant_.auth("viewer")).json
    assert sorted(p["code"] for p in detail["parents"]) == sorted(codes[:2])


def test_merge_of_different_items_is_refused(client, plant_, row_counts):
    a = new_run(client, plant_)["batches"][0]["code"]
    b = new_run(client, plant_, item="FRAME", unit="pcs")["batches"][0]["code"]
    before = row_counts()
    r = client.post("/api/v1/batches/merge", json={"batches": [a, b]},
                    headers=plant_.auth("operator"))
    assert r.status_code == 400 and r.json["code"] == "invalid_genealogy"
    assert row_counts() == before


def test_merging_a_batch_with_itself_is_refused(client, plant_):
    a = new_run(client, plant_)["batches"][0]["code"]
    r = client.post("/api/v1/batches/merge", json={"batches": [a, a]},
                    headers=plant_.auth("operator"))
    assert r.status_code == 400


def test_hold_needs_a_reason_and_release_needs_a_supervisor(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    assert client.post(f"/api/v1/batches/{code}/hold", json={"reason": ""},
                       headers=plant_.auth("operator")).status_code == 400
    r = client.post(f"/api/v1/batches/{code}/hold", json={"reason": "burr on edge"},
                    headers=plant_.auth("operator"))
    assert r.status_code == 200 and r.json["state"] == "on_hold"
    assert r.json["hold_reason"] == "burr on edge"
    assert client.post(f"/api/v1/batches/{code}/release", json={},
                       headers=plant_.auth("operator")).status_code == 403
    r = client.post(f"/api/v1/batches/{code}/release", json={},
                    headers=plant_.auth("supervisor"))
    assert r.status_code == 200 and r.json["state"] == "waiting"


def test_holding_a_held_batch_is_a_conflict(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    h = plant_.auth("operator")
    client.post(f"/api/v1/batches/{code}/hold", json={"reason": "x"}, headers=h)
    r = client.post(f"/api/v1/batches/{code}/hold", json={"reason": "x"}, headers=h)
    assert r.status_code == 409 and r.json["code"] == "invalid_transition"


def test_children_of_a_held_batch_stay_held(client, plant_):
    code = new_run(client, plant_)["batches"][0]["code"]
    client.post(f"/api/v1/batches/{code}/hold", json={"reason": "porosity"},
                headers=plant_.auth("operator"))
    kids = client.post(f"/api/v1/batches/{code}/split", json={"parts": 2},
                       headers=plant_.auth("operator")).json["children"]
    assert [(k["state"], k["hold_reason"]) for k in kids] == [("on_hold", "porosity")] * 2
    r = client.post(f"/api/v1/batches/{kids[0]['code']}/release", json={},
                    headers=plant_.auth("supervisor"))
    assert r.json["state"] == "waiting"


def test_batches_of_different_runs_are_not_merged(client, plant_, row_counts):
    a = new_run(client, plant_)["batches"][0]["code"]
    b = new_run(client, plant_)["batches"][0]["code"]
    before = row_counts()
    r = client.post("/api/v1/batches/merge", json={"batches": [a, b]},
                    headers=plant_.auth("operator"))
    assert r.status_code == 400 and "same run" in r.json["message"]
    assert row_counts() == before
