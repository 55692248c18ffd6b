"""Trace over REST: forward from a run and back from a merged batch, with exact shares."""

from decimal import Decimal
from itertools import pairwise

import pytest

from server.domain.errors import GenealogyCycle
from server.domain.genealogy import NodeKind, Relation
from server.domain.quantities import Quantity
from server.services import genealogy


@pytest.fixture
def floor(client, plant_):
    """A run of two 12 kg batches; the first split 2 + 4 + 6 and its 2 and 4 merged again."""
    spec = {"item": "ROD", "quantity": 12, "unit": "kg", "batches": 2}
    run = client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json
    first, second = (b["code"] for b in run["batches"])
    kids = client.post(f"/api/v1/batches/{first}/split", json={"quantities": ["2", "4", "6"]},
                       headers=plant_.auth("operator")).json["children"]
    a, b, c = (k["code"] for k in kids)
    merged = client.post("/api/v1/batches/merge", json={"batches": [a, b]},
                         headers=plant_.auth("operator")).json["batch"]["code"]
    return {"run": run["number"], "first": first, "second": second, "a": a, "b": b, "c": c,
            "merged": merged}


def get(client, plant_, code, direction):
    return client.get(f"/api/v1/trace/{code}?direction={direction}",
                      headers=plant_.auth("viewer"))


def by_code(body):
    return {n["code"]: (n["depth"], n["share"], n["amount"]) for n in body["nodes"]}


def test_forward_from_the_run_attributes_its_material_through_split_and_merge(client, plant_,
                                                                              floor):
    r = get(client, plant_, floor["run"], "forward")
    assert r.status_code == 200, r.json
    assert r.json["start"] == {"kind": "run", "code": floor["run"]}
    assert r.json["total"] == {"quantity": "24", "unit": "kg"}
    assert by_code(r.json) == {
        floor["run"]: (0, "1", "24"),
        floor["first"]: (1, "1/2", "12"), floor["second"]: (1, "1/2", "12"),
        floor["a"]: (2, "1/12", "2"), floor["b"]: (2, "1/6", "4"), floor["c"]: (2, "1/4", "6"),
        floor["merged"]: (3, "1/4", "6"),
    }
    relations = sorted((e["parent"], e["relation"], e["child"], e["quantity"])
                       for e in r.json["edges"])
    assert (floor["a"], "merge", floor["merged"], "2") in relations
    assert (floor["run"], "produce", floor["first"], "12") in relations
    assert len(relations) == 7 and all(e["unit"] == "kg" and e["record"] and e["at"]
                                       for e in r.json["edges"])


def test_back_from_the_merged_batch_finds_both_inputs_and_the_run(client, plant_, floor):
    r = get(client, plant_, floor["merged"], "back")
    assert r.status_code == 200, r.json
    assert r.json["total"] == {"quantity": "6", "unit": "kg"}
    assert by_code(r.json) == {
        floor["merged"]: (0, "1", "6"),
        floor["a"]: (1, "1/3", "2"), floor["b"]: (1, "2/3", "4"),
        floor["first"]: (2, "1", "6"), floor["run"]: (3, "1", "6"),
    }
    assert {n["share_decimal"] for n in r.json["nodes"]} == {"1", "0.333333", "0.666667"}


def test_an_unknown_code_is_404_and_a_bad_direction_400(client, plant_, floor):
    r = get(client, plant_, "NOPE-1", "back")
    assert r.status_code == 404 and r.json["code"] == "unknown_code"
    r = get(client, plant_, floor["run"], "sideways")
    assert r.status_code == 400


def test_a_code_two_kinds_share_is_refused_until_the_kind_is_named(app, client, plant_, floor):
    with app.extensions["floorline"].transaction() as s:
        genealogy.node(s, NodeKind.LOT, floor["c"])
    r = get(client, plant_, floor["c"], "back")
    assert r.status_code == 400 and r.json["code"] == "ambiguous_code"
    assert sorted(r.json["detail"]["kinds"]) == ["batch", "lot"]
    r = get(client, plant_, f"batch:{floor['c']}", "back")
    assert r.status_code == 200 and r.json["start"] == {"kind": "batch", "code": floor["c"]}
    assert get(client, plant_, f"lot:{floor['c']}", "back").json["nodes"][0]["kind"] == "lot"


def test_an_edge_back_up_the_genealogy_is_refused_and_writes_nothing(app, client, plant_, floor,
                                                                     row_counts):
    before = row_counts()
    rt = app.extensions["floorline"]
    with pytest.raises(GenealogyCycle), rt.transaction() as s:
        merged = genealogy.node(s, NodeKind.BATCH, floor["merged"])
        first = genealogy.node(s, NodeKind.BATCH, floor["first"])
        genealogy.link(s, merged, first, Relation.SPLIT, Quantity(Decimal(1), "kg"),
                       record="test")
    assert row_counts() == before


