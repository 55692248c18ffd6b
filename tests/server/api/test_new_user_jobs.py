"""Issue 12's "done when" over REST on each backend: two lots issued into a job, received in
two partial receipts with rejection, scrap and waste in grams and carats, until nothing is
pending; the scrap lot is in stock under the scrap SKU; trace back names both issued lots."""

from __future__ import annotations

from fractions import Fraction


def call(client, plant_, method, path, body=None, role="planner", status=(200, 201)):
    r = client.open(f"/api/v1{path}", method=method, json=body, headers=plant_.auth(role))
    assert r.status_code in status, (path, r.status_code, r.json)
    return r.json


def jewellery(client, plant_):
    """Stores, gold (g) with its scrap SKU, two gold lots of two suppliers' batches, FAB."""
    call(client, plant_, "POST", "/warehouses", {"code": "MAIN", "name": "Main store"})
    call(client, plant_, "POST", "/locations", {"warehouse": "MAIN", "code": "STORES",
                                                "name": "Stores"})
    for sku, kind in (("GOLD", "raw_material"), ("GOLD-SCRAP", "scrap"), ("RING", "finished")):
        call(client, plant_, "POST", "/items", {"sku": sku, "name": sku.title(), "kind": kind,
                                                "unit": "g"})
    call(client, plant_, "PUT", "/items/RING/scrap-item", {"scrap_sku": "GOLD-SCRAP"})
    lots = [call(client, plant_, "POST", "/lots", {
        "item": "GOLD", "quantity": q, "unit": "g", "location": "STORES",
        "supplier_batch": batch})["number"] for q, batch in (("30", "H-1"), ("20", "H-2"))]
    call(client, plant_, "POST", "/stages", {"code": "FAB", "name": "Fabrication",
                                             "stations": ["cut-1"]})
    return lots


def test_a_new_user_issues_two_lots_and_receives_until_nothing_is_pending(client, plant_):
    gold1, gold2 = jewellery(client, plant_)
    assert {s["lot"] for s in call(client, plant_, "GET", "/jobs/sources?items=GOLD")} == \
        {gold1, gold2}
    job = call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [{"lot": gold1, "pieces": 6}, {"lot": gold2, "pieces": 4}],
        "pieces": 10, "weight": "50", "unit": "g", "policy": "split_evenly",
        "deadline": "2099-12-31", "assignee": "operator"})
    number = job["number"]
    assert job["status"] == "open"
    assert job["balance"]["weight"]["issued"] == "50" and job["balance"]["pieces"]["issued"] == "10"
    assert [(i["item"], i["pieces"], i["weight"]) for i in job["items"]] == [("GOLD", 10, "50")]

    first = call(client, plant_, "POST", f"/jobs/{number}/receipts", {
        "location": "STORES", "bin": "A-01", "quality": "pass", "rows": [{
            "output_type": "finished", "item": "RING", "pieces": 5, "weight": "20", "unit": "g",
            "waste_weight": "5", "waste_unit": "ct",
            "rejection": {"pieces": 1, "weight": "20", "unit": "ct"}}]}, role="operator")
    after1 = first["job"]
    assert after1["status"] == "in_progress"
    assert after1["balance"]["weight"]["pending"] == "25"  # 50 - 20 - 4 (20 ct) - 1 (5 ct)
    assert after1["balance"]["pieces"]["pending"] == "4"

    second = call(client, plant_, "POST", f"/jobs/{number}/receipts", {
        "location": "STORES", "rows": [{
            "output_type": "finished", "item": "RING", "pieces": 4, "weight": "21", "unit": "g",
            "waste_weight": "1", "waste_unit": "g",
            "scrap": {"weight": "15", "unit": "ct"}}]}, role="operator")
    done = second["job"]
    assert done["status"] == "completed"
    assert done["balance"]["weight"] == {"unit": "g", "issued": "50", "received": "41",
                                         "rejected": "4", "scrapped": "3", "waste": "2",
                                         "pending": "0"}
    assert done["balance"]["pieces"]["pending"] == "0"
    assert done["progress"]["yield"] == "0.8200"

    scrap_lot = next(r["lot"] for r in second["receipt"]["rows"] if r["bucket"] == "scrapped")
    lot = call(client, plant_, "GET", f"/lots/{scrap_lot}", role="viewer")
    assert lot["item"] == "GOLD-SCRAP"
    rejected = next(r["lot"] for r in first["receipt"]["rows"] if r["bucket"] == "rejected")
    assert call(client, plant_, "GET", f"/lots/{rejected}", role="viewer")["status"] == \
        "quarantined"

    ring = next(r["lot"] for r in first["receipt"]["rows"] if r["bucket"] == "received")
    back = call(client, plant_, "GET", f"/trace/{ring}?direction=back", role="viewer")
    shares = {n["code"]: n["share"] for n in back["nodes"]}
    assert {gold1, gold2} <= set(shares)
    assert (Fraction(shares[gold1]), Fraction(shares[gold2])) == (Fraction(3, 5),
                                                                  Fraction(2, 5))
