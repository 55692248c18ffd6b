"""Recall exports read back: the customer contact CSV, the events spreadsheet, and the
`floorline recall` command over the same floor."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.support.cli import floorline_cli
from tests.support.recall_floor import recall_floor


@pytest.fixture
def floor(app, client, plant_):
    return recall_floor(app, client, plant_)


def test_the_contact_csv_has_a_row_per_customer_and_shipment_with_its_codes(
        client, plant_, floor):
    r = client.get("/api/v1/recall/HEAT-4711/contacts.csv", headers=plant_.auth("viewer"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    s1, s2, _ = floor["serials"]
    assert rows == [
        {"customer": "ACME", "customer_name": "Acme Ltd", "shipment": "SH-2026-00001",
         "order": "SO-R-1", "shipped_at": "2026-12-02T09:00:00+00:00",
         "affected_codes": " ".join(sorted([s1, floor["f"]])), "quantity": "8 kg; 1 pcs"},
        {"customer": "BETA", "customer_name": "Beta Ltd", "shipment": "SH-2026-00002",
         "order": "", "shipped_at": "2026-12-02T09:00:00+00:00", "affected_codes": s2,
         "quantity": "1 pcs"}]


def test_the_events_spreadsheet_holds_every_receiving_transformation_and_shipping_event(
        client, plant_, floor):
    r = client.get("/api/v1/recall/HEAT-4711/events.xlsx", headers=plant_.auth("viewer"))
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["Events", "Affected", "Recall"]
    sheet = book["Events"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Event type", "Relation", "Date/time (UTC)", "Traceability lot code"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    rows = [dict(zip(header, (c.value for c in line), strict=True))
            for line in sheet.iter_rows(min_row=2)]
    kinds = [r["Event type"] for r in rows]
    assert kinds.count("receiving") == 2  # both receipts of HEAT-4711
    assert kinds.count("shipping") == 3  # two serials and part of lot F
    received = [r for r in rows if r["Event type"] == "receiving"]
    assert {r["Traceability lot code"] for r in received} == {floor["a1"], floor["a2"]}
    assert all(r["Source"] == "STEELCO Steel Co" and r["Reference document type"] == "receipt"
               for r in received)
    assert {r["Quantity"] for r in received} == {100, 40}
    shipped = {r["Traceability lot code"]: r for r in rows if r["Event type"] == "shipping"}
    assert shipped[floor["f"]]["Destination"] == "ACME Acme Ltd (order SO-R-1)"
    assert shipped[floor["f"]]["Quantity"] == 8 and shipped[floor["f"]]["Unit of measure"] == "kg"
    assert shipped[floor["f"]]["Reference document number"] == "SH-2026-00001"
    assert shipped[floor["f"]]["Product (SKU)"] == "ROD"
    made = [r for r in rows if r["Event type"] == "transformation"]
    assert {(r["Relation"], r["Reference document type"]) for r in made} >= {
        ("issue", "run"), ("split", "run"), ("merge", "run"), ("produce", "run"),
        ("issue", "job"), ("produce", "job")}
    assert all(isinstance(r["Date/time (UTC)"], datetime) for r in rows)
    assert all(isinstance(r["Quantity"], int | float | Decimal) for r in rows)
    assert [r["Date/time (UTC)"] for r in rows] == sorted(r["Date/time (UTC)"] for r in rows)
    affected = book["Affected"]
    assert affected.max_row == 1 + 7 and affected.freeze_panes == "A2"
    shares = {line[1].value: line[5].value for line in affected.iter_rows(min_row=2)}
    assert shares[floor["f"]] == pytest.approx(1 / 7, abs=1e-6)


def test_the_exports_of_an_unknown_code_are_404(client, plant_, floor):
    for path in ("contacts.csv", "events.xlsx"):
        r = client.get(f"/api/v1/recall/NOPE-1/{path}", headers=plant_.auth("viewer"))
        assert r.status_code == 404 and r.json["code"] == "unknown_code"


@pytest.fixture
def cli(floor, monkeypatch, tmp_path, database_url):
    return floorline_cli(monkeypatch, tmp_path / "instance", database_url)


def test_the_recall_command_lists_shipped_by_customer_then_in_stock_by_location(cli, floor):
    out = cli("recall", "HEAT-4711").splitlines()
    assert out[0].startswith("Recall of supplier batch HEAT-4711 (ROD Rod, STEELCO): 140 kg")
    assert out[1] == "7 affected: 3 shipped to ACME, BETA, 4 in stock, 1 in process"
    text = "\n".join(out)
    assert text.index("Shipped") < text.index("  ACME") < text.index("  BETA") \
        < text.index("In stock") < text.index("RACK-A") < text.index("RACK-B") \
        < text.index("In process")
    [line] = [x for x in out if floor["serials"][0] in x]
    assert "share 1/140 = 1 kg" in line


def test_the_recall_command_writes_json_csv_and_xlsx(cli, floor, tmp_path):
    body = json.loads(cli("recall", "HEAT-4711", "--json", "--csv", str(tmp_path / "c.csv"),
                          "--xlsx", str(tmp_path / "e.xlsx")).split("\nwrote")[0])
    assert body["summary"]["affected"] == 7
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert [r["customer"] for r in rows] == ["ACME", "BETA"]
    assert load_workbook(tmp_path / "e.xlsx").sheetnames == ["Events", "Affected", "Recall"]


def test_the_recall_command_answers_a_code_with_no_descendants_in_one_line(
        app, client, plant_, cli, floor):
    body = {"supplier": "STEELCO", "invoice_number": "INV-9", "lines": [
        {"item": "ROD", "quantity": "5", "unit": "kg", "location": "RACK-A",
         "supplier_lot": "HEAT-9999"}]}
    assert client.post("/api/v1/receipts", json=body,
                       headers=plant_.auth("planner")).status_code == 201
    out = cli("recall", "HEAT-9999").splitlines()
    assert out[1] == "Nothing made from it: no serial, lot or batch contains it."


def test_the_recall_command_names_an_unknown_code(cli):
    assert "unknown_code" in cli("recall", "NOPE-1", ok=False)
