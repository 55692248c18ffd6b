"""Where stock meets the genealogy graph: lot nodes, issue targets and the edges stock writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind, Relation
from ..domain.quantities import Quantity
from ..errors import NotFound
from ..models import Batch, GenealogyNode, Job, Lot, ProductionRun, StockMovement
from . import genealogy

if TYPE_CHECKING:
    from .stock import Target

# What material may be issued to, and the node kind it is in the graph.
TARGETS: dict[str, NodeKind] = {"run": NodeKind.RUN, "batch": NodeKind.BATCH,
                               "job": NodeKind.JOB}


def lot_node(session: Session, lot: Lot) -> GenealogyNode:
    """Return the lot's graph node, made on first use."""
    return genealogy.node(session, NodeKind.LOT, lot.number, lot.id)


def target_node(session: Session, target: Target) -> GenealogyNode:
    """Return the graph node of a run, batch or job, or raise unknown_target."""
    ref = None
    if target.kind == "run":
        ref = session.scalar(select(ProductionRun.id).where(ProductionRun.number == target.code))
    elif target.kind == "batch":
        ref = session.scalar(select(Batch.id).where(Batch.code == target.code))
    elif target.kind == "job":
        ref = session.scalar(select(Job.id).where(Job.number == target.code))
    if ref is None:
        raise NotFound(f"no {target.kind} {target.code!r} to issue to", code="unknown_target",
                       kind=target.kind, target=target.code)
    return genealogy.node(session, TARGETS[target.kind], target.code, ref)


def edge(session: Session, parent: GenealogyNode, child: GenealogyNode, relation: str,
         quantity: Quantity, movement: StockMovement) -> None:
    """Write parent -relation-> child for a movement, naming it as the record."""
    genealogy.link(session, parent, child, Relation(relation), quantity,
                   record=f"stock_movement:{movement.id}", audit_id=movement.audit_id,
                   at=movement.at)