def test_a_chain_deeper_than_twenty_is_traced_to_its_end(app, client, plant_):
    with app.extensions["floorline"].transaction() as s:
        nodes = [genealogy.node(s, NodeKind.BATCH, f"CH-{i:02}") for i in range(31)]
        for parent, child in pairwise(nodes):
            genealogy.link(s, parent, child, Relation.SPLIT, Quantity(Decimal(3), "kg"),
                           record="test")
    forward = get(client, plant_, "CH-00", "forward").json
    assert len(forward["nodes"]) == 31
    assert forward["nodes"][-1] == {"kind": "batch", "code": "CH-30", "depth": 30, "share": "1",
                                    "share_decimal": "1", "amount": "3", "unit": "kg"}
    back = get(client, plant_, "CH-30", "back").json
    assert [n["code"] for n in back["nodes"]][-1] == "CH-00" and len(back["edges"]) == 30


def test_the_trace_route_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    op = doc["paths"]["/api/v1/trace/{code}"]["get"]
    assert any(p["name"] == "direction" for p in op["parameters"])


@pytest.fixture
def supplied(app, client, plant_):
    """Two supplier lots of ROD (one scanned), parts of each issued to a run of two batches."""
    from tests.support.receiving import SCAN, receiving_plant

    receiving_plant(app)
    body = {"supplier": "STEELCO", "invoice_number": "INV-1", "lines": [
        {"gs1": SCAN, "location": "RACK-A", "bin": "1"},  # 125.5 kg of supplier batch HEAT-4711
        {"item": "ROD", "quantity": "50", "unit": "kg", "location": "RACK-B",
         "supplier_lot": "HEAT-0815"}]}
    made = client.post("/api/v1/receipts", json=body, headers=plant_.auth("planner"))
    assert made.status_code == 201, made.json
    scanned, typed = (line["lot"] for line in made.json["lines"])
    spec = {"item": "ROD", "quantity": 12, "unit": "kg", "batches": 2}
    run = client.post("/api/v1/runs", json={"lines": [spec]}, headers=plant_.auth("planner")).json
    for lot, qty in ((scanned, "25.1"), (typed, "10")):
        r = client.post(f"/api/v1/lots/{lot}/issue", headers=plant_.auth("planner"),
                        json={"target": {"kind": "run", "code": run["number"]}, "quantity": qty})
        assert r.status_code == 200, r.json
    return {"scanned": scanned, "typed": typed, "run": run["number"],
            "batches": [b["code"] for b in run["batches"]]}


def test_forward_from_a_supplier_batch_number_gives_each_batch_its_share_of_the_lot(
        client, plant_, supplied):
    r = get(client, plant_, "HEAT-4711", "forward")
    assert r.status_code == 200, r.json
    assert r.json["start"] == {"kind": "lot", "code": supplied["scanned"]}
    assert r.json["total"] == {"quantity": "125.5", "unit": "kg"}  # the lot, not what left it
    first, second = supplied["batches"]
    assert by_code(r.json) == {supplied["scanned"]: (0, "1", "125.5"),
                               supplied["run"]: (1, "1/5", "25.1"),
                               first: (2, "1/10", "12.55"), second: (2, "1/10", "12.55")}
    [lot] = [n for n in r.json["nodes"] if n["kind"] == "lot"]
    assert (lot["supplier_batch"], lot["supplier"], lot["item"]) == ("HEAT-4711", "STEELCO",
                                                                     "ROD")


def test_back_from_a_batch_names_both_supplier_batches(client, plant_, supplied):
    r = get(client, plant_, supplied["batches"][0], "back")
    assert r.status_code == 200, r.json
    lots = {n["supplier_batch"]: n["share"] for n in r.json["nodes"] if n["kind"] == "lot"}
    # The run took 25.1 kg and 10 kg: each batch is that mix.
    assert lots == {"HEAT-4711": "251/351", "HEAT-0815": "100/351"}


def test_a_supplier_batch_on_two_lots_is_ambiguous_and_names_both(client, plant_, supplied):
    again = {"supplier": "STEELCO", "invoice_number": "INV-2", "lines": [
        {"item": "ROD", "quantity": "5", "unit": "kg", "location": "RACK-A",
         "supplier_lot": "HEAT-0815"}]}
    made = client.post("/api/v1/receipts", json=again, headers=plant_.auth("planner"))
    assert made.status_code == 201, made.json
    r = get(client, plant_, "HEAT-0815", "forward")
    assert r.status_code == 400 and r.json["code"] == "ambiguous_code"
    assert "2 lots" in r.json["message"]
    assert sorted(r.json["detail"]["choices"]) == sorted(
        [f"lot:{supplied['typed']}", f"lot:{made.json['lines'][0]['lot']}"])
