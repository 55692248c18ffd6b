"""Reasons behind lost quantity: holds, scraps and quantity records, per item and operation.

The reasons live in the audit trail (batch.hold, batch.scrap, step.quantities); a change an
undo took back does not count.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditRecord, Batch, Item, Operation, Routing, RoutingStep
from .reports import Report, Window, report_of

KINDS = {"batch.hold": "hold", "batch.scrap": "scrap", "step.quantities": "quantities"}


def reasons(session: Session, win: Window) -> Report:
    """Count the holds, scraps and quantity records per item, operation, kind and reason."""
    records = session.execute(
        select(AuditRecord, Batch.routing_id)
        .join(Batch, Batch.code == AuditRecord.entity_key)
        .where(AuditRecord.entity_type == "batch", AuditRecord.action.in_(KINDS),
               AuditRecord.at >= win.start, AuditRecord.at < win.end)).all()
    undone = _undone(session, win)
    operations = _routings(session, {routing for _, routing in records})
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for row, routing_id in records:
        if f"audit:{row.id}" in undone:
            continue
        position = _position(row)
        sku, ops = operations[routing_id]
        operation = ops.get(position, "") if position is not None else ""
        counts[(sku, operation, KINDS[row.action], row.reason.strip())] += 1
    rows = [{"item": k[0], "operation": k[1], "kind": k[2], "reason": k[3], "count": n}
            for k, n in sorted(counts.items())]
    return report_of("reasons", win, ["item", "operation", "kind", "reason", "count"],
                     rows)


def _position(row: AuditRecord) -> int | None:
    # step.quantities names its step; a hold or scrap says where the batch was ("from").
    if row.action == "step.quantities":
        value = row.changes.get("position")
    else:
        value = (row.changes.get("from") or {}).get("step_index")
    return value if isinstance(value, int) else None


def _undone(session: Session, win: Window) -> set[str]:
    changes = session.scalars(select(AuditRecord.changes).where(
        AuditRecord.action == "batch.undo", AuditRecord.at >= win.start))
    return {str(c.get("undoes")) for c in changes}


def _routings(session: Session, routings: set[int]) -> dict[int, tuple[str, dict[int, str]]]:
    """Return each routing version's item SKU and its operation code per position."""
    found: dict[int, tuple[str, dict[int, str]]] = {}
    rows = session.execute(
        select(Routing.id, Item.sku, RoutingStep.position, Operation.code)
        .join(Item, Routing.item_id == Item.id)
        .join(RoutingStep, RoutingStep.routing_id == Routing.id, isouter=True)
        .join(Operation, RoutingStep.operation_id == Operation.id, isouter=True)
        .where(Routing.id.in_(routings)))
    for routing_id, sku, position, code in rows:
        _, ops = found.setdefault(routing_id, (sku, {}))
        if position is not None:
            ops[position] = code
    return found
