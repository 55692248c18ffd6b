"""Every bad job request of issue 12 gets a 4xx naming the field, and writes nothing.

"Nothing" is counted: the rows of every table (ledger, lots, graph edges, jobs, receipts,
audit) are the same after the refusal as before, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.server.api.test_new_user_jobs import call, jewellery

RING = {"output_type": "finished", "item": "RING", "pieces": 1, "weight": "1", "unit": "g"}


@pytest.fixture
def job(client, plant_):
    """A job of 10 pieces and 50 g issued from two gold lots (30 g and 20 g) at FAB."""
    gold1, gold2 = jewellery(client, plant_)
    made = call(client, plant_, "POST", "/jobs", {
        "stage": "FAB", "issues": [{"lot": gold1, "pieces": 6}, {"lot": gold2, "pieces": 4}],
        "pieces": 10, "weight": "50", "unit": "g"})
    return {"number": made["number"], "lots": (gold1, gold2)}


def fields_of(answer: dict) -> set[str]:
    """Every field an error answer names: its own, and each validation error's."""
    detail = answer.get("detail") or {}
    named = {str(detail["field"])} if "field" in detail else set()
    return named | {str(e.get("field", "")) for e in detail.get("errors", [])}


def refused(client, plant_, row_counts, path, body, field, *, code=None, role="planner"):
    """Send body; assert a 4xx naming field (a prefix of a named field) that wrote nothing."""
    before = row_counts()
    r = client.post(f"/api/v1{path}", json=body, headers=plant_.auth(role))
    assert 400 <= r.status_code < 500, (r.status_code, r.json)
    assert any(f == field or f.startswith(f"{field}.") or f.startswith(f"{field}[")
               for f in fields_of(r.json)), (field, r.json)
    if code is not None:
        assert r.json["code"] == code, r.json
    assert row_counts() == before
    return r.json


def receipt(*rows, location="STORES"):
    return {"location": location, "rows": list(rows)}


# --- issuing --------------------------------------------------------------------------------

def issue_body(lot, **line):
    return {"stage": "FAB", "issues": [{"lot": lot, **line}]}


BAD_ISSUE_LINES = list(zip([
    "over the lot", "negative", "zero", "absurd quantity", "absurd weight",
    "pieces unit for weight", "furlong", "fractional pieces", "pieces as text",
    "negative pieces"], [
    ({"quantity": "30.001"}, "issues[0].quantity"),   # the lot holds 30 g
    ({"quantity": "-1"}, "issues.0.quantity"),
    ({"quantity": "0"}, "issues.0.quantity"),
    ({"quantity": "1e12", "weight": "1", "weight_unit": "kg"}, "issues.0.quantity"),
    ({"weight": "1e12", "weight_unit": "kg"}, "issues.0.weight"),
    ({"weight": "5", "weight_unit": "pcs"}, "issues[0].weight"),
    ({"weight": "5", "weight_unit": "furlong"}, "issues[0].weight_unit"),
    ({"pieces": 2.5}, "issues.0.pieces"),
    ({"pieces": "3"}, "issues.0.pieces"),
    ({"pieces": -1}, "issues.0.pieces"),
], strict=True))


