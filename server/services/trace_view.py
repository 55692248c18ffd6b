"""What the trace page draws: the trace back, forward or both ways at once, each node with
the status of its thing (a lot's, a batch's state, a serial's ...) looked up once per kind."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import BadRequest
from ..models import Batch, Job, Lot, ProductionRun, Serial
from ..models.shipping import Shipment
from . import trace

DIRECTIONS = ("back", "forward", "both")
# Each kind's row: its table's code column and status column.
_STATUS: dict[str, tuple[Any, Any]] = {
    "lot": (Lot.number, Lot.status), "batch": (Batch.code, Batch.state),
    "serial": (Serial.code, Serial.status), "shipment": (Shipment.number, Shipment.status),
    "run": (ProductionRun.number, ProductionRun.status), "job": (Job.number, Job.status),
}


def trace_view(session: Session, code: str, direction: str) -> dict[str, Any]:
    """Return the trace of code in direction (back, forward or both), nodes with statuses."""
    if direction not in DIRECTIONS:
        raise BadRequest("direction is back, forward or both", code="bad_direction",
                         direction=direction, allowed=list(DIRECTIONS))
    ways = ["back", "forward"] if direction == "both" else [direction]
    walks = [trace.trace(session, code, way) for way in ways]
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    edges: dict[tuple[Any, ...], dict[str, Any]] = {}
    for way, walk in zip(ways, walks, strict=True):
        for n in walk["nodes"]:
            depth = -n["depth"] if way == "back" and direction == "both" else n["depth"]
            key = (n["kind"], n["code"])
            if key not in nodes or (depth == 0 and way == "forward"):
                nodes[key] = {**n, "depth": depth, "side": way if depth else "start"}
        for e in walk["edges"]:
            edges[(e["parent_kind"], e["parent"], e["child_kind"], e["child"], e["record"],
                   e["at"])] = e
    statuses = _statuses(session, list(nodes))
    listed = sorted(nodes.values(), key=lambda n: (n["depth"], n["kind"], n["code"]))
    for n in listed:
        n["status"] = statuses.get((n["kind"], n["code"]), "")
    return {"start": walks[0]["start"], "direction": direction,
            "totals": {way: walk["total"] for way, walk in zip(ways, walks, strict=True)},
            "total": walks[-1]["total"], "nodes": listed,
            "edges": sorted(edges.values(), key=lambda e: (e["at"], e["parent"], e["child"]))}


def _statuses(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Return the status of each (kind, code) whose kind has one, one query per kind."""
    codes: dict[str, list[str]] = defaultdict(list)
    for kind, code in keys:
        codes[kind].append(code)
    out: dict[tuple[str, str], str] = {}
    for kind, wanted in codes.items():
        if kind not in _STATUS:
            continue
        column, status = _STATUS[kind]
        for code, value in session.execute(select(column, status).where(column.in_(wanted))):
            out[(kind, code)] = value
    return out
