"""Run progress from one aggregate query, not by loading every batch."""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, or_, select
from sqlalchemy.orm import Session

from ..domain.batches import BatchState
from ..domain.pace import PACE_WINDOW
from ..domain.runs import FINISHED, REPLACED, BatchProgress, completion
from ..models import Batch, Item, Operation, ProductionRun, RoutingStep, StepExecution

HELD_SHOWN = 20  # per run: a screen lists the held batches, not hundreds of them
_routings: weakref.WeakKeyDictionary[Any, dict[int, list[str]]] = weakref.WeakKeyDictionary()


def routings(session: Session, routing_ids: set[int]) -> dict[int, list[str]]:
    """Return each routing version's steps as operation codes in order."""
    # A routing version never changes once saved (an edit saves a new version), so each
    # process keeps them per engine: live run progress asks for them with every flush.
    cache = _routings.setdefault(session.get_bind(), {})
    missing = routing_ids - cache.keys()
    if missing:
        rows = session.execute(
            select(RoutingStep.routing_id, Operation.code).join(Operation)
            .where(RoutingStep.routing_id.in_(missing)).order_by(RoutingStep.routing_id,
                                                                 RoutingStep.position))
        found: dict[int, list[str]] = {routing_id: [] for routing_id in missing}
        for routing_id, code in rows:
            found[routing_id].append(code)
        cache.update(found)
    out: dict[int, list[str]] = defaultdict(list)
    out.update((routing_id, list(cache[routing_id])) for routing_id in routing_ids)
    return out


# Built once: live run progress runs these with every flush, and building a statement cost
# more than the database took to answer it.
RUN_IDS: BindParameter[list[int]] = bindparam("run_ids", expanding=True)
_PROGRESS = (select(Batch.run_id, Item.sku, Batch.routing_id, Batch.state, Batch.step_index,
                    func.count())
             .join(Batch.item).where(Batch.run_id.in_(RUN_IDS))
             .group_by(Batch.run_id, Item.sku, Batch.routing_id, Batch.state, Batch.step_index))
_HELD = (select(Batch.run_id, Batch.code, Batch.routing_id, Batch.step_index, Batch.hold_reason)
         .where(Batch.run_id.in_(RUN_IDS), Batch.state == BatchState.ON_HOLD.value)
         .order_by(Batch.id))
_PACED = (select(Batch.run_id, func.count())
          .select_from(StepExecution).join(StepExecution.batch).join(Batch.run)
          .where(Batch.run_id.in_(RUN_IDS),
                 StepExecution.finished_at >= bindparam("since"),
                 StepExecution.finished_at <= bindparam("now"),
                 StepExecution.undone_at.is_(None),
                 or_(ProductionRun.started_at.is_(None),
                     StepExecution.finished_at >= ProductionRun.started_at))
          .group_by(Batch.run_id))


def progress_of(session: Session, run_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Summarise runs: open vs closed batches, moving WIP per step, held, completion %."""
    rows = session.execute(_PROGRESS, {"run_ids": run_ids}).all()
    steps = routings(session, {r[2] for r in rows})
    grouped: dict[int, list[tuple[int, BatchState, int | None, int]]] = defaultdict(list)
    skus: dict[int, set[str]] = defaultdict(set)
    for run_id, sku, routing_id, state, step_index, count in rows:
        grouped[run_id].append((routing_id, BatchState(state), step_index, count))
        skus[run_id].add(sku)
    held = _held(session, run_ids, steps)
    return {run_id: {**_summarise(grouped.get(run_id, []), steps),
                     "items": sorted(skus.get(run_id, set())),
                     "held_batches": held.get(run_id, [])}
            for run_id in run_ids}


def _held(session: Session, run_ids: list[int], steps: dict[int, list[str]]
          ) -> dict[int, list[dict[str, Any]]]:
    """Return each run's held batches (code, step, reason), oldest first."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for run_id, code, routing_id, index, reason in session.execute(_HELD,
                                                                   {"run_ids": run_ids}):
        if len(out[run_id]) < HELD_SHOWN:
            route = steps.get(routing_id, [])
            out[run_id].append({"code": code, "reason": reason or "",
                                "step": route[index] if index is not None
                                and index < len(route) else None})
    return out


def paced_finishes(session: Session, run_ids: list[int], now: datetime) -> dict[int, int]:
    """Count each run's steps finished since its pace_start (undone steps left out)."""
    rows = session.execute(_PACED, {"run_ids": run_ids, "since": now - PACE_WINDOW, "now": now})
    return {run_id: count for run_id, count in rows}


def _summarise(rows: list[tuple[int, BatchState, int | None, int]],
               steps: dict[int, list[str]]) -> dict[str, Any]:
    per_step: Counter[str] = Counter()
    states: list[BatchProgress] = []
    totals: Counter[str] = Counter()
    for routing_id, state, step_index, count in rows:
        route = len(steps[routing_id])
        states.append(BatchProgress(state, step_index, route, count))
        if state in REPLACED:
            continue
        totals["batches"] += count
        if state in FINISHED:
            totals["closed"] += count
            totals["done"] += count if state is BatchState.DONE else 0
            continue
        totals["remaining_steps"] += count * max(0, route - (step_index or 0))
        if state is BatchState.ON_HOLD:
            totals["held"] += count  # open, but not moving: not work in progress
        elif step_index is not None and step_index < route:
            per_step[steps[routing_id][step_index]] += count
    open_ = totals["batches"] - totals["closed"]
    return {"batches": totals["batches"], "open": open_, "closed": totals["closed"],
            "done": totals["done"], "held": totals["held"], "wip": open_ - totals["held"],
            "per_step": dict(per_step), "remaining_steps": totals["remaining_steps"],
            "completion": completion(states)}
