"""The trace's one statement: every node reachable from a start, its edges in the walking
direction, each lot's details and, walking forward, what came into each lot reached.

A request pays per round trip to PostgreSQL (each wakes the server and the client), so all of
that is one recursive query, started from a node id or straight from a code: naming the
start, walking, and reading what the lots received used to be three.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Numeric, TextualSelect, text
from sqlalchemy.orm import Session

from ..domain.attribution import Direction, Flow
from ..domain.quantities import Quantity

# Where the walk starts: one node by id, or the node a code names if exactly one has it
# (no row at all otherwise: the caller then resolves the code the long way, for its errors).
_ANCHORS = {
    "id": "SELECT n.id, n.kind FROM genealogy_nodes n WHERE n.id = :start",
    "code": "SELECT n.id, n.kind FROM genealogy_nodes n WHERE n.code = :code"
            " AND (SELECT COUNT(*) FROM genealogy_nodes c WHERE c.code = :code) = 1",
}
# UNION (not UNION ALL) visits each node once, so diamonds of splits and merges stay
# linear and even a cycle could not loop; depth is counted afterwards from the edges.
# here is the end the walk follows an edge from, there the end it arrives at. The walk carries
# each node's kind from the edge (edges keep both ends' kinds), so only lots look for inflow.
_WALK = """
WITH RECURSIVE walk(node_id, kind) AS (
    {anchor}
    UNION
    SELECT e.{there}_id, e.{there}_kind
    FROM genealogy_edges e JOIN walk w ON e.{here}_id = w.node_id
)
SELECT 0 AS row_kind, n.id, n.kind, n.code, NULL AS lot_item, NULL AS supplier_batch,
       NULL AS supplier, e.id AS edge_id, e.parent_id, e.child_id, e.relation, e.quantity,
       e.unit, e.record, e.created_at
FROM walk w
JOIN genealogy_nodes n ON n.id = w.node_id
LEFT JOIN genealogy_edges e ON e.{here}_id = w.node_id
UNION ALL
SELECT 2, w.node_id, NULL, l.number, i.sku, l.supplier_batch, s.code, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL
FROM walk w
JOIN genealogy_nodes n ON n.id = w.node_id
JOIN lots l ON l.number = n.code
JOIN items i ON i.id = l.item_id
LEFT JOIN receipt_lines r ON r.lot_id = l.id
LEFT JOIN supplier_receipts sr ON sr.id = r.receipt_id
LEFT JOIN suppliers s ON s.id = sr.supplier_id
WHERE w.kind = 'lot'
"""
# Each lot's item, supplier batch and supplier (what a recall names it by) are rows of
# their own, looked up for the lots alone rather than joined to every node reached.
# What each lot of a forward walk received: a lot holds stock, so what it has not issued
# stays in it. (A run or a batch passes on all it has: what went in is made into its children.)
_CAME_IN = """
UNION ALL
SELECT 1, w.node_id, NULL, NULL, NULL, NULL, NULL, e.id, e.parent_id, e.child_id, NULL,
       e.quantity, e.unit, NULL, NULL
FROM walk w JOIN genealogy_edges e ON e.child_id = w.node_id
WHERE w.kind = 'lot'
"""
_EDGE, _INTO = 0, 1  # row kinds; the third (2) is a lot's details
_ENDS = {Direction.FORWARD: ("parent", "child"), Direction.BACK: ("child", "parent")}


def _statement(way: Direction, anchor: str) -> TextualSelect:
    here, there = _ENDS[way]
    sql = _WALK.format(anchor=_ANCHORS[anchor], here=here, there=there)
    return text(sql + (_CAME_IN if way is Direction.FORWARD else "")) \
        .columns(quantity=Numeric(20, 6, asdecimal=True))


WALKS = {(way, anchor): _statement(way, anchor) for way in Direction for anchor in _ANCHORS}

EdgeRow = tuple[int, int, int, str, Decimal, str, str, Any]


class Walked(NamedTuple):
    """What one walk reached."""

    nodes: dict[int, tuple[str, str]]  # id -> (kind, code)
    edges: list[EdgeRow]  # (id, parent, child, relation, quantity, unit, record, at), by id
    flows: list[Flow]
    came_in: dict[int, list[Quantity]]  # lot id -> what came into it (forward walks)
    lots: dict[str, dict[str, str]]  # lot number -> item, supplier batch, supplier


def walk_edges(session: Session, start: int, way: Direction) -> Walked:
    """Return what the walk from node id start reaches in that direction."""
    return _read(session, WALKS[way, "id"], {"start": start})


def walk_code(session: Session, code: str, way: Direction) -> Walked:
    """Return what the walk from the one node whose code is code reaches (nothing if no
    node or several have that code)."""
    return _read(session, WALKS[way, "code"], {"code": code})


def _read(session: Session, statement: TextualSelect, params: dict[str, Any]) -> Walked:
    nodes: dict[int, tuple[str, str]] = {}
    edges: list[EdgeRow] = []
    lots: dict[str, dict[str, str]] = {}
    came_in: dict[int, list[Quantity]] = defaultdict(list)
    quantity = _Quantities()
    # All rows at once (one C call, not one per row), unpacked by position: a Row's
    # attributes cost a lookup each, and a walk reads thousands.
    for what, node, kind, code, item, batch, supplier, *edge in \
            session.execute(statement, params).all():
        if what == _EDGE:
            nodes[node] = (kind, code)
            if edge[0] is not None:
                edges.append(tuple(edge))
        elif what == _INTO:
            came_in[node].append(quantity(edge[4], edge[5]))
        else:
            lots[code] = {"item": item, "supplier_batch": batch or "", "supplier": supplier or ""}
    edges.sort()
    flows = [Flow(e[1], e[2], quantity(e[4], e[5])) for e in edges]
    return Walked(nodes, edges, flows, came_in, lots)


class _Quantities(dict[tuple[Decimal, str], Quantity]):
    """Quantity, remembered: a walk's edges repeat few amounts (1 pcs, a batch's size)."""

    def __call__(self, amount: Decimal, unit: str) -> Quantity:
        found = self.get((amount, unit))
        if found is None:
            found = self[(amount, unit)] = Quantity(amount, unit)
        return found

