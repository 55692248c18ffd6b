"""A small traced plant built through the REST API, for end-to-end trace and recall tests.

Two supplier receipts of steel (supplier batches HEAT-A and HEAT-B, 50 kg each) go to a run
of 12 brackets in two batches of 6; batch 1 gets HEAT-A, batch 2 HEAT-B. After CUT, batch 1 is
split 3 + 3 and its second half merged with batch 2 (3 + 6 = 9); the two batches left (3 and
9) run CUT-QC-PACK... to done and are completed into serials (3 + 9 = 12 brackets).

    receipt RC-1 -> lot A (HEAT-A) -issue-> batch 1 -split-> 1a (3) -> 3 serials
                                                   \\-split-> 1b (3) -merge-> M (9) -> 9 serials
    receipt RC-2 -> lot B (HEAT-B) -issue-> batch 2 (6) ------------merge-/

So a serial of 1a holds only HEAT-A, a serial of M holds both (3/9 HEAT-A, 6/9 HEAT-B).
Works with the Flask test client (``client_api``) and a running server (``server_api``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# api(method, path under /api/v1, json body or None, bearer token or None) -> (status, json)
Api = Callable[[str, str, Any, str | None], tuple[int, Any]]
PREFIX = "TF"  # every code the helper makes starts with it, so it sits beside other data


@dataclass
class TraceFloor:
    """The codes of everything the helper made."""

    receipts: list[str] = field(default_factory=list)
    lots: dict[str, str] = field(default_factory=dict)  # supplier batch -> lot number
    run: str = ""
    batches: dict[str, str] = field(default_factory=dict)  # "1", "2", "1a", "1b", "M"
    completions: list[dict[str, Any]] = field(default_factory=list)
    serials: dict[str, list[str]] = field(default_factory=dict)  # "1a" / "M" -> serial codes

    @property
    def all_serials(self) -> list[str]:
        return [code for codes in self.serials.values() for code in codes]


def client_api(client: Any, token: str) -> Api:
    """Adapt a Flask test client, calling as the bearer of token unless told another."""
    def api(method: str, path: str, body: Any = None, bearer: str | None = None
            ) -> tuple[int, Any]:
        r = client.open(f"/api/v1{path}", method=method, json=body,
                        headers={"Authorization": f"Bearer {bearer or token}"})
        return r.status_code, r.json
    return api


def server_api(srv: Any, token: str | None = None) -> Api:
    """Adapt a running tests.server_process.FloorlineServer (admin token by default)."""
    def api(method: str, path: str, body: Any = None, bearer: str | None = None
            ) -> tuple[int, Any]:
        r = srv.api(method, path, bearer or token, json=body)
        return r.status_code, (r.json() if r.content else None)
    return api


def _ok(api: Api, method: str, path: str, body: Any = None, bearer: str | None = None) -> Any:
    status, data = api(method, path, body, bearer)
    assert status in (200, 201), (method, path, status, data)
    return data


def _catalogue(api: Api) -> dict[str, str]:
    """Operations, items, stations (returning their tokens), a store, a supplier."""
    for code, qc in (("CUT", False), ("QC", True), ("PACK", False)):
        _ok(api, "POST", "/operations", {"code": f"{PREFIX}-{code}", "name": f"TF {code}",
                                         "is_quality_check": qc})
    _ok(api, "POST", "/items", {"sku": f"{PREFIX}-STEEL", "name": "Steel strip",
                                "kind": "raw_material", "unit": "kg"})
    _ok(api, "POST", "/items", {"sku": f"{PREFIX}-BRACKET", "name": "Bracket",
                                "kind": "finished", "unit": "pcs",
                                "routing": [f"{PREFIX}-{c}" for c in ("CUT", "QC", "PACK")]})
    _ok(api, "PUT", f"/items/{PREFIX}-BRACKET/serial-type", {"serial_type": "BRK"})
    tokens = {}
    for code in ("CUT", "QC", "PACK"):
        made = _ok(api, "POST", "/stations", {"name": f"tf-{code.lower()}",
                                              "operation": f"{PREFIX}-{code}"})
        tokens[code] = made["token"]
    _ok(api, "POST", "/warehouses", {"code": f"{PREFIX}-WH", "name": "TF store"})
    for loc in ("RAW", "FG"):
        _ok(api, "POST", "/locations", {"warehouse": f"{PREFIX}-WH", "code": f"{PREFIX}-{loc}",
                                        "name": f"TF {loc}"})
    _ok(api, "POST", "/suppliers", {"code": f"{PREFIX}-STEELCO", "name": "TF Steel Co"})
    return tokens


def scan(api: Api, token: str, code: str) -> dict[str, Any]:
    """Scan a code at the station whose token is given; return the ack."""
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
    ack: dict[str, Any] = _ok(api, "POST", "/scans", body, token)
    assert ack["outcome"] == "accepted", ack
    return ack


def build_trace_floor(api: Api, *, complete: bool = True) -> TraceFloor:
    """Build the plant above (the API caller needs the admin role); complete=False stops
    with both batches done but not yet completed."""
    floor = TraceFloor()
    tokens = _catalogue(api)
    for heat in ("HEAT-A", "HEAT-B"):
        receipt = _ok(api, "POST", "/receipts", {
            "supplier": f"{PREFIX}-STEELCO", "invoice_number": f"INV-{heat}",
            "lines": [{"item": f"{PREFIX}-STEEL", "quantity": "50", "unit": "kg",
                       "location": f"{PREFIX}-RAW", "supplier_lot": heat, "unit_cost": "2.5"}]})
        floor.receipts.append(receipt["number"])
        floor.lots[heat] = receipt["lines"][0]["lot"]
    run = _ok(api, "POST", "/runs", {"lines": [{"item": f"{PREFIX}-BRACKET", "quantity": 6,
                                                "unit": "pcs", "batches": 2}]})
    floor.run = run["number"]
    floor.batches["1"], floor.batches["2"] = (b["code"] for b in run["batches"])
    for heat, key in (("HEAT-A", "1"), ("HEAT-B", "2")):
        _ok(api, "POST", f"/lots/{floor.lots[heat]}/issue", {
            "target": {"kind": "batch", "code": floor.batches[key]}, "quantity": "12",
            "unit": "kg"})
    for key in ("1", "2"):
        scan(api, tokens["CUT"], floor.batches[key])
    split = _ok(api, "POST", f"/batches/{floor.batches['1']}/split",
                {"quantities": [3, 3], "reason": "two fixtures"})
    floor.batches["1a"], floor.batches["1b"] = (c["code"] for c in split["children"])
    merged = _ok(api, "POST", "/batches/merge",
                 {"batches": [floor.batches["1b"], floor.batches["2"]], "reason": "one crate"})
    floor.batches["M"] = merged["batch"]["code"]
    for key in ("1a", "M"):
        scan(api, tokens["QC"], floor.batches[key])
        scan(api, tokens["PACK"], floor.batches[key])
    if complete:
        for key in ("1a", "M"):
            done = complete_batch(api, floor.batches[key])
            floor.completions.append(done["completion"])
            floor.serials[key] = [s["code"] for s in done["serials"]]
    return floor


def complete_batch(api: Api, code: str, **extra: Any) -> dict[str, Any]:
    """Complete a done batch: all of it, none defective, passed, into serials in TF-FG."""
    detail = _ok(api, "GET", f"/batches/{code}")
    body = {"quantity_completed": detail["quantity"], "quantity_defective": 0,
            "inspector": "Quinn Inspector", "result": "pass", "output": "serials",
            "location": f"{PREFIX}-FG", "bin": "A1", "event_id": str(uuid.uuid4()), **extra}
    answer: dict[str, Any] = _ok(api, "POST", f"/batches/{code}/complete", body)
    return answer
