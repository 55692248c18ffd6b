"""Trace any code backward (where it came from) or forward (where it went), at any depth.

One recursive SQL walk finds every node reachable from the start along the edges in the
chosen direction, across splits, merges, issues and shipments alike, with each reached
node's edges in that direction; the domain then attributes the start's material to them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from sqlalchemy import Numeric, bindparam, select, text
from sqlalchemy.orm import Session

from ..domain.attribution import Direction, Flow, attribute, depths, start_total
from ..domain.genealogy import NodeKind
from ..domain.quantities import PLACES, Quantity, amount_text
from ..errors import BadRequest, NotFound
from ..models import GenealogyNode, Lot

# UNION (not UNION ALL) visits each node once, so diamonds of splits and merges stay
# linear and even a cycle could not loop; depth is counted afterwards from the edges.
# FROM_COL is the column the walk follows from, TO_COL the one it arrives at.
_WALK = """
WITH RECURSIVE walk(node_id) AS (
    SELECT CAST(:start AS INTEGER)
    UNION
    SELECT e.TO_COL FROM genealogy_edges e JOIN walk w ON e.FROM_COL = w.node_id
)
SELECT n.id, n.kind, n.code, i.sku AS lot_item, l.supplier_batch, s.code AS supplier,
       e.id AS edge_id, e.parent_id, e.child_id, e.relation, e.quantity, e.unit, e.record,
       e.created_at
FROM walk w
JOIN genealogy_nodes n ON n.id = w.node_id
LEFT JOIN genealogy_edges e ON e.FROM_COL = w.node_id
LEFT JOIN lots l ON n.kind = 'lot' AND l.number = n.code
LEFT JOIN items i ON i.id = l.item_id
LEFT JOIN receipt_lines r ON r.lot_id = l.id
LEFT JOIN supplier_receipts sr ON sr.id = r.receipt_id
LEFT JOIN suppliers s ON s.id = sr.supplier_id
ORDER BY n.id, e.id
"""
# Each lot's item, supplier batch and supplier come with the walk: what a recall needs to
# name it, without another round trip.
# What each lot of a forward walk received: a lot holds stock, so what it has not issued
# stays in it. (A run or a batch passes on all it has: what went in is made into its children.)
# Only the lots the walk reached, by id: no second walk.
INTO = text("SELECT e.child_id, e.quantity, e.unit FROM genealogy_edges e"
            " WHERE e.child_id IN :lots").bindparams(bindparam("lots", expanding=True)) \
    .columns(quantity=Numeric(20, 6, asdecimal=True))
WALKS = {
    way: text(_WALK.replace("FROM_COL", here).replace("TO_COL", there))
    .columns(quantity=Numeric(20, 6, asdecimal=True))
    for way, (here, there) in {Direction.FORWARD: ("parent_id", "child_id"),
                               Direction.BACK: ("child_id", "parent_id")}.items()
}


class Start(NamedTuple):
    """The node a walk starts from."""

    id: int
    kind: str
    code: str


_NODE = select(GenealogyNode.id, GenealogyNode.kind, GenealogyNode.code)


def resolve(session: Session, code: str) -> GenealogyNode:
    """Return the node a code names: a code unique across kinds, "kind:code", or a lot's
    supplier batch number."""
    node = session.get(GenealogyNode, find_start(session, code).id)
    assert node is not None
    return node


def find_start(session: Session, code: str) -> Start:
    """Return the id, kind and code of the node a code names (as resolve, without the ORM)."""
    if any(c < " " or c == "\x7f" for c in code):  # PostgreSQL cannot compare text with NUL
        raise NotFound(f"nothing traced has the code {code!r}", code="unknown_code", value=code)
    found = session.execute(_NODE.where(GenealogyNode.code == code)
                            .order_by(GenealogyNode.kind)).all()
    if not found and ":" in code:
        kind, _, rest = code.partition(":")
        if kind in NodeKind.__members__.values():
            found = session.execute(_NODE.where(GenealogyNode.kind == kind,
                                                GenealogyNode.code == rest)).all()
    if not found and code:
        # A recall starts from the supplier's batch number printed on their label.
        found = session.execute(
            _NODE.join(Lot, Lot.number == GenealogyNode.code)
            .where(GenealogyNode.kind == NodeKind.LOT.value, Lot.supplier_batch == code)
            .order_by(GenealogyNode.code)).all()
    if not found:
        raise NotFound(f"nothing traced has the code {code!r}", code="unknown_code", value=code)
    if len(found) > 1:
        kinds = [n.kind for n in found]
        what = ("a " + " and a ".join(kinds)) if len(set(kinds)) == len(kinds) \
            else f"{len(kinds)} lots"
        raise BadRequest(f"{code!r} names {what}; say which as kind:code",
                         code="ambiguous_code", value=code, kinds=kinds,
                         choices=[f"{n.kind}:{n.code}" for n in found])
    return Start(*found[0])


def trace(session: Session, code: str, direction: str = "back") -> dict[str, Any]:
    """Return the nodes and edges reached from code, each node with its share of the start."""
    try:
        way = Direction(direction)
    except ValueError:
        raise BadRequest("direction is back or forward", code="bad_direction",
                         direction=direction, allowed=[d.value for d in Direction]) from None
    start = find_start(session, code)
    nodes, edges, flows, came_in, lots = walk_edges(session, start.id, way)
    shares = attribute(flows, start.id, way, came_in)
    depth = depths(flows, start.id, way)
    total = start_total(flows, start.id, way, came_in.get(start.id, ()))
    listed = sorted(nodes, key=lambda n: (depth.get(n, 0), nodes[n][0], nodes[n][1]))
    text_of, time_of = _Texts(), Times()
    return {
        "start": {"kind": start.kind, "code": start.code}, "direction": way.value,
        "total": _quantity(total),
        "nodes": [{"kind": nodes[n][0], "code": nodes[n][1], "depth": depth.get(n, 0),
                   **_share(shares.get(n), total, text_of),
                   **(lots.get(nodes[n][1], {}) if nodes[n][0] == NodeKind.LOT else {})}
                  for n in listed],
        "edges": [{"parent_kind": nodes[parent][0], "parent": nodes[parent][1],
                   "child_kind": nodes[child][0], "child": nodes[child][1],
                   "relation": relation, "quantity": text_of(qty), "unit": unit,
                   "record": record, "at": time_of(at)}
                  for _, parent, child, relation, qty, unit, record, at in edges],
    }


_EdgeRow = tuple[int, int, int, str, Decimal, str, str, Any]


def walk_edges(session: Session, start: int, way: Direction
               ) -> tuple[dict[int, tuple[str, str]], list[_EdgeRow], list[Flow],
                          dict[int, list[Quantity]], dict[str, dict[str, str]]]:
    """Return the nodes reached, their edges (id, parent, child, relation, quantity, unit,
    record, at) in id order, the flows, what came into each lot and each lot's details."""
    nodes: dict[int, tuple[str, str]] = {}
    edges: list[_EdgeRow] = []
    lots: dict[str, dict[str, str]] = {}
    # Unpacked by position: a Row's attributes cost a lookup each; a walk reads thousands.
    for node, kind, code, item, batch, supplier, *edge in session.execute(
            WALKS[way], {"start": start}):
        nodes[node] = (kind, code)
        if item is not None:
            lots[code] = {"item": item, "supplier_batch": batch or "", "supplier": supplier or ""}
        if edge[0] is not None:
            edges.append(tuple(edge))
    edges.sort()
    quantity = _Quantities()
    flows = [Flow(e[1], e[2], quantity(e[4], e[5])) for e in edges]
    came_in: dict[int, list[Quantity]] = defaultdict(list)
    lot_ids = [n for n, (kind, _) in nodes.items() if kind == NodeKind.LOT]
    if way is Direction.FORWARD and lot_ids:
        for child, qty, unit in session.execute(INTO, {"lots": lot_ids}):
            came_in[child].append(quantity(qty, unit))
    return nodes, edges, flows, came_in, lots


