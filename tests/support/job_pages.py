"""Jobs made through the REST API of a running server, for the job pages' browser tests.

One call makes a small jewellery shop's week: two stages, a job half received (with
rejection and waste, in grams and carats), one received in full, one whose good output went on
to the next stage, one waiting without a deadline, and one whose product name is markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

XSS = '<img src=x onerror="document.title=1">'


@dataclass
class JobShop:
    half: str = ""  # FAB, in progress: 50 g issued, 20 received, 4 rejected, 1 waste
    done: str = ""  # FAB, completed
    next: str = ""  # ASM, fed by the half job's good output
    waiting: str = ""  # ASM, open, no deadline, its product named with markup
    extra: list[str] = field(default_factory=list)


def _ok(srv: Any, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = srv.api(method, path, json=body)
    assert r.ok, (path, r.status_code, r.text)
    data: dict[str, Any] = r.json()
    return data


def _lot(srv: Any, item: str, grams: str) -> str:
    return str(_ok(srv, "POST", "/lots", {"item": item, "quantity": grams, "unit": "g",
                                          "location": "JSTORE"})["number"])


def _job(srv: Any, stage: str, lot: str, **extra: Any) -> str:
    return str(_ok(srv, "POST", "/jobs", {"stage": stage, "issues": [{"lot": lot, **extra.pop(
        "issue", {})}], **extra})["number"])


def _receive(srv: Any, job: str, **row: Any) -> dict[str, Any]:
    return _ok(srv, "POST", f"/jobs/{job}/receipts", {
        "location": "JSTORE", "rows": [{"output_type": "finished", "item": "RING", **row}]})


def job_shop(srv: Any, *, extra_jobs: int = 0) -> JobShop:
    """Make the stages, items, lots and jobs above (and extra open FAB jobs for paging)."""
    _ok(srv, "POST", "/warehouses", {"code": "JW", "name": "Jewellery store"})
    _ok(srv, "POST", "/locations", {"warehouse": "JW", "code": "JSTORE", "name": "Vault"})
    for sku, name, kind in (("GOLD", "Gold 18K", "raw_material"),
                            ("GOLD-SCRAP", "Gold scrap", "scrap"),
                            ("RING", "Signet ring", "finished"), ("ODD", XSS, "raw_material")):
        _ok(srv, "POST", "/items", {"sku": sku, "name": name, "kind": kind, "unit": "g"})
    _ok(srv, "PUT", "/items/RING/scrap-item", {"scrap_sku": "GOLD-SCRAP"})
    _ok(srv, "POST", "/stages", {"code": "FAB", "name": "Fabrication"})
    _ok(srv, "POST", "/stages", {"code": "ASM", "name": "Assembly"})
    shop = JobShop()
    shop.half = _job(srv, "FAB", _lot(srv, "GOLD", "50"), issue={"pieces": 10},
                     deadline="2099-12-31", assignee="ana", shape="round", size="7")
    made = _receive(srv, shop.half, pieces=5, weight="20", unit="g", waste_weight="5",
                    waste_unit="ct", rejection={"pieces": 1, "weight": "20", "unit": "ct"})
    ring = next(r["lot"] for r in made["receipt"]["rows"] if r["bucket"] == "received")
    shop.done = _job(srv, "FAB", _lot(srv, "GOLD", "30"), issue={"pieces": 3},
                     deadline="2099-12-31", assignee="ana")
    _receive(srv, shop.done, pieces=3, weight="27", unit="g", waste_weight="1", waste_unit="g",
             scrap={"weight": "10", "unit": "ct"})
    shop.next = _job(srv, "ASM", ring, deadline="2099-12-31", assignee="ana")
    shop.waiting = _job(srv, "ASM", _lot(srv, "ODD", "12.5"), shape=XSS)
    shop.extra = [_job(srv, "FAB", _lot(srv, "GOLD", "1")) for _ in range(extra_jobs)]
    return shop


def one_job(srv: Any) -> str:
    """Make one job, half received, on the demo plant (for pages that need a job to show)."""
    _ok(srv, "POST", "/warehouses", {"code": "JW", "name": "Jewellery store"})
    _ok(srv, "POST", "/locations", {"warehouse": "JW", "code": "JSTORE", "name": "Vault"})
    _ok(srv, "POST", "/items", {"sku": "RING", "name": "Signet ring", "kind": "finished",
                                "unit": "g"})
    _ok(srv, "POST", "/stages", {"code": "FAB", "name": "Fabrication"})
    job = _job(srv, "FAB", _lot(srv, "RING", "40"), issue={"pieces": 4})
    _receive(srv, job, pieces=2, weight="18", unit="g", waste_weight="2", waste_unit="g")
    return job
