"""Issue 11's "done when" over REST on each backend (PostgreSQL is the scale-out path):
two supplier shipments (one a scanned GS1 label) into lots in two racks, parts of both issued
to a run, a batch split and two parts merged, then trace forward from a lot (API and CLI)
and back from the merged batch."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tests.support.cli import floorline_cli

GS = "\x1d"
BAR_GTIN = "09501101530300"
LABEL = "]d201" + BAR_GTIN + "17281231" + "3102024000" + "10H-31001" + GS + "21C7"  # 240 kg
PARTS = ["5", "4.5", "3"]


def call(client, plant_, method, path, body=None, role="planner", status=(200, 201)):
    r = client.open(f"/api/v1{path}", method=method, json=body, headers=plant_.auth(role))
    assert r.status_code in status, (path, r.json)
    return r.json


@pytest.fixture
def floor(client, plant_):
    """Stores, two suppliers, BAR known by its GTIN, and a run of six 12.5 kg ROD batches."""
    call(client, plant_, "POST", "/warehouses", {"code": "MAIN", "name": "Main store"})
    for code in ("STORES", "LINESIDE"):
        call(client, plant_, "POST", "/locations", {"warehouse": "MAIN", "code": code,
                                                    "name": code.title()})
    for code in ("NORDSTAHL", "WESTFALIA"):
        call(client, plant_, "POST", "/suppliers", {"code": code, "name": code.title()})
    call(client, plant_, "POST", "/items", {"sku": "BAR", "name": "Round bar",
                                            "kind": "raw_material", "unit": "kg"})
    call(client, plant_, "PUT", "/items/BAR/gtin", {"gtin": BAR_GTIN})
    run = call(client, plant_, "POST", "/runs", {"lines": [
        {"item": "ROD", "quantity": "12.5", "unit": "kg", "batches": 6}]})
    return run["number"], [b["code"] for b in run["batches"]]


def shares(body):
    return {n["code"]: Fraction(n["share"]) for n in body["nodes"]}


def test_received_lots_issued_split_and_merged_trace_with_exact_shares(client, plant_, floor,
                                                                       database_url,
                                                                       monkeypatch, tmp_path,
                                                                       row_counts):
    run, batches = floor
    scanned = call(client, plant_, "POST", "/receipts", {
        "supplier": "NORDSTAHL", "invoice_number": "NS-1",
        "lines": [{"gs1": LABEL, "location": "STORES", "bin": "R3-01"}]})
    typed = call(client, plant_, "POST", "/receipts", {
        "supplier": "WESTFALIA", "lines": [{"item": "BAR", "quantity": "80", "unit": "kg",
                                            "supplier_lot": "WS-5521", "location": "LINESIDE",
                                            "bin": "R4-02"}]})
    (line1,), (line2,) = scanned["lines"], typed["lines"]
    assert (line1["item"], line1["quantity"], line1["supplier_lot"], line1["bin"]) == \
        ("BAR", "240", "H-31001", "R3-01")
    lot1, lot2 = line1["lot"], line2["lot"]
    for lot, kg in ((lot1, "60"), (lot2, "15")):  # 75 kg: what the run's batches weigh
        call(client, plant_, "POST", f"/lots/{lot}/issue",
             {"target": {"kind": "run", "code": run}, "quantity": kg, "unit": "kg"})
    before = row_counts()
    refused = client.post(f"/api/v1/lots/{lot2}/issue", headers=plant_.auth("planner"),
                          json={"target": {"kind": "run", "code": run}, "quantity": "66"})
    assert refused.status_code == 409, refused.json
    assert refused.json["code"] == "insufficient_stock"
    assert row_counts() == before
    parts = [c["code"] for c in call(client, plant_, "POST", f"/batches/{batches[0]}/split",
                                     {"quantities": PARTS}, role="operator")["children"]]
    merged = call(client, plant_, "POST", "/batches/merge", {"batches": parts[:2]},
                  role="operator")["batch"]["code"]

    forward = call(client, plant_, "GET", f"/trace/{lot1}?direction=forward", role="viewer")
    each = Fraction(60, 240) / 6
    part = {p: each * Fraction(q) / Fraction("12.5") for p, q in zip(parts, PARTS, strict=True)}
    assert shares(forward) == {lot1: 1, run: Fraction(1, 4), **dict.fromkeys(batches, each),
                               **part, merged: part[parts[0]] + part[parts[1]]}
    assert shares(forward)[merged] == Fraction(19, 600)

    back = call(client, plant_, "GET", f"/trace/{merged}?direction=back", role="viewer")
    got = shares(back)
    assert (got[lot1], got[lot2]) == (Fraction(4, 5), Fraction(1, 5))
    assert {n["code"]: n["amount"] for n in back["nodes"]}[lot1] == "7.6"  # kg of 9.5

    # The CLI reads the same database (PostgreSQL when FLOORLINE_DATABASE_URL says so).
    cli = floorline_cli(monkeypatch, tmp_path / "cli", database_url)
    assert shares(json.loads(cli("trace", "forward", lot1, "--json"))) == shares(forward)
