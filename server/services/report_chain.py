"""What the serial reports and the cost roll-up read: a thing's ancestry in the genealogy graph.

One recursive walk finds every ancestor of the start; one more query adds every edge out of
them (a lot's issues to other runs, a batch's other children), since what of an ancestor
went into the start is the start's edges over all of the ancestor's edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Numeric, bindparam, func, select, text
from sqlalchemy.orm import Session

from ..domain.costing import Charge, Edge, charges, forward_losses, size
from ..domain.genealogy import NodeKind
from ..domain.quantities import PLACES, UNITS, Quantity, amount_text
from ..errors import NotFound
from ..models import Batch, GenealogyNode, Job, Serial, StepExecution
from .trace import resolve

_EDGES = text("""
WITH RECURSIVE up(node_id) AS (
    SELECT CAST(:start AS INTEGER)
    UNION
    SELECT e.parent_id FROM genealogy_edges e JOIN up u ON e.child_id = u.node_id
)
SELECT e.parent_id, e.child_id, e.relation, e.quantity, e.unit
FROM genealogy_edges e WHERE e.parent_id IN (SELECT node_id FROM up)
ORDER BY e.id
""").columns(quantity=Numeric(20, 6, asdecimal=True))
# Every edge into or out of the starts and their descendants (a merge's other inputs too:
# what a merged batch lost is shared by everything that went into it).
_DESCENT = text("""
WITH RECURSIVE down(node_id) AS (
    SELECT id FROM genealogy_nodes WHERE id IN :starts
    UNION
    SELECT e.child_id FROM genealogy_edges e JOIN down d ON e.parent_id = d.node_id
)
SELECT e.id, e.parent_id, e.child_id, e.relation, e.quantity, e.unit
FROM genealogy_edges e JOIN down d ON e.parent_id = d.node_id
UNION
SELECT e.id, e.parent_id, e.child_id, e.relation, e.quantity, e.unit
FROM genealogy_edges e JOIN down d ON e.child_id = d.node_id
ORDER BY 1
""").columns(quantity=Numeric(20, 6, asdecimal=True)).bindparams(
    bindparam("starts", expanding=True))


# Only batches (their steps) and jobs record losses.
LOSING = (NodeKind.BATCH.value, NodeKind.JOB.value)


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    kind: str
    code: str
    ref_id: int | None


@dataclass
class Ancestry:
    """The start, its ancestors and every edge out of them, with what each gave the start."""

    start: Node
    nodes: dict[int, Node]
    edges: list[tuple[Edge, str]]  # each edge with its relation
    charge: dict[int, Charge | None] = field(default_factory=dict)

    def of_kind(self, kind: NodeKind) -> list[Node]:
        """Return the start and ancestors of one kind, in id order."""
        return [n for _, n in sorted(self.nodes.items()) if n.kind == kind.value]

    def sources(self) -> list[Node]:
        """Return the lots material came from: ancestors with no parent but a receipt."""
        parents: dict[int, set[str]] = {}
        for e, _ in self.edges:
            if e.child in self.nodes:
                parents.setdefault(e.child, set()).add(self.nodes[e.parent].kind)
        return [n for n in self.of_kind(NodeKind.LOT)
                if parents.get(n.id, set()) <= {NodeKind.RECEIPT.value}]

    def consumed(self, node: Node, unit: str) -> tuple[Decimal, Decimal] | None:
        """Return how much of a node went into the start as material and as losses, in unit."""
        charge = self.charge.get(node.id)
        found = size([e.quantity for e, _ in self.edges if e.child == node.id],
                     [e.quantity for e, _ in self.edges if e.parent == node.id])
        if charge is None or found is None or UNITS[unit][0] is not found[0]:
            return None
        whole = found[1] / Fraction(UNITS[unit][1])
        return _decimal(charge.material * whole), _decimal(charge.loss * whole)


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(PLACES)


def ancestry(session: Session, code: str) -> Ancestry:
    """Return the ancestry of what a code names (404 unknown_code), with its charges."""
    start = resolve(session, code)
    rows = session.execute(_EDGES, {"start": start.id}).all()
    ids = {start.id} | {r.parent_id for r in rows}
    nodes = {n.id: Node(n.id, n.kind, n.code, n.ref_id)
             for n in session.scalars(select(GenealogyNode).where(GenealogyNode.id.in_(ids)))}
    edges = [(Edge(r.parent_id, r.child_id, Quantity(r.quantity, r.unit)), r.relation)
             for r in rows]
    found = Ancestry(nodes[start.id], nodes, edges)
    after = lost_after(session, [start.id]).get(start.id)
    found.charge = charges([e for e, _ in edges], start.id,
                           losses(session, list(nodes.values())), after)
    return found


def lost_after(session: Session, starts: list[int]) -> dict[int, Fraction | None]:
    """Return, for each start node, the fraction of it lost at it or after it."""
    if not starts:
        return {}
    rows = session.execute(_DESCENT, {"starts": starts}).all()
    ids = set(starts) | {r.child_id for r in rows} | {r.parent_id for r in rows}
    nodes = [Node(*n) for n in session.execute(
        select(GenealogyNode.id, GenealogyNode.kind, GenealogyNode.code, GenealogyNode.ref_id)
        .where(GenealogyNode.id.in_(ids), GenealogyNode.kind.in_(LOSING)))]
    edges = [Edge(r.parent_id, r.child_id, Quantity(r.quantity, r.unit)) for r in rows]
    return forward_losses(edges, losses(session, nodes), starts)


def losses(session: Session, nodes: list[Node]) -> dict[int, Quantity]:
    """Return the scrap and waste recorded on each batch's steps and each job, by node."""
    result: dict[int, Quantity] = {}
    batches = {n.ref_id: n.id for n in nodes if n.kind == NodeKind.BATCH and n.ref_id}
    if batches:
        stmt = (select(StepExecution.batch_id, Batch.unit,
                       func.sum(StepExecution.quantity_scrapped + StepExecution.quantity_waste))
                .join(Batch, Batch.id == StepExecution.batch_id)
                .where(StepExecution.batch_id.in_(batches), StepExecution.undone_at.is_(None))
                .group_by(StepExecution.batch_id, Batch.unit))
        for batch_id, unit, lost in session.execute(stmt):
            result[batches[batch_id]] = Quantity(Decimal(lost or 0).quantize(PLACES), unit)
    jobs = {n.ref_id: n.id for n in nodes if n.kind == NodeKind.JOB and n.ref_id}
    for job in session.scalars(select(Job).where(Job.id.in_(jobs))) if jobs else ():
        lost = job.scrapped_weight + job.waste_weight
        result[jobs[job.id]] = (Quantity(Decimal(lost).quantize(PLACES), "g")
                                if job.issued_weight else
                                Quantity(Decimal(job.scrapped_pieces + job.waste_pieces), "pcs"))
    return result


def has_control(text: str) -> bool:
    """Tell whether text holds a control character (no code does; PostgreSQL cannot even
    compare text holding a NUL)."""
    return any(c < " " or c == "\x7f" for c in text)


def serial_by_code(session: Session, code: str) -> Serial:
    """Return a finished serial, or 404 unknown_code."""
    serial = None if has_control(code) else session.scalar(
        select(Serial).where(Serial.code == code))
    if serial is None:
        raise NotFound(f"no serial {code!r}", code="unknown_code", value=code)
    return serial


def text_of(value: Decimal | None) -> str | None:
    """Return an amount as decimal text, or None."""
    return None if value is None else amount_text(value)


def when(value: Any) -> str | None:
    """Return a datetime (or date) as ISO text, or None."""
    return None if value is None else value.isoformat()
