"""Issue 12's "done when" over REST on each backend: two lots issued into a job, received in
two partial receipts with rejection, scrap and waste in grams and carats, until nothing is
pending; the scrap lot is in stock under the scrap SKU; trace back names both issued lots."""

from __future__ import annotations

from fractions import Fraction

from tests.support.job_floor import call, jewellery


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
