"""Reasons behind lost quantity: holds, scraps and quantity records, per item and operation.

The reasons live in the audit trail (batch.hold, batch.scrap, step.quantities); a change an
undo took back does not count.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditRecord, Batch, Item, Operation, RoutingStep
from .reports import Report, Window, report_of

KINDS = {"batch.hold": "hold", "batch.scrap": "scrap", "step.quantities": "quantities"}


def reasons(session: Session, win: Window) -> Report:
    """Count the holds, scraps and quantity records per item, operation, kind and reason."""
    records = session.execute(
        select(AuditRecord, Batch.item_id)
        .join(Batch, Batch.code == AuditRecord.entity_key)
        .where(AuditRecord.entity_type == "batch", AuditRecord.action.in_(KINDS),
               AuditRecord.at >= win.start, AuditRecord.at < win.end)).all()
    undone = _undone(session, win)
    operations = _routings(session, {item for _, item in records})
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for row, item_id in records:
        if f"audit:{row.id}" in undone:
            continue
        position = _position(row)
        sku, ops = operations[item_id]
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


def _routings(session: Session, items: set[int]) -> dict[int, tuple[str, dict[int, str]]]:
    """Return each item's SKU and its operation code per routing position."""
    found: dict[int, tuple[str, dict[int, str]]] = {}
    rows = session.execute(
        select(Item.id, Item.sku, RoutingStep.position, Operation.code)
        .join(RoutingStep, RoutingStep.item_id == Item.id, isouter=True)
        .join(Operation, RoutingStep.operation_id == Operation.id, isouter=True)
        .where(Item.id.in_(items)))
    for item_id, sku, position, code in rows:
        _, ops = found.setdefault(item_id, (sku, {}))
        if position is not None:
            ops[position] = code
    return found
