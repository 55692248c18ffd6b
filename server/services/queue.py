"""A station's work queue: batches at its operation, ready, in process or on hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict  # pydantic (OpenAPI) needs it on Python 3.11

from ..domain.batches import BatchState
from ..domain.quantities import amount_text
from ..domain.runs import ACTIVE
from ..models import Batch, Item, ProductionRun, Routing, RoutingStep, Station
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


def station_queue(session: Session, name: str) -> list[QueueEntry]:
    """Return the batches waiting for station name's operation, most urgent first."""
    station = station_by_name(session, name)
    return queue_for(session, station)


def queue_for(session: Session, station: Station) -> list[QueueEntry]:
    """Return station's queue: due date first (none last), then oldest batch first."""
    stmt = (select(Batch, ProductionRun.due_date)
            .join(ProductionRun, Batch.run_id == ProductionRun.id)
            .join(RoutingStep, and_(RoutingStep.routing_id == Batch.routing_id,
                                    RoutingStep.position == Batch.step_index))
            .where(RoutingStep.operation_id == station.operation_id,
                   Batch.state.in_(tuple(QUEUE_STATES)),
                   ProductionRun.status.in_(OPEN_RUNS))
            .order_by(ProductionRun.due_date.is_(None), ProductionRun.due_date,
                      Batch.created_at, Batch.id)
            .limit(QUEUE_LIMIT))
    return [_entry(batch, due, station.operation.code) for batch, due in session.execute(stmt)]


def _entry(batch: Batch, due: datetime | None, step: str) -> QueueEntry:
    return {"code": batch.code, "run": batch.run.number, "item": batch.item.sku,
            "item_name": batch.item.name, "quantity": amount_text(batch.quantity),
            "unit": batch.unit, "state": batch.state, "queue_state": QUEUE_STATES[batch.state],
            "step": step, "due_date": due.date().isoformat() if due else None,
            "hold_reason": batch.hold_reason, "created_at": batch.created_at.isoformat(),
            "version": batch.version}


def stations_serving(session: Session, skus: set[str]) -> list[str]:
    """Return the names of stations whose operation is on the routing of any of these items."""
    if not skus:
        return []
    # Any version: batches on the floor may still follow an older one.
    ops = select(RoutingStep.operation_id).join(Routing, RoutingStep.routing_id == Routing.id) \
        .join(Item, Routing.item_id == Item.id).where(Item.sku.in_(skus))
    return list(session.scalars(select(Station.name).where(Station.operation_id.in_(ops))
                                .order_by(Station.name)))
