"""WIP ageing: batches waiting or in process, by age since their last move, per operation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.batches import BatchState
from ..domain.reports import AGE_BUCKETS, age_bucket, seconds
from ..models import Batch, Item, Operation, RoutingStep
from .reports import Report, Window, report_of

WIP_STATES = (BatchState.WAITING.value, BatchState.IN_PROCESS.value)
OLDEST = 10  # batches listed by code, oldest first
BUCKETS = [key for key, _, _ in AGE_BUCKETS]


class WipReport(Report):
    oldest: list[dict[str, Any]]


def wip_ageing(session: Session, win: Window, *, now: datetime) -> WipReport:
    """Count WIP batches per operation and age bucket as of now, and list the oldest.

    A batch's last move is its last accepted scan, or its creation if never scanned. The
    window is only echoed: WIP is what is on the floor now.
    """
    stmt = (select(Batch.id, Batch.code, Batch.state, Item.sku, Operation.code,
                   Batch.last_scan_at, Batch.created_at)
            .join(Item, Batch.item_id == Item.id)
            .join(RoutingStep, (RoutingStep.routing_id == Batch.routing_id)
                  & (RoutingStep.position == Batch.step_index))
            .join(Operation, RoutingStep.operation_id == Operation.id)
            .where(Batch.state.in_(WIP_STATES)))
    wip = sorted(((scanned or created, batch_id, code, state, sku, op)
                  for batch_id, code, state, sku, op, scanned, created in session.execute(stmt)))
    per_op: dict[str, dict[str, int]] = {}
    for since, _, _, _, _, op in wip:
        per_op.setdefault(op, dict.fromkeys(BUCKETS, 0))[age_bucket(now - since)] += 1
    rows = [{"operation": op, **counts, "total": sum(counts.values())}
            for op, counts in sorted(per_op.items())]
    oldest = [{"batch": code, "item": sku, "operation": op, "state": state,
               "since": since.isoformat(), "age_s": int(seconds(now - since))}
              for since, _, code, state, sku, op in wip[:OLDEST]]
    report = report_of("wip-ageing", win, ["operation", *BUCKETS, "total"], rows)
    return {**report, "oldest": oldest}
