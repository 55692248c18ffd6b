"""Issue 13's "done when" over REST on each backend: two supplier batches received, run
through a run with a split and a merge and through a job; the run's batches completed and
inspected into serials, the job's output received as a finished lot; serials and the lot
shipped to two customers; then the recall of one supplier batch lists what was shipped (to
whom) and what is in stock, with each one's share of the suspect steel; a hold quarantines
what is in stock; the spreadsheet and the EPCIS document are exported; and one serial traces
back to the right supplier batches."""

from __future__ import annotations

import io
import json
from fractions import Fraction

from openpyxl import load_workbook

from tests.support.trace_floor import PREFIX, build_trace_floor, client_api

A, B = "HEAT-A", "HEAT-B"


def test_a_new_user_traces_a_supplier_batch_to_customers_and_stock(client, plant_, row_counts):
    api = client_api(client, plant_.tokens["admin"])

    def ok(method, path, body=None, role="admin"):
        status, data = api(method, path, body, plant_.tokens[role])
        assert status in (200, 201), (method, path, status, data)
        return data

    floor = build_trace_floor(api)  # 3 serials of 1a (HEAT-A), 9 of M (HEAT-A and HEAT-B)
    lot_a, lot_b = floor.lots[A], floor.lots[B]
    qc = ok("POST", "/quality-checks", {"subject": floor.batches["M"], "step": 1,
                                        "inspector": "Quinn", "result": "pass",
                                        "defects": 0, "notes": "burrs within limit"},
            role="operator")
    assert (qc["stage"], qc["subject_code"]) == ("step", floor.batches["M"])

    # A job takes 10 kg of HEAT-B for brackets' mounting plates; its output is a finished lot.
    ok("POST", "/items", {"sku": f"{PREFIX}-PLATE", "name": "Mounting plate",
                          "kind": "finished", "unit": "kg"})
    ok("POST", "/stages", {"code": f"{PREFIX}-PRESS", "name": "Press",
                           "stations": ["tf-cut"]})
    job = ok("POST", "/jobs", {"stage": f"{PREFIX}-PRESS", "issues": [
        {"lot": lot_b, "quantity": "10", "pieces": 4}], "items": [],
        "policy": "match_issued"})["number"]
    receipt = ok("POST", f"/jobs/{job}/receipts", {"location": f"{PREFIX}-FG", "bin": "P1",
                                                  "rows": [{
                                                      "output_type": "finished",
                                                      "item": f"{PREFIX}-PLATE", "pieces": 4,
                                                      "weight": "10", "unit": "kg"}]},
                 role="operator")
    plates = next(r["lot"] for r in receipt["receipt"]["rows"] if r["bucket"] == "received")

    # Two customers, an order each; ALPHA gets two HEAT-A-only serials and four mixed ones,
    # BETA three mixed ones and 6 kg of plates. One 1a serial and two of M stay in stock.
    for code in ("ALPHA", "BETA"):
        ok("POST", "/customers", {"code": code, "name": f"{code.title()} Werke"})
    orders = {}
    for code, lines in (("ALPHA", [(f"{PREFIX}-BRACKET", "6", "pcs")]),
                        ("BETA", [(f"{PREFIX}-BRACKET", "3", "pcs"),
                                  (f"{PREFIX}-PLATE", "6", "kg")])):
        orders[code] = ok("POST", "/orders", {"customer": code, "lines": [
            {"item": item, "quantity": q, "unit": u} for item, q, u in lines]})["number"]
        ok("POST", f"/orders/{orders[code]}/status", {"status": "confirmed"})
    one_a, m = floor.serials["1a"], floor.serials["M"]
    shipped = {"ALPHA": one_a[:2] + m[:4], "BETA": m[4:7]}
    numbers = {}
    for code, serials in shipped.items():
        number = ok("POST", "/shipments", {"customer": code, "order": orders[code],
                                           "delivery_date": "2026-12-10"})["number"]
        for serial in serials:
            ok("POST", f"/shipments/{number}/lines", {"code": serial}, role="operator")
        if code == "BETA":
            ok("POST", f"/shipments/{number}/lines", {"code": plates, "quantity": "6",
                                                      "unit": "kg"}, role="operator")
        ok("POST", f"/shipments/{number}/ship", {})
        numbers[code] = number
    assert ok("GET", f"/orders/{orders['ALPHA']}")["status"] == "shipped"
    assert ok("GET", f"/orders/{orders['BETA']}")["status"] == "shipped"

    # Shipping a serial twice is refused and writes nothing.
    again = ok("POST", "/shipments", {"customer": "BETA"})["number"]
    before = row_counts()
    twice = client.post(f"/api/v1/shipments/{again}/lines", json={"code": one_a[0]},
                        headers=plant_.auth("operator"))
    assert twice.status_code == 409 and twice.json["code"] == "already_shipped"
    assert row_counts() == before

    # The recall of HEAT-B: every serial of M (6 kg of HEAT-B in 9 brackets) and the plates.
    recall = ok("GET", f"/recall/{B}", role="viewer")
    affected = {a["code"]: a for a in recall["affected"]}
    assert set(m) <= set(affected) and plates in affected
    assert not set(one_a) & set(affected) and lot_a not in affected  # 1a: HEAT-A only
    for serial in m:
        assert Fraction(affected[serial]["share"]) == Fraction(12, 50) / 9
    assert Fraction(affected[plates]["share"]) == Fraction(10, 50)
    by_customer = {a["code"]: a["shipped"]["customer"] for a in recall["affected"]
                   if a["shipped"]}
    assert by_customer == {**dict.fromkeys(m[:4], "ALPHA"), **dict.fromkeys(m[4:7], "BETA"),
                           plates: "BETA"}
    assert affected[m[0]]["shipped"]["order"] == orders["ALPHA"]
    in_stock = {a["code"]: a["in_stock"] for a in recall["affected"] if a["in_stock"]}
    assert {m[7], m[8], plates, lot_b} <= set(in_stock)
    assert (in_stock[m[7]]["location"], in_stock[m[7]]["bin"]) == (f"{PREFIX}-FG", "A1")
    assert in_stock[plates]["quantity"] == "4"  # 10 kg received, 6 kg shipped
    # The supplier lot itself still holds 28 of its 50 kg (12 to batch 2, 10 to the job).
    assert (in_stock[lot_b]["quantity"], Fraction(affected[lot_b]["share"])) == \
        ("28", Fraction(28, 50))
    assert recall["summary"]["customers"] == ["ALPHA", "BETA"]

    # Quarantine what is still in stock; shipped serials keep their status.
    hold = ok("POST", f"/recall/{B}/hold", {"reason": "supplier notice SN-77: HEAT-B"},
              role="supervisor")
    held = {i["code"] for i in hold["items"]}
    assert {m[7], m[8], plates, lot_b} <= held and not held & set(shipped["ALPHA"])
    assert ok("GET", f"/serials/{m[7]}", role="viewer")["status"] == "quarantined"
    assert ok("GET", f"/lots/{plates}", role="viewer")["status"] == "quarantined"
    assert ok("GET", f"/serials/{m[0]}", role="viewer")["status"] == "shipped"

    # A quarantined serial cannot be shipped.
    before = row_counts()
    refused = client.post(f"/api/v1/shipments/{again}/lines", json={"code": m[7]},
                          headers=plant_.auth("operator"))
    assert refused.status_code == 409 and refused.json["code"] == "quarantined"
    assert row_counts() == before

    # The regulator's spreadsheet: receiving, transformation and shipping events of the chain.
    xlsx = client.get(f"/api/v1/recall/{B}/events.xlsx", headers=plant_.auth("viewer"))
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))["Events"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=False))
            for row in sheet.iter_rows(min_row=2)]
    kinds = {str(r[header[0]]).lower() for r in rows}
    assert any("receiv" in k for k in kinds) and any("ship" in k for k in kinds)
    assert any("transform" in k or "produc" in k for k in kinds)
    text = json.dumps(rows, default=str)
    assert numbers["ALPHA"] in text and numbers["BETA"] in text and lot_b in text

    # EPCIS: receiving, transformation, packing and shipping events for the supplier lot.
    epcis = client.get(f"/api/v1/trace/{lot_b}/epcis", headers=plant_.auth("viewer"))
    assert epcis.status_code == 200 and epcis.mimetype == "application/ld+json"
    events = epcis.get_json()["epcisBody"]["eventList"]
    assert {e["type"] for e in events} >= {"ObjectEvent", "TransformationEvent",
                                           "AggregationEvent"}

    # And one mixed serial goes back to both supplier batches, a 1a serial to HEAT-A alone.
    back = ok("GET", f"/trace/{m[0]}?direction=back", role="viewer")
    batches = {n["supplier_batch"]: Fraction(n["share"]) for n in back["nodes"]
               if n["kind"] == "lot" and n.get("supplier_batch")}
    assert batches == {A: Fraction(1, 3), B: Fraction(2, 3)}
    back = ok("GET", f"/trace/{one_a[0]}?direction=back", role="viewer")
    assert {n["supplier_batch"] for n in back["nodes"] if n.get("supplier_batch")} == {A}
