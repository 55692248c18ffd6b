"""POST /jobs/<n>/receipts/check answers the balance a receipt would leave, writing nothing,
and refuses what the receipt itself would refuse, with the same error."""

import pytest

from tests.support.job_floor import call, jewellery

ROW = {"output_type": "finished", "item": "RING", "pieces": 5, "weight": "20", "unit": "g",
       "waste_weight": "5", "waste_unit": "ct",
       "rejection": {"pieces": 1, "weight": "20", "unit": "ct"}}


@pytest.fixture
def job(client, plant_):
    gold1, gold2 = jewellery(client, plant_)
    return call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [{"lot": gold1, "pieces": 6}, {"lot": gold2, "pieces": 4}]}
    )["number"]


def post(client, plant_, path, body, role="operator"):
    return client.post(f"/api/v1{path}", json=body, headers=plant_.auth(role))


def test_a_checked_receipt_answers_what_would_be_pending_and_writes_nothing(
        client, plant_, job, row_counts):
    before = row_counts()
    r = post(client, plant_, f"/jobs/{job}/receipts/check",
             {"location": "STORES", "rows": [ROW]})
    assert r.status_code == 200, r.json
    assert r.json["balance"]["weight"]["pending"] == "25"  # 50 - 20 - 4 (20 ct) - 1 (5 ct)
    assert r.json["balance"]["pieces"]["pending"] == "4"
    assert r.json["status"] == "in_progress"
    assert {x["bucket"] for x in r.json["rows"]} == {"received", "rejected", "waste"}
    assert row_counts() == before


def test_a_checked_receipt_over_pending_names_the_bucket_and_the_amount_over(
        client, plant_, job, row_counts):
    before = row_counts()
    r = post(client, plant_, f"/jobs/{job}/receipts/check", {"location": "STORES", "rows": [
        {**ROW, "weight": "60", "rejection": None, "waste_weight": None}]})
    assert r.status_code == 422 and r.json["code"] == "balance"
    assert (r.json["detail"]["bucket"], r.json["detail"]["over"]) == ("received", "10")
    assert row_counts() == before


def test_a_checked_receipt_into_an_unknown_location_names_the_location(client, plant_, job):
    r = post(client, plant_, f"/jobs/{job}/receipts/check", {"location": "NOPE", "rows": [ROW]})
    assert r.status_code in (404, 422) and r.json["detail"]["field"] == "location"


def test_a_saved_receipt_after_a_check_is_received_once(client, plant_, job):
    body = {"location": "STORES", "rows": [ROW]}
    assert post(client, plant_, f"/jobs/{job}/receipts/check", body).status_code == 200
    saved = call(client, plant_, "POST", f"/jobs/{job}/receipts", body, role="operator")
    assert saved["receipt"]["seq"] == 1
    assert saved["job"]["balance"]["weight"]["pending"] == "25"


def test_a_viewer_cannot_check_a_receipt(client, plant_, job):
    r = post(client, plant_, f"/jobs/{job}/receipts/check", {"location": "STORES",
                                                            "rows": [ROW]}, role="viewer")
    assert r.status_code == 403
