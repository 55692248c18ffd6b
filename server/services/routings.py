"""Routing versions: saving a changed routing adds a version; batches keep theirs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.batches import OPEN_STATES
from ..errors import BadRequest, Conflict
from ..models import Batch, Item, Routing, RoutingStep
from . import audit
from .actors import Actor
from .catalog import item_by_sku, item_dict, operation_by_code


def new_routing(session: Session, actor: Actor, version: int, operations: list[str],
                note: str = "") -> Routing:
    """Build a routing version from operation codes in order (archived operations refused)."""
    ops = [operation_by_code(session, code) for code in operations]
    for op in ops:
        if op.archived:
            raise BadRequest(f"operation {op.code!r} is archived", code="archived_operation",
                             operation=op.code)
    return Routing(version=version, created_by=actor.name, note=note,
                   steps=[RoutingStep(position=i, operation=op) for i, op in enumerate(ops)])


def save_routing(session: Session, actor: Actor, sku: str, operations: list[str], *,
                 note: str = "") -> dict[str, Any]:
    """Make operations the item's routing: a new current version, unless nothing changed.

    Batches already made keep the version they were made with; new runs take this one.
    """
    actor.require("planner")
    # Lock the item: two planners saving at once must not both make the same version.
    item = session.scalar(select(Item).where(Item.sku == sku).with_for_update())
    if item is None:
        item = item_by_sku(session, sku)  # raises NotFound
    if item.archived:
        raise Conflict(f"item {sku!r} is archived", code="archived_item", sku=sku)
    current = item.current_routing
    if [s.operation.code for s in current.steps] == operations:
        return routing_detail(session, item)
    routing = new_routing(session, actor, current.version + 1, operations, note)
    item.routings.append(routing)
    session.flush()
    audit.record(session, actor, "item.routing", "item", sku, version=routing.version,
                 routing=operations, note=note,
                 previous=[s.operation.code for s in current.steps])
    return routing_detail(session, item)


def routing_detail(session: Session, item: Item) -> dict[str, Any]:
    """Return an item with every routing version and its active batch count."""
    counts = dict(session.execute(
        select(Batch.routing_id, func.count()).where(
            Batch.item_id == item.id, Batch.state.in_([s.value for s in OPEN_STATES]))
        .group_by(Batch.routing_id)).all())
    current = item.current_routing.id
    return {**item_dict(item), "versions": [
        {"version": r.version, "current": r.id == current, "note": r.note,
         "created_at": r.created_at.isoformat(), "created_by": r.created_by,
         "active_batches": counts.get(r.id, 0),
         "steps": [{"position": s.position, "operation": s.operation.code,
                    "name": s.operation.name} for s in r.steps]}
        for r in reversed(item.routings)]}
