"""Trace any code backward (where it came from) or forward (where it went), at any depth.

One recursive SQL walk finds every node reachable from the start along the edges in the
chosen direction, across splits, merges, issues and shipments alike, with each reached
node's edges in that direction; the domain then attributes the start's material to them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import Numeric, select, text
from sqlalchemy.orm import Session

from ..domain.attribution import (
    Direction,
    Flow,
    amount_of,
    as_decimal,
    attribute,
    depths,
    start_total,
)
from ..domain.genealogy import NodeKind
from ..domain.quantities import Quantity, amount_text
from ..errors import BadRequest, NotFound
from ..models import GenealogyNode, Item, Lot, ReceiptLine, Supplier, SupplierReceipt
from ..models.base import UTCDateTime

# UNION (not UNION ALL) visits each node once, so diamonds of splits and merges stay
# linear and even a cycle could not loop; depth is counted afterwards from the edges.
# FROM_COL is the column the walk follows from, TO_COL the one it arrives at.
_WALK = """
WITH RECURSIVE walk(node_id) AS (
    SELECT CAST(:start AS INTEGER)
    UNION
    SELECT e.TO_COL FROM genealogy_edges e JOIN walk w ON e.FROM_COL = w.node_id
)
SELECT n.id, n.kind, n.code, e.id AS edge_id, e.parent_id, e.child_id, e.relation,
       e.quantity, e.unit, e.record, e.created_at