def test_a_bad_issue_line_is_refused_naming_it(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    for name, (line, field) in BAD_ISSUE_LINES:  # each refused, nothing written: one plant
        try:
            refused(client, plant_, row_counts, "/jobs", issue_body(gold1, **line), field)
        except AssertionError as err:
            raise AssertionError(f"{name}: {err}") from err


def test_issuing_more_than_a_lot_holds_names_the_lot_and_what_it_holds(
        client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    answer = refused(client, plant_, row_counts, "/jobs", issue_body(gold1, quantity="31"),
                     "issues[0].quantity")
    assert "30 g" in answer["message"]


def test_the_same_lot_twice_is_refused_naming_the_second(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    body = {"stage": "FAB", "issues": [{"lot": gold1, "quantity": "20"},
                                       {"lot": gold1, "quantity": "20"}]}
    refused(client, plant_, row_counts, "/jobs", body, "issues[1].lot", code="duplicate_lot")


def test_an_unknown_stage_and_an_unknown_lot_are_named(client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    refused(client, plant_, row_counts, "/jobs", {**issue_body(gold1), "stage": "NOPE"},
            "stage", code="unknown_stage")
    refused(client, plant_, row_counts, "/jobs", issue_body("L-2026-999999"), "issues[0].lot")


# --- receiving ------------------------------------------------------------------------------

OVER_PENDING = list(zip([
    "received weight", "received pieces", "rejected weight in ct", "rejected pieces",
    "scrap weight in kg", "waste in mg"], [
    ({**RING, "weight": "50.5"}, "received", "g", "0.5", "rows[0].weight"),
    ({**RING, "pieces": 11}, "received", "pcs", "1", "rows[0].pieces"),
    ({**RING, "rejection": {"weight": "246", "unit": "ct"}}, "rejected", "g", "0.2",
     "rows[0].rejection.weight"),  # 246 ct = 49.2 g, with 1 g received: 0.2 g over
    ({**RING, "rejection": {"pieces": 10, "weight": "1", "unit": "g"}}, "rejected", "pcs", "1",
     "rows[0].rejection.pieces"),
    ({**RING, "scrap": {"weight": "0.05", "unit": "kg"}}, "scrapped", "g", "1",
     "rows[0].scrap.weight"),
    ({**RING, "waste_weight": "49001", "waste_unit": "mg"}, "waste", "g", "0.001",
     "rows[0].waste_weight"),
], strict=True))


def test_a_receipt_over_pending_names_the_bucket_and_the_amount_over(
        client, plant_, row_counts, job):
    for name, (row, bucket, unit, over, field) in OVER_PENDING:
        answer = refused(client, plant_, row_counts, f"/jobs/{job['number']}/receipts",
                         receipt(row), field, code="balance", role="operator")
        assert answer["detail"]["bucket"] == bucket, name
        assert (answer["detail"]["over"], answer["detail"]["unit"]) == (over, unit), name


@pytest.mark.parametrize(("row", "field"), [
    ({**RING, "weight": "-1"}, "rows.0.weight"),
    ({**RING, "weight": "0", "pieces": 0}, "rows[0].weight"),
    ({**RING, "weight": "1e12", "unit": "kg"}, "rows.0.weight"),
    ({**RING, "unit": "pcs"}, "rows[0].weight"),
    ({**RING, "unit": "furlong"}, "rows[0].unit"),
    ({**RING, "pieces": 1.5}, "rows.0.pieces"),
    ({**RING, "waste_weight": "-2", "waste_unit": "g"}, "rows.0.waste_weight"),
    ({**RING, "waste_weight": "2", "waste_unit": "pcs"}, "rows[0].waste_weight"),
    ({**RING, "waste_weight": "2", "waste_unit": "furlong"}, "rows[0].waste_unit"),
    ({**RING, "rejection": {"weight": "0", "unit": "g"}}, "rows[0].rejection.weight"),
    ({**RING, "rejection": {"weight": "1", "unit": "furlong"}}, "rows[0].rejection.unit"),
    ({**RING, "scrap": {"weight": "0", "unit": "g"}}, "rows[0].scrap.weight"),
    ({**RING, "scrap": {"pieces": 0.5, "weight": "1", "unit": "g"}}, "rows.0.scrap.pieces"),
    ({**RING, "item": "NOPE"}, "rows[0].item"),
], ids=["negative weight", "nothing received", "absurd weight", "pieces unit for weight",
        "furlong", "fractional pieces", "negative waste", "waste in pieces", "furlong waste",
        "zero rejection", "furlong rejection", "zero scrap", "fractional scrap pieces",
        "unknown item"])
def test_a_bad_receipt_row_is_refused_naming_the_field(client, plant_, row_counts, job, row,
                                                       field):
    refused(client, plant_, row_counts, f"/jobs/{job['number']}/receipts", receipt(row), field,
            role="operator")


def test_a_scrap_row_for_an_item_with_no_scrap_sku_says_how_to_set_one(
        client, plant_, row_counts, job):
    call(client, plant_, "POST", "/items", {"sku": "CHAIN", "name": "Chain",
                                            "kind": "finished", "unit": "g"})
    row = {**RING, "item": "CHAIN", "scrap": {"weight": "1", "unit": "g"}}
    answer = refused(client, plant_, row_counts, f"/jobs/{job['number']}/receipts",
                     receipt(row), "rows[0].scrap.item", code="no_scrap_item", role="operator")
    assert "Setup" in answer["message"] and "/items/CHAIN/scrap-item" in answer["message"]


def test_receiving_into_an_unknown_location_is_refused(client, plant_, row_counts, job):
    refused(client, plant_, row_counts, f"/jobs/{job['number']}/receipts",
            receipt(RING, location="NOWHERE"), "location", role="operator")


def test_an_unknown_job_number_is_a_404_naming_the_job(client, plant_, row_counts, job):
    before = row_counts()
    r = client.post("/api/v1/jobs/J-2026-99999/receipts", json=receipt(RING),
                    headers=plant_.auth("operator"))
    assert r.status_code == 404 and "J-2026-99999" in r.json["message"]
    assert row_counts() == before
    assert client.get("/api/v1/jobs/J-2026-99999",
                      headers=plant_.auth("viewer")).status_code == 404


def test_an_oversized_receipt_body_is_refused(client, plant_, row_counts, job):
    before = row_counts()
    big = '{"location": "STORES", "rows": [], "bin": "' + "x" * (1024 * 1024) + '"}'
    r = client.post(f"/api/v1/jobs/{job['number']}/receipts", data=big,
                    content_type="application/json", headers=plant_.auth("operator"))
    assert r.status_code == 413 and r.json["code"] == "payload_too_large"
    assert row_counts() == before


def test_a_float_weight_is_refused(client, plant_, row_counts, job):
    refused(client, plant_, row_counts, f"/jobs/{job['number']}/receipts",
            receipt({**RING, "weight": 1.5}), "rows.0.weight", role="operator")


def test_a_station_serving_another_stage_is_refused_naming_it(client, plant_, row_counts,
                                                              job):
    answer = refused(client, plant_, row_counts, "/stages",
                     {"code": "ASM", "name": "Assembly", "stations": ["weld-1", "cut-1"]},
                     "stations[1]", code="station_has_stage")
    assert answer["detail"]["stage"] == "FAB"


def test_a_job_issued_by_weight_alone_takes_rows_of_no_pieces_and_refuses_pieces(
        client, plant_, row_counts):
    gold1, _ = jewellery(client, plant_)
    number = call(client, plant_, "POST", "/jobs", issue_body(gold1, quantity="10"))["number"]
    grain = {"output_type": "materials", "item": "GOLD", "weight": "4", "unit": "g"}
    refused(client, plant_, row_counts, f"/jobs/{number}/receipts",
            receipt({**grain, "pieces": 2}), "rows[0].pieces", role="operator")
    done = call(client, plant_, "POST", f"/jobs/{number}/receipts",
                receipt({**grain, "weight": "9.5", "waste_weight": "0.5"}), role="operator")
    assert done["job"]["status"] == "completed"
    assert done["job"]["balance"]["weight"]["pending"] == "0"
