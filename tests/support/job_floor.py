"""A jewellery shop over REST for the floor side of jobs: stores, gold with its scrap SKU,
two gold lots and stage FAB served by cut-1 (tests of labels, receipts and scans)."""

from __future__ import annotations

from typing import Any


def call(client: Any, plant_: Any, method: str, path: str, body: Any = None,
         role: str = "planner", status: tuple[int, ...] = (200, 201)) -> Any:
    """Call the API as role and return its JSON, failing on any other status."""
    r = client.open(f"/api/v1{path}", method=method, json=body, headers=plant_.auth(role))
    assert r.status_code in status, (path, r.status_code, r.json)
    return r.json


def jewellery(client: Any, plant_: Any) -> list[str]:
    """Stores, GOLD (g) and RING with scrap SKU GOLD-SCRAP, lots of 30 g and 20 g, FAB."""
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


def demo_job(srv: Any) -> dict[str, Any]:
    """On a demo server: gold items (RING's scrap is GOLD-SCRAP), two gold lots of 30 g and
    20 g in STORES, stage FAB served by cut-1 and POL by weld-1; return a factory of jobs
    issuing both lots (10 pieces, 50 g) at FAB."""
    def ok(method: str, path: str, body: Any = None) -> Any:
        r = srv.api(method, path, json=body)
        assert r.status_code in (200, 201), (path, r.status_code, r.text)
        return r.json()

    for sku, kind in (("GOLD", "raw_material"), ("GOLD-SCRAP", "scrap"), ("RING", "finished")):
        ok("POST", "/items", {"sku": sku, "name": f"{sku.title()} 18k", "kind": kind,
                              "unit": "g"})
    ok("PUT", "/items/RING/scrap-item", {"scrap_sku": "GOLD-SCRAP"})
    ok("POST", "/stages", {"code": "FAB", "name": "Fabrication", "stations": ["cut-1"]})
    ok("POST", "/stages", {"code": "POL", "name": "Polishing", "stations": ["weld-1"]})

    def new_job() -> str:
        lots = [ok("POST", "/lots", {"item": "GOLD", "quantity": q, "unit": "g",
                                     "location": "STORES"})["number"] for q in ("30", "20")]
        job = ok("POST", "/jobs", {"stage": "FAB", "issues": [
            {"lot": lots[0], "pieces": 6}, {"lot": lots[1], "pieces": 4}],
            "items": [], "policy": "match_issued"})
        number: str = job["number"]
        return number

    return {"new_job": new_job, "api": ok}