FROM walk w
JOIN genealogy_nodes n ON n.id = w.node_id
LEFT JOIN genealogy_edges e ON e.FROM_COL = w.node_id
ORDER BY n.id, e.id
"""
# What each lot of a forward walk received: a lot holds stock, so what it has not issued
# stays in it. (A run or a batch passes on all it has: what went in is made into its children.)
_INTO = """
WITH RECURSIVE walk(node_id) AS (
    SELECT CAST(:start AS INTEGER)
    UNION
    SELECT e.child_id FROM genealogy_edges e JOIN walk w ON e.parent_id = w.node_id
)
SELECT e.child_id, e.quantity, e.unit FROM walk w JOIN genealogy_edges e ON e.child_id = w.node_id
WHERE e.child_kind = 'lot'
"""
INTO = text(_INTO).columns(quantity=Numeric(20, 6, asdecimal=True))
WALKS = {
    way: text(_WALK.replace("FROM_COL", here).replace("TO_COL", there))
    .columns(quantity=Numeric(20, 6, asdecimal=True), created_at=UTCDateTime())
    for way, (here, there) in {Direction.FORWARD: ("parent_id", "child_id"),
                               Direction.BACK: ("child_id", "parent_id")}.items()
}


@dataclass(frozen=True, slots=True)
class _Edge:
    id: int
    parent: int
    child: int
    relation: str
    quantity: Quantity
    record: str
    at: datetime


def resolve(session: Session, code: str) -> GenealogyNode:
    """Return the node a code names: a code unique across kinds, "kind:code", or a lot's
    supplier batch number."""
    if any(c < " " or c == "\x7f" for c in code):  # PostgreSQL cannot compare text with NUL
        raise NotFound(f"nothing traced has the code {code!r}", code="unknown_code", value=code)
    found = list(session.scalars(select(GenealogyNode).where(GenealogyNode.code == code)
                                 .order_by(GenealogyNode.kind)))
    if not found and ":" in code:
        kind, _, rest = code.partition(":")
        if kind in NodeKind.__members__.values():
            found = list(session.scalars(select(GenealogyNode).where(
                GenealogyNode.kind == kind, GenealogyNode.code == rest)))
    if not found and code:
        # A recall starts from the supplier's batch number printed on their label.
        found = list(session.scalars(
            select(GenealogyNode).join(Lot, Lot.number == GenealogyNode.code)
            .where(GenealogyNode.kind == NodeKind.LOT.value, Lot.supplier_batch == code)
            .order_by(GenealogyNode.code)))
    if not found:
        raise NotFound(f"nothing traced has the code {code!r}", code="unknown_code", value=code)
    if len(found) > 1:
        kinds = [n.kind for n in found]
        what = ("a " + " and a ".join(kinds)) if len(set(kinds)) == len(kinds) \
            else f"{len(kinds)} lots"
        raise BadRequest(f"{code!r} names {what}; say which as kind:code",
                         code="ambiguous_code", value=code, kinds=kinds,
                         choices=[f"{n.kind}:{n.code}" for n in found])
    return found[0]


def trace(session: Session, code: str, direction: str = "back") -> dict[str, Any]:
    """Return the nodes and edges reached from code, each node with its share of the start."""
    try:
        way = Direction(direction)
    except ValueError:
        raise BadRequest("direction is back or forward", code="bad_direction",
                         direction=direction, allowed=[d.value for d in Direction]) from None
    start = resolve(session, code)
    rows = session.execute(WALKS[way], {"start": start.id}).all()
    nodes = {r.id: (r.kind, r.code) for r in rows}
    edges = {r.edge_id: _Edge(r.edge_id, r.parent_id, r.child_id, r.relation,
                              Quantity(r.quantity, r.unit), r.record, r.created_at)
             for r in rows if r.edge_id is not None}
    flows = [Flow(e.parent, e.child, e.quantity) for e in edges.values()]
    came_in: dict[int, list[Quantity]] = defaultdict(list)
    if way is Direction.FORWARD:
        for child, qty, unit in session.execute(INTO, {"start": start.id}):
            came_in[child].append(Quantity(qty, unit))
    shares = attribute(flows, start.id, way, came_in)
    depth = depths(flows, start.id, way)
    total = start_total(flows, start.id, way, came_in.get(start.id, ()))
    listed = sorted(nodes, key=lambda n: (depth.get(n, 0), nodes[n][0], nodes[n][1]))
    lots = _lot_details(session, [code for kind, code in nodes.values() if kind == NodeKind.LOT])
    return {
        "start": {"kind": start.kind, "code": start.code}, "direction": way.value,
        "total": _quantity(total),
        "nodes": [{"kind": nodes[n][0], "code": nodes[n][1], "depth": depth.get(n, 0),
                   **_share(shares.get(n), total),
                   **(lots.get(nodes[n][1], {}) if nodes[n][0] == NodeKind.LOT else {})}
                  for n in listed],
        "edges": [{"parent_kind": nodes[e.parent][0], "parent": nodes[e.parent][1],
                   "child_kind": nodes[e.child][0], "child": nodes[e.child][1],
                   "relation": e.relation, "quantity": amount_text(e.quantity.amount),
                   "unit": e.quantity.unit, "record": e.record, "at": e.at.isoformat()}
                  for e in sorted(edges.values(), key=lambda e: e.id)],
    }


def _lot_details(session: Session, numbers: list[str]) -> dict[str, dict[str, str]]:
    """Return what a recall needs to name each lot: its item, supplier batch and supplier."""
    if not numbers:
        return {}
    rows = session.execute(
        select(Lot.number, Item.sku, Lot.supplier_batch, Supplier.code)
        .join(Item, Item.id == Lot.item_id)
        .outerjoin(ReceiptLine, ReceiptLine.lot_id == Lot.id)
        .outerjoin(SupplierReceipt, SupplierReceipt.id == ReceiptLine.receipt_id)
        .outerjoin(Supplier, Supplier.id == SupplierReceipt.supplier_id)
        .where(Lot.number.in_(numbers)))
    return {number: {"item": sku, "supplier_batch": batch or "", "supplier": supplier or ""}
            for number, sku, batch, supplier in rows}


def _share(share: Fraction | None, total: Quantity | None) -> dict[str, Any]:
    amount = amount_of(share, total)
    return {"share": None if share is None else str(share),
            "share_decimal": None if share is None else amount_text(as_decimal(share)),
            "amount": None if amount is None else amount_text(amount.amount),
            "unit": None if amount is None else amount.unit}


def _quantity(qty: Quantity | None) -> dict[str, str] | None:
    return None if qty is None else {"quantity": amount_text(qty.amount), "unit": qty.unit}
