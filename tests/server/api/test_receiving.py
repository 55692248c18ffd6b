"""REST for receiving: suppliers, receipts whose lines become lots, inspections, GS1 labels."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.receiving import ROD_GTIN, SCAN, receiving_plant


@pytest.fixture
def recv(app, plant_):
    receiving_plant(app)
    return plant_


def receipt(*lines, supplier="STEELCO", **extra):
    return {"supplier": supplier, "invoice_number": "INV-88", "lines": list(lines), **extra}


ROD_LINE = {"item": "ROD", "quantity": "12.5", "unit": "kg", "location": "RACK-A", "bin": "3"}
FRAME_LINE = {"item": "FRAME", "quantity": 40, "location": "RACK-B"}


def test_suppliers_are_created_listed_and_edited(client, recv):
    auth = recv.auth("planner")
    made = client.post("/api/v1/suppliers", json={"code": "ALU", "name": "Alu AG"}, headers=auth)
    assert made.status_code == 201
    assert made.json == {"code": "ALU", "name": "Alu AG", "contact": "", "active": True}
    patched = client.patch("/api/v1/suppliers/ALU", json={"contact": "+49 1", "active": False},
                           headers=auth)
    assert patched.json == {"code": "ALU", "name": "Alu AG", "contact": "+49 1", "active": False}
    listed = client.get("/api/v1/suppliers", headers=recv.auth("viewer")).json
    assert [s["code"] for s in listed] == ["ALU", "STEELCO"]
    active = client.get("/api/v1/suppliers?active=1", headers=recv.auth("viewer")).json
    assert [s["code"] for s in active] == ["STEELCO"]
    again = client.post("/api/v1/suppliers", json={"code": "ALU", "name": "x"}, headers=auth)
    assert again.status_code == 409 and again.json["code"] == "duplicate_supplier"


def test_a_receipt_makes_one_lot_per_line_and_a_scanned_label_fills_its_line(client, recv):
    res = client.post("/api/v1/receipts", json=receipt(
        {"gs1": SCAN, "location": "RACK-A", "bin": "1"}, FRAME_LINE,
        receipt_date="2026-12-01", notes="two pallets"), headers=recv.auth("planner"))
    assert res.status_code == 201, res.json
    body = res.json
    assert body["number"] == "RC-2026-00001"
    assert (body["supplier"], body["invoice_number"], body["receipt_date"], body["received_by"]) \
        == ("STEELCO", "INV-88", "2026-12-01", "planner")
    scanned, frames = body["lines"]
    assert (scanned["item"], scanned["gtin"], scanned["quantity"], scanned["unit"]) == \
        ("ROD", ROD_GTIN, "125.5", "kg")
    assert (scanned["supplier_lot"], scanned["expiry"], scanned["location"], scanned["bin"]) == \
        ("HEAT-4711", "2027-12-31", "RACK-A", "1")
    assert scanned["on_hand"] == {"quantity": "125.5", "unit": "kg"}
    assert (frames["item"], frames["quantity"], frames["unit"]) == ("FRAME", "40", "pcs")
    assert scanned["lot"] != frames["lot"] and {scanned["lot_status"], frames["lot_status"]} == \
        {"available"}
    detail = client.get(f"/api/v1/receipts/{body['number']}", headers=recv.auth("viewer")).json
    assert detail == body
    [listed] = client.get("/api/v1/receipts", headers=recv.auth("viewer")).json
    assert listed["lots"] == [scanned["lot"], frames["lot"]] and listed["inspection"] is None


def test_a_line_in_another_convertible_unit_keeps_what_was_received(client, recv):
    res = client.post("/api/v1/receipts", json=receipt(
        {**ROD_LINE, "quantity": "500", "unit": "g", "lot_number": "HEAT-1"}),
        headers=recv.auth("planner"))
    assert res.status_code == 201, res.json
    [line] = res.json["lines"]
    assert (line["lot"], line["quantity"], line["unit"]) == ("HEAT-1", "500", "g")
    assert line["on_hand"] == {"quantity": "0.5", "unit": "kg"}


def test_an_item_named_with_a_new_gtin_learns_it_for_the_next_scan(client, recv):
    auth = recv.auth("planner")
    res = client.post("/api/v1/receipts", json=receipt({**FRAME_LINE, "gtin": "4006381333931"}),
                      headers=auth)
    assert res.status_code == 201, res.json
    parsed = client.post("/api/v1/gs1/parse", json={"text": "(01)04006381333931(10)X"},
                         headers=auth).json
    assert parsed["item"] == {"sku": "FRAME", "name": "Frame", "unit": "pcs"}


def test_gs1_parse_gives_the_fields_and_the_item_of_the_gtin(client, recv):
    res = client.post("/api/v1/gs1/parse", json={"text": SCAN}, headers=recv.auth("viewer"))
    assert res.status_code == 200
    assert res.json == {
        "gtin": ROD_GTIN, "lot": "HEAT-4711", "serial": "C1", "expiry": "2027-12-31",
        "best_before": None, "production_date": None,
        "net_weight": {"quantity": "125.5", "unit": "kg"},
        "item": {"sku": "ROD", "name": "Rod", "unit": "kg"}}


@pytest.mark.parametrize(("text", "code"), [
    ("(01)09501101530004(10)A", "bad_check_digit"),
    ("(01)09501101530003(17)270230", "impossible_date"),
    ("(01)09501101530003(17)271300", "impossible_date"),
    ("hello", "invalid_gs1"),
])
def test_gs1_parse_names_what_is_wrong(client, recv, text, code):
    res = client.post("/api/v1/gs1/parse", json={"text": text}, headers=recv.auth("viewer"))
    assert res.status_code == 422 and res.json["code"] == code, res.json


BAD = [
    ("unknown supplier", receipt(ROD_LINE, supplier="NOPE"), 404, "unknown_supplier"),
    ("unknown item", receipt({**ROD_LINE, "item": "NOPE"}), 404, "unknown_item"),
    ("unknown location", receipt({**ROD_LINE, "location": "RACK-Z"}), 404, "unknown_location"),
    ("zero quantity", receipt({**ROD_LINE, "quantity": 0}), 400, "invalid_quantity"),
    ("negative quantity", receipt({**ROD_LINE, "quantity": "-2"}), 400, "invalid_quantity"),
    ("kg for a pcs item", receipt({**FRAME_LINE, "unit": "kg"}), 400, "invalid_quantity"),
    ("a weight label for a pcs item", receipt({**FRAME_LINE, "quantity": None,
                                              "gs1": "(3100)000005"}), 400, "invalid_quantity"),
    ("unknown unit", receipt({**ROD_LINE, "unit": "parsec"}), 400, "invalid_quantity"),
    ("no quantity at all", receipt({**ROD_LINE, "quantity": None}), 422, "missing_quantity"),
    ("no item and no gtin", receipt({"quantity": 1, "location": "RACK-A"}), 422, "missing_item"),
    ("unknown gtin", receipt({**ROD_LINE, "item": None, "gtin": "4006381333931"}), 404,
     "unknown_gtin"),
    ("gtin of another item", receipt({**FRAME_LINE, "gtin": ROD_GTIN}), 409, "gtin_mismatch"),
    ("bad gtin check digit", receipt({**ROD_LINE, "gtin": "09501101530004"}), 422,
     "bad_check_digit"),
    ("bad check digit in a scan", receipt({**ROD_LINE, "gs1": "(01)09501101530004"}), 422,
     "bad_check_digit"),
    ("impossible expiry in a scan", receipt({"gs1": "(01)09501101530003(17)260229(3100)000001",
                                            "location": "RACK-A"}), 422, "impossible_date"),
    ("lot number reused within a receipt", receipt(
        {**ROD_LINE, "lot_number": "HEAT-9"}, {**ROD_LINE, "lot_number": "HEAT-9"}), 409,
     "lot_exists"),
    ("a good line then a bad one", receipt(ROD_LINE, {**FRAME_LINE, "quantity": "1.5"}), 400,
     "invalid_quantity"),
    ("no lines", receipt(), 400, "invalid_input"),
    ("float quantity", receipt({**ROD_LINE, "quantity": 1.5}), 422, "float_amount"),
]


@pytest.mark.parametrize(("name", "body", "status", "code"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_receipt_is_refused_by_name_and_writes_nothing(client, recv, row_counts, name,
                                                             body, status, code):
    before = row_counts()
    res = client.post("/api/v1/receipts", json=body, headers=recv.auth("planner"))
    assert res.status_code == status, res.json
    assert res.json["code"] == code and res.json["message"]
    assert row_counts() == before


def test_a_lot_number_already_in_stock_is_refused_and_writes_nothing(client, recv, row_counts):
    auth = recv.auth("planner")
    first = client.post("/api/v1/receipts", json=receipt({**ROD_LINE, "lot_number": "H-1"}),
                        headers=auth)
    assert first.status_code == 201
    before = row_counts()
    res = client.post("/api/v1/receipts", json=receipt(FRAME_LINE, {**ROD_LINE,
                                                                    "lot_number": "H-1"}),
                      headers=auth)
    assert res.status_code == 409 and res.json["code"] == "lot_exists"
    assert res.json["detail"]["line"] == 2
    assert row_counts() == before


def test_receiving_needs_the_planner_role(client, recv, row_counts):
    before = row_counts()
    res = client.post("/api/v1/receipts", json=receipt(ROD_LINE), headers=recv.auth("operator"))
    assert res.status_code == 403 and row_counts() == before


def test_a_failed_inspection_quarantines_the_receipts_lots(client, recv):
    made = client.post("/api/v1/receipts", json=receipt(ROD_LINE, FRAME_LINE),
                       headers=recv.auth("planner")).json
    url = f"/api/v1/receipts/{made['number']}/inspection"
    res = client.post(url, json={"result": "fail", "defects": "rust on 3 bars"},
                      headers=recv.auth("planner"))
    assert res.status_code == 201, res.json
    assert [ln["lot_status"] for ln in res.json["lines"]] == ["quarantined", "quarantined"]
    [insp] = res.json["inspections"]
    assert (insp["inspector"], insp["result"], insp["defects"]) == \
        ("planner", "fail", "rust on 3 bars")
    assert res.json["inspection"] == "fail"


def test_a_passed_inspection_leaves_the_lots_available(client, recv):
    made = client.post("/api/v1/receipts", json=receipt(ROD_LINE),
                       headers=recv.auth("planner")).json
    res = client.post(f"/api/v1/receipts/{made['number']}/inspection",
                      json={"result": "pass", "inspector": "QA Anna"},
                      headers=recv.auth("planner"))
    assert res.json["lines"][0]["lot_status"] == "available"
    assert res.json["inspections"][0]["inspector"] == "QA Anna"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"result": "maybe"}, 400, "invalid_input"), ({}, 400, "invalid_input")])
def test_a_bad_inspection_is_refused_and_writes_nothing(client, recv, row_counts, body, status,
                                                        code):
    made = client.post("/api/v1/receipts", json=receipt(ROD_LINE),
                       headers=recv.auth("planner")).json
    before = row_counts()
    res = client.post(f"/api/v1/receipts/{made['number']}/inspection", json=body,
                      headers=recv.auth("planner"))
    assert res.status_code == status and res.json["code"] == code
    assert row_counts() == before


def test_unknown_receipts_are_404(client, recv):
    res = client.get("/api/v1/receipts/RC-2026-09999", headers=recv.auth("viewer"))
    assert res.status_code == 404 and res.json["code"] == "unknown_receipt"
    res = client.post("/api/v1/receipts/RC-2026-09999/inspection", json={"result": "pass"},
                      headers=recv.auth("planner"))
    assert res.status_code == 404 and res.json["code"] == "unknown_receipt"


def test_receipt_numbers_count_up_per_year(client, recv):
    auth = recv.auth("planner")
    numbers = [client.post("/api/v1/receipts", json=receipt(ROD_LINE, receipt_date=day),
                           headers=auth).json["number"]
               for day in ("2026-03-01", "2026-04-01", "2027-01-02")]
    assert numbers == ["RC-2026-00001", "RC-2026-00002", "RC-2027-00001"]
    assert date.fromisoformat("2027-01-02")


def test_the_lots_of_a_receipt_get_labels_whose_code_reads_as_a_lot(client, recv):
    from labels.payload import Kind, parse

    made = client.post("/api/v1/receipts", json=receipt(
        {**ROD_LINE, "lot_number": "HEAT-77"}), headers=recv.auth("planner")).json
    res = client.get(f"/api/v1/receipts/{made['number']}/labels.pdf",
                     headers=recv.auth("viewer"))
    assert res.status_code == 200 and res.data.startswith(b"%PDF-")
    from server.services.receipt_labels import receipt_labels
    with client.application.extensions["floorline"].sessions() as s:
        [label] = receipt_labels(s, made["number"])
    scanned = parse(label.qr_text)
    assert (scanned.kind, scanned.code) == (Kind.LOT, "HEAT-77")


def test_a_receipt_is_one_graph_node_with_a_receive_edge_to_each_lot(client, recv):
    from sqlalchemy import select

    from server.models import GenealogyEdge, GenealogyNode

    made = client.post("/api/v1/receipts", json=receipt(ROD_LINE, FRAME_LINE),
                       headers=recv.auth("planner")).json
    with client.application.extensions["floorline"].sessions() as s:
        node = s.scalars(select(GenealogyNode).where(GenealogyNode.kind == "receipt")).one()
        edges = s.scalars(select(GenealogyEdge).where(GenealogyEdge.parent_id == node.id)
                          .order_by(GenealogyEdge.id)).all()
        lots = [s.get(GenealogyNode, e.child_id) for e in edges]
        assert node.code == made["number"]
        assert [(e.relation, lot.kind, lot.code) for e, lot in zip(edges, lots, strict=True)] \
            == [("receive", "lot", ln["lot"]) for ln in made["lines"]]
