"""A floor for recall tests: supplier batch HEAT-4711 received twice (lots A1 100 kg, A2
40 kg) and HEAT-0815 once (lot C 50 kg); 12 kg of A1 and of C into a run of two 12 kg ROD
batches; the first split 6 + 6, its second half merged with the second batch (18 kg, still
waiting: work in process), its first half finished into three FRAME serials (2 kg each);
20 kg of A2 into a job that made lot F (18 kg). Shipped: serial 1 and 8 kg of F to ACME
(order SO-R-1), serial 2 to BETA; serial 3 and 10 kg of F are in stock.

HEAT-4711's 140 kg reach: each serial 1 kg (1/140), the merged batch 9 kg, F all 20 kg.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.domain.genealogy import NodeKind
from server.domain.lots import LotStatus
from server.domain.quantities import Quantity
from server.models import Item, Location
from server.services import genealogy, jobs, stages, stock
from server.services.actors import SYSTEM
from tests.support import chain_rows
from tests.support.receiving import receiving_plant


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.json
    return response.json


def recall_floor(app: Any, client: Any, plant_: Any) -> dict[str, Any]:
    """Build the floor described above through the API and the rows; return its codes."""
    receiving_plant(app)
    planner, operator = plant_.auth("planner"), plant_.auth("operator")

    def receive(invoice: str, lines: list[tuple[str, str, str]]) -> list[str]:
        body = {"supplier": "STEELCO", "invoice_number": invoice, "lines": [
            {"item": "ROD", "quantity": q, "unit": "kg", "location": where, "supplier_lot": sb}
            for q, where, sb in lines]}
        made = _ok(client.post("/api/v1/receipts", json=body, headers=planner), 201)
        return [line["lot"] for line in made["lines"]]

    a1, c = receive("INV-1", [("100", "RACK-A", "HEAT-4711"), ("50", "RACK-B", "HEAT-0815")])
    [a2] = receive("INV-2", [("40", "RACK-A", "HEAT-4711")])
    spec = {"item": "ROD", "quantity": 12, "unit": "kg", "batches": 2}
    run = _ok(client.post("/api/v1/runs", json={"lines": [spec]}, headers=planner), 201)
    first, second = (b["code"] for b in run["batches"])
    for lot in (a1, c):
        _ok(client.post(f"/api/v1/lots/{lot}/issue", headers=planner, json={
            "target": {"kind": "run", "code": run["number"]}, "quantity": "12"}))
    kids = _ok(client.post(f"/api/v1/batches/{first}/split", json={"quantities": ["6", "6"]},
                           headers=operator), 201)["children"]
    half, other = (k["code"] for k in kids)
    merged = _ok(client.post("/api/v1/batches/merge", json={"batches": [other, second]},
                             headers=operator), 201)["batch"]["code"]
    serials = ["FR-2026-1202-0001", "FR-2026-1202-0002", "FR-2026-1202-0003"]
    with app.extensions["floorline"].transaction() as s:
        chain_rows.complete_serials(s, half, "FRAME", serials, location="RACK-B", each="2",
                                    bin="S1")
        stages.create_stage(s, SYSTEM, code="FAB", name="Fabrication")
        job = jobs.create(s, SYSTEM, jobs.JobSpec(
            stage="FAB", issues=[jobs.IssueLine(lot=a2, quantity=Decimal(20))]))["number"]
        item = s.query(Item).filter_by(sku="ROD").one()
        where = s.query(Location).filter_by(code="RACK-B").one()
        made = stock.produce_lot(s, item=item, quantity=Quantity.of("18", "kg"), location=where,
                                 bin="F1", status=LotStatus.AVAILABLE, unit_cost=None,
                                 actor=SYSTEM, source_node=genealogy.node(s, NodeKind.JOB, job),
                                 record=f"job:{job}")
        f = made.number
        chain_rows.ship(s, "SH-2026-00001", "ACME", [("serial", serials[0], "1"),
                                                     ("lot", f, "8")], order="SO-R-1")
        chain_rows.ship(s, "SH-2026-00002", "BETA", [("serial", serials[1], "1")])
    return {"a1": a1, "a2": a2, "c": c, "run": run["number"], "first": first,
            "second": second, "half": half, "other": other, "merged": merged,
            "serials": serials, "job": job, "f": f}