class Times(dict[Any, str]):
    """An edge's time in ISO form, remembered (a split's edges share one): SQLite hands back
    the stored text, parsed here in C (the generic DateTime type's parser cost more than the
    whole walk), PostgreSQL a datetime."""

    def __call__(self, value: datetime | str) -> str:
        found = self.get(value)
        if found is None:
            at = value if isinstance(value, datetime) else datetime.fromisoformat(value)
            found = self[value] = (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()
        return found


class _Quantities(dict[tuple[Decimal, str], Quantity]):
    """Quantity, remembered: a walk's edges repeat few amounts (1 pcs, a batch's size)."""

    def __call__(self, amount: Decimal, unit: str) -> Quantity:
        found = self.get((amount, unit))
        if found is None:
            found = self[(amount, unit)] = Quantity(amount, unit)
        return found


class _Texts(dict[Decimal, str]):
    """amount_text, remembered: a walk repeats few amounts many times (1 pcs, a lot's share)."""

    def __call__(self, amount: Decimal) -> str:
        found = self.get(amount)
        if found is None:
            found = self[amount] = amount_text(amount)
        return found


def _share(share: Fraction | None, total: Quantity | None, text_of: _Texts
           ) -> dict[str, Any]:
    if share is None:
        return {"share": None, "share_decimal": None, "amount": None, "unit": None}
    n, d = share.numerator, share.denominator
    exact = str(n) if d == 1 else f"{n}/{d}"
    if total is None:
        return {"share": exact, "share_decimal": text_of(_decimal(n, d)), "amount": None,
                "unit": None}
    tn, td = total.amount.as_integer_ratio()
    return {"share": exact, "share_decimal": text_of(_decimal(n, d)),
            "amount": text_of(_decimal(n * tn, d * td)), "unit": total.unit}


def _decimal(n: int, d: int) -> Decimal:
    """as_decimal(Fraction(n, d)) without making the Fraction: the same correctly rounded
    quotient, to the stored precision."""
    return (Decimal(n) / Decimal(d)).quantize(PLACES)


def _quantity(qty: Quantity | None) -> dict[str, str] | None:
    return None if qty is None else {"quantity": amount_text(qty.amount), "unit": qty.unit}
