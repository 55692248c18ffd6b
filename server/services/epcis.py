"""Export the chain reachable from a code as an EPCIS 2.0 JSON-LD document.

The genealogy walks of server.services.trace give the edges (back, forward or both); the
edges become events by relation (server/domain/epcis.py), and what the events name besides
quantities (items and their GTINs, locations, suppliers, invoices, customers, orders,
shipping dates) is read once per kind of thing, never per node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..domain.attribution import Direction
from ..domain.epcis import (
    CONTEXT,
    PROCESSES,
    SCHEMA_VERSION,
    TRANSFORMING,
    item_uri,
    quantity_element,
    transformation_step,
    uri,
)
from ..domain.genealogy import NodeKind, Relation
from ..errors import BadRequest
from . import epcis_facts
from .epcis_facts import Facts
from .trace import Times, find_start
from .trace_walk import walk_edges

DIRECTIONS = ("back", "forward", "both")
Edge = tuple[int, int, int, str, Decimal, str, str, Any]
Nodes = dict[int, tuple[str, str]]


def document(session: Session, code: str, direction: str = "both", *, base: str,
             now: datetime) -> dict[str, Any]:
    """Return the EPCIS document of the chain reachable from code in that direction."""
    if direction not in DIRECTIONS:
        raise BadRequest("direction is back, forward or both", code="bad_direction",
                         direction=direction, allowed=list(DIRECTIONS))
    start = find_start(session, code)
    nodes: Nodes = {}
    edges: dict[int, Edge] = {}
    for way in (Direction.BACK, Direction.FORWARD):
        if direction in (way.value, "both"):
            found, walked, _, _, _ = walk_edges(session, start.id, way)
            nodes.update(found)
            edges.update((e[0], e) for e in walked)
    facts = epcis_facts.gather(session, nodes.values())
    events = Events(base.rstrip("/"), nodes, facts, Times())
    ordered = sorted(edges.values())
    events.receipts([e for e in ordered if e[3] == Relation.RECEIVE.value])
    events.transformations([e for e in ordered if e[3] in TRANSFORMING])
    events.shipments([e for e in ordered if e[3] == Relation.SHIP.value])
    return {"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": SCHEMA_VERSION,
            "creationDate": now.isoformat(),
            "epcisBody": {"eventList": sorted(events.made, key=lambda e: e["eventTime"])}}


class Events:
    """The events of one document, made from edges grouped by what made them."""

    def __init__(self, base: str, nodes: Nodes, facts: Facts, time_of: Times) -> None:
        self.base, self.nodes, self.facts, self.time_of = base, nodes, facts, time_of
        self.made: list[dict[str, Any]] = []

    def epc(self, node: int) -> str:
        kind, code = self.nodes[node]
        return item_uri(self.base, kind, code, self.facts.gtin.get((kind, code)))

    def event(self, kind: str, at: Any, **fields: Any) -> None:
        self.made.append({"type": kind, "eventTime": self.time_of(at),
                          "eventTimeZoneOffset": "+00:00",
                          **{k: v for k, v in fields.items() if v not in (None, [], {})}})

    def things(self, edges: Iterable[Edge], far: int) -> dict[str, list[Any]]:
        """Return the serials at end far (1 parent, 2 child) as EPCs, the rest as quantities."""
        epcs, quantities = [], []
        for e in edges:
            node = e[1] if far == 1 else e[2]
            if self.nodes[node][0] == NodeKind.SERIAL.value:
                epcs.append(self.epc(node))
            else:
                quantities.append(quantity_element(self.epc(node), e[4], e[5]))
        return {"epcs": list(dict.fromkeys(epcs)), "quantities": quantities}

    def receipts(self, edges: list[Edge]) -> None:
        """One ObjectEvent ADD at receiving per receipt: its lots, supplier and invoice."""
        for receipt, group in _grouped(edges, lambda e: e[1]).items():
            info = self.facts.receipts.get(self.nodes[receipt][1], {})
            got = self.things(group, 2)
            place = info.get("location")
            self.event("ObjectEvent", group[0][7], action="ADD", bizStep="receiving",
                       disposition="in_progress", epcList=got["epcs"],
                       quantityList=got["quantities"],
                       readPoint=place and {"id": uri(self.base, "location", place)},
                       bizLocation=place and {"id": uri(self.base, "location", place)},
                       bizTransactionList=[{"type": "inv", "bizTransaction": uri(
                           self.base, "inv", info["invoice"])}] if info.get("invoice") else [],
                       sourceList=[{"type": "owning_party", "source": uri(
                           self.base, "party", info["supplier"])}] if info.get("supplier")
                       else [])

    def transformations(self, edges: list[Edge]) -> None:
        """A TransformationEvent per run or job, and per record of the other transformations."""
        def key(e: Edge) -> tuple[str, str]:
            for end in (e[2], e[1]):  # into a process, then out of it
                if self.nodes[end][0] in PROCESSES:
                    return ("process", f"{self.nodes[end][0]}:{self.nodes[end][1]}")
            return (e[3], e[6])
        for (what, record), group in _grouped(edges, key).items():
            process = what == "process"
            ins = [e for e in group if not (process and self.nodes[e[1]][0] in PROCESSES)]
            outs = [e for e in group if not (process and self.nodes[e[2]][0] in PROCESSES)]
            got_in, got_out = self.things(ins, 1), self.things(outs, 2)
            made = {self.nodes[e[2]][0] for e in outs}
            self.event("TransformationEvent", min(e[7] for e in group),
                       inputEPCList=got_in["epcs"], inputQuantityList=got_in["quantities"],
                       outputEPCList=got_out["epcs"], outputQuantityList=got_out["quantities"],
                       transformationID=uri(self.base, "transformation", record),
                       bizStep=transformation_step(group[0][3], made),
                       disposition="active" if made & {"serial", "lot"} else "in_progress",
                       bizTransactionList=self.orders(record))

    def orders(self, record: str) -> list[dict[str, str]]:
        kind, _, code = record.partition(":")
        order = self.facts.orders.get((kind, code)) if kind in PROCESSES else None
        return [{"type": "po", "bizTransaction": uri(self.base, "po", order)}] if order else []

    def shipments(self, edges: list[Edge]) -> None:
        """Per shipment: an AggregationEvent of what was packed, an ObjectEvent if it left."""
        for shipment, group in _grouped(edges, lambda e: e[2]).items():
            number = self.nodes[shipment][1]
            info = self.facts.shipments.get(number, {})
            got = self.things(group, 1)
            station = info.get("station")
            point = {"id": uri(self.base, "station", station)} if station else None
            trade = [{"type": "desadv", "bizTransaction": uri(self.base, "desadv", number)}]
            if info.get("order"):
                trade.insert(0, {"type": "po", "bizTransaction": uri(self.base, "po",
                                                                      info["order"])})
            self.event("AggregationEvent", info.get("packed_at") or group[0][7], action="ADD",
                       parentID=self.epc(shipment), childEPCs=got["epcs"],
                       childQuantityList=got["quantities"], bizStep="packing",
                       disposition="in_progress", readPoint=point, bizTransactionList=trade)
            if info.get("shipped_at") is None:
                continue  # still open: packed, not gone
            self.event("ObjectEvent", info["shipped_at"], action="OBSERVE", bizStep="shipping",
                       disposition="in_transit", epcList=[self.epc(shipment), *got["epcs"]],
                       quantityList=got["quantities"], readPoint=point,
                       bizTransactionList=trade,
                       sourceList=[{"type": "owning_party",
                                    "source": uri(self.base, "party", "plant")}],
                       destinationList=[{"type": "owning_party", "destination": uri(
                           self.base, "party", info["customer"])}] if info.get("customer")
                       else [])


def _grouped(edges: list[Edge], key: Any) -> dict[Any, list[Edge]]:
    groups: dict[Any, list[Edge]] = defaultdict(list)
    for e in edges:
        groups[key(e)].append(e)
    return groups
