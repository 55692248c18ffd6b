"""Trace any code backward (where it came from) or forward (where it went), at any depth.

One recursive SQL walk (server/services/trace_walk.py) finds every node reachable from the
start along the edges in the chosen direction, across splits, merges, issues and shipments
alike, with each reached node's edges in that direction; the domain then attributes the
start's material to them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.attribution import Direction, attribute, depths, start_total
from ..domain.genealogy import NodeKind
from ..domain.quantities import PLACES, Quantity, amount_text
from ..errors import BadRequest, NotFound
from ..models import GenealogyNode, Lot
from .trace_walk import Walked, walk_code, walk_edges


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
    _check_code(code)
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


def _check_code(code: str) -> None:
    if any(c < " " or c == "\x7f" for c in code):  # PostgreSQL cannot compare text with NUL
        raise NotFound(f"nothing traced has the code {code!r}", code="unknown_code", value=code)


def trace(session: Session, code: str, direction: str = "back") -> dict[str, Any]:
    """Return the nodes and edges reached from code, each node with its share of the start."""
    way = _direction(direction)
    _check_code(code)
    # One statement when one node has the code, the usual case; else the code is resolved
    # the long way (kind:code, a supplier batch, or the error saying why not), then walked.
    walked = walk_code(session, code, way)
    found = [(n, kind) for n, (kind, named) in walked.nodes.items() if named == code]
    if len(found) != 1:
        return trace_from(session, find_start(session, code), way.value)
    return report(Start(found[0][0], found[0][1], code), walked, way)


def trace_from(session: Session, start: Start, direction: str = "back") -> dict[str, Any]:
    """Return the trace from a node already found (as trace does from a code)."""
    way = _direction(direction)
    return report(start, walk_edges(session, start.id, way), way)


def _direction(direction: str) -> Direction:
    try:
        return Direction(direction)
    except ValueError:
        raise BadRequest("direction is back or forward", code="bad_direction",
                         direction=direction, allowed=[d.value for d in Direction]) from None


def report(start: Start, walked: Walked, way: Direction) -> dict[str, Any]:
    """Return the trace of a walk: each node with its share of the start, and the edges."""
    nodes, edges, flows, came_in, lots = walked
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
