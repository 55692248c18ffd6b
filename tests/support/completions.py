"""Completion test helpers over the Flask test client: a batch run to done, a completion."""

from __future__ import annotations

from typing import Any

from tests.support.trace_floor import client_api, scan


def done_batch(client: Any, plant_: Any, quantity: Any = 5, item: str = "FRAME",
               unit: str = "pcs") -> str:
    """Make a run of one batch on the API tests' plant and scan it through every step."""
    run = client.post("/api/v1/runs", json={"lines": [{"item": item, "quantity": quantity,
                                                       "unit": unit, "batches": 1}]},
                      headers=plant_.auth("planner")).json
    code: str = run["batches"][0]["code"]
    steps = ("cut-1", "weld-1", "paint-1") if item == "FRAME" else ("cut-1", "paint-1")
    for station in steps:
        scan(client_api(client, ""), plant_.station_tokens[station], code)
    return code


def complete(client: Any, plant_: Any, code: str, role: str = "operator",
             kind: str = "batches", **body: Any) -> Any:
    """POST a completion (5 pieces, passed, into serials at RACK-A unless told otherwise)."""
    spec = {"quantity_completed": 5, "quantity_defective": 0, "inspector": "Quinn",
            "result": "pass", "output": "serials", "location": "RACK-A", **body}
    return client.post(f"/api/v1/{kind}/{code}/complete", json=spec, headers=plant_.auth(role))
