"""A run's batch flow: its batches as nodes and their split/merge edges, for the flow graph."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..domain.genealogy import NodeKind
from ..domain.quantities import amount_text
from ..models import GenealogyEdge, GenealogyNode, StepExecution
from .batches import batch_summary, execution_dict
from .runs import run_by_number

TIMELINE_LIMIT = 2000


def run_flow(session: Session, number: str) -> dict[str, Any]:
    """Return the run's batches (nodes) and parent -> child edges with relation and quantity."""
    run = run_by_number(session, number)
    ids = {b.id: b.code for b in run.batches}
    codes = set(ids.values())
    batch = NodeKind.BATCH.value
    child = aliased(GenealogyNode)
    edges: list[GenealogyEdge] = list(session.scalars(
        select(GenealogyEdge).join(child, child.id == GenealogyEdge.child_id)
        .where(GenealogyEdge.parent_kind == batch, GenealogyEdge.child_kind == batch,
               child.code.in_(codes))
        .order_by(GenealogyEdge.id))) if ids else []
    return {
        "run": run.number, "version": run.version,
        "nodes": [batch_summary(b) for b in run.batches],
        "edges": [{"parent": e.parent.code, "child": e.child.code,
                   "relation": e.relation, "quantity": amount_text(e.quantity), "unit": e.unit}
                  for e in edges if e.parent.code in codes],
        "timeline": timeline(session, ids),
    }


def timeline(session: Session, batch_codes: dict[int, str]) -> list[dict[str, Any]]:
    """Return the step executions of these batches (id -> code), in the order they started."""
    if not batch_codes:
        return []
    rows = session.scalars(select(StepExecution)
                           .where(StepExecution.batch_id.in_(list(batch_codes)),
                                  StepExecution.undone_at.is_(None))
                           .order_by(StepExecution.started_at, StepExecution.id)
                           .limit(TIMELINE_LIMIT))
    return [{"batch": batch_codes[e.batch_id], **execution_dict(e)} for e in rows]
