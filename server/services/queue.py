"""A station's work queue: batches at its operation, ready, in process or on hold."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict  # pydantic (OpenAPI) needs it on Python 3.11

from ..domain.batches import BatchState
from ..domain.quantities import amount_text
from ..domain.runs import ACTIVE
from ..models import Batch, Item, Operation, ProductionRun, Routing, RoutingStep, Station
from ..models.base import values_of
from .plant import station_by_name

# Batch state -> what the queue calls it; closed states (done, scrapped, split, merged,
# cancelled) never reach a queue.
QUEUE_STATES = {BatchState.WAITING.value: "ready", BatchState.IN_PROCESS.value: "in_process",
                BatchState.ON_HOLD.value: "on_hold"}
OPEN_RUNS = values_of(ACTIVE)
QUEUE_LIMIT = 200  # a kiosk shows the head of the queue; more would not fit anyway


class QueueEntry(TypedDict):
    code: str
    run: str
    item: str
    item_name: str
    quantity: str
    unit: str
    state: str
    queue_state: str
    step: str
    due_date: str | None
    hold_reason: str | None
    created_at: str
    version: int


# Built once; the queue is pushed to kiosks with every flush of batch changes.
QUEUE = (select(Batch.code, ProductionRun.number.label("run"), Item.sku.label("item"),
                Item.name.label("item_name"), Batch.quantity, Batch.unit, Batch.state,
                ProductionRun.due_date, Batch.hold_reason, Batch.created_at, Batch.version)
         .join(ProductionRun, Batch.run_id == ProductionRun.id)
         .join(Item, Batch.item_id == Item.id)
         .join(RoutingStep, and_(RoutingStep.routing_id == Batch.routing_id,
                                 RoutingStep.position == Batch.step_index))
         .where(RoutingStep.operation_id == bindparam("operation_id"),
                Batch.state.in_(tuple(QUEUE_STATES)),
                ProductionRun.status.in_(OPEN_RUNS))
         .order_by(ProductionRun.due_date.is_(None), ProductionRun.due_date,
                   Batch.created_at, Batch.id)
         .limit(QUEUE_LIMIT))
# Any routing version: batches on the floor may still follow an older one.
_OPS = (select(RoutingStep.operation_id).join(Routing, RoutingStep.routing_id == Routing.id)
        .join(Item, Routing.item_id == Item.id)
        .where(Item.sku.in_(bindparam("skus", expanding=True))))
SERVING = (select(Station.name, Station.operation_id, Operation.code)
           .join(Operation, Operation.id == Station.operation_id)
           .where(Station.operation_id.in_(_OPS)).order_by(Station.name))


def station_queue(session: Session, name: str) -> list[QueueEntry]:
    """Return the batches waiting for station name's operation, most urgent first."""
    station = station_by_name(session, name)
    return queue_for(session, station)


def queue_for(session: Session, station: Station) -> list[QueueEntry]:
    """Return station's queue: due date first (none last), then oldest batch first."""
    return operation_queue(session, station.operation_id, station.operation.code)


def operation_queue(session: Session, operation_id: int, step: str) -> list[QueueEntry]:
    """Return the queue every station of an operation shows (one query, no ORM objects)."""
    rows = cast("list[Row[Any]]", session.execute(QUEUE, {"operation_id": operation_id}).all())
    return [_entry(row, step) for row in rows]


def serving(session: Session, skus: set[str]) -> list[tuple[int, str, list[str]]]:
    """Return (operation id, code, station names) per operation these items pass through.

    A queue depends on the operation only, so stations sharing one share its queue.
    """
    if not skus:
        return []
    by_op: dict[int, tuple[str, list[str]]] = {}
    for name, op_id, code in session.execute(SERVING, {"skus": sorted(skus)}):
        by_op.setdefault(op_id, (code, []))[1].append(name)
    return [(op_id, code, names) for op_id, (code, names) in by_op.items()]


def _entry(row: Row[Any], step: str) -> QueueEntry:
    return {"code": row.code, "run": row.run, "item": row.item, "item_name": row.item_name,
            "quantity": amount_text(row.quantity), "unit": row.unit, "state": row.state,
            "queue_state": QUEUE_STATES[row.state], "step": step,
            "due_date": row.due_date.date().isoformat() if row.due_date else None,
            "hold_reason": row.hold_reason, "created_at": row.created_at.isoformat(),
            "version": row.version}
