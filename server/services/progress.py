"""Run progress from one aggregate query, not by loading every batch."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.batches import BatchState
from ..domain.runs import FINISHED, REPLACED, BatchProgress, completion
from ..models import Batch, Item, Operation, RoutingStep


def routings(session: Session, routing_ids: set[int]) -> dict[int, list[str]]:
    """Return each routing version's steps as operation codes in order."""
    rows = session.execute(
        select(RoutingStep.routing_id, Operation.code).join(Operation)
        .where(RoutingStep.routing_id.in_(routing_ids)).order_by(RoutingStep.routing_id,
                                                                  RoutingStep.position))
    out: dict[int, list[str]] = defaultdict(list)
    for routing_id, code in rows:
        out[routing_id].append(code)
    return out


def progress_of(session: Session, run_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Summarise runs: open vs closed batches, batches per step, completion %."""
    rows = session.execute(
        select(Batch.run_id, Batch.item_id, Batch.routing_id, Batch.state, Batch.step_index,
               func.count())
        .where(Batch.run_id.in_(run_ids))
        .group_by(Batch.run_id, Batch.item_id, Batch.routing_id, Batch.state,
                  Batch.step_index)).all()
    steps = routings(session, {r[2] for r in rows})
    skus = dict(session.execute(select(Item.id, Item.sku).where(
        Item.id.in_({r[1] for r in rows}))).all())
    grouped: dict[int, list[tuple[int, BatchState, int | None, int]]] = defaultdict(list)
    item_ids: dict[int, set[int]] = defaultdict(set)
    for run_id, item_id, routing_id, state, step_index, count in rows:
        grouped[run_id].append((routing_id, BatchState(state), step_index, count))
        item_ids[run_id].add(item_id)
    return {run_id: {**_summarise(grouped.get(run_id, []), steps),
                     "items": sorted(skus[i] for i in item_ids.get(run_id, set()))}
            for run_id in run_ids}


def _summarise(rows: list[tuple[int, BatchState, int | None, int]],
               steps: dict[int, list[str]]) -> dict[str, Any]:
    per_step: Counter[str] = Counter()
    states: list[BatchProgress] = []
    totals: Counter[str] = Counter()
    for routing_id, state, step_index, count in rows:
        states.append(BatchProgress(state, step_index, len(steps[routing_id]), count))
        if state in REPLACED:
            continue
        totals["batches"] += count
        if state in FINISHED:
            totals["closed"] += count
            totals["done"] += count if state is BatchState.DONE else 0
        elif step_index is not None and step_index < len(steps[routing_id]):
            per_step[steps[routing_id][step_index]] += count
    return {"batches": totals["batches"], "open": totals["batches"] - totals["closed"],
            "closed": totals["closed"], "done": totals["done"], "per_step": dict(per_step),
            "completion": completion(states)}
