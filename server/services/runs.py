"""Production runs: create from batch specs or from a sales order; cancel; list; progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain import numbering
from ..domain.batches import OPEN_STATES, Action, BatchState, apply
from ..domain.genealogy import NodeKind, Relation, split_evenly
from ..domain.orders import FOLLOWS_RUNS, OrderStatus
from ..domain.pace import end_of_day, project
from ..domain.quantities import Quantity, amount_text, positive
from ..domain.runs import ACTIVE, BatchProgress, RunStatus, can_cancel, next_status
from ..errors import BadRequest, Conflict, NotFound, Unprocessable
from ..models import (
    Batch,
    Item,
    Machine,
    ProductionRun,
    RunLine,
    SalesOrder,
    SalesOrderLine,
    User,
    utcnow,
)
from . import audit, genealogy, sequences
from .actors import Actor
from .catalog import item_by_sku
from .plant import machines_by_code
from .progress import paced_finishes, progress_of
from .sales import follow_runs, open_runs, order_by_number

MAX_BATCHES = 10_000


@dataclass(frozen=True)
class BatchSpec:
    """item, quantity + unit per batch, machines (assigned round-robin), number of batches."""

    item: str
    quantity: Decimal
    unit: str
    batches: int = 1
    machines: list[str] = field(default_factory=list)


@dataclass
class _LinePlan:
    item: Item
    quantities: list[Quantity]
    machines: list[Machine]
    order_line: SalesOrderLine | None = None


def create_run(session: Session, actor: Actor, specs: list[BatchSpec], *, notes: str = "",
               responsible: str | None = None) -> dict[str, Any]:
    """Create a run and its batches from batch specs (quantity is per batch)."""
    actor.require("planner")
    owner = responsible_user(session, actor, responsible)
    _check_count([s.batches for s in specs])
    plans = []
    for spec in specs:
        item = item_by_sku(session, spec.item)
        per_batch = positive(spec.quantity, spec.unit).to(item.unit)
        plans.append(_LinePlan(item, [per_batch] * spec.batches,
                               machines_by_code(session, spec.machines)))
    return _build_run(session, actor, plans, notes=notes, responsible=owner)


def generate_from_order(session: Session, actor: Actor, number: str, *,
                        batches_per_line: int = 1, notes: str = "",
                        responsible: str | None = None, allow_additional: bool = False,
                        reason: str = "") -> dict[str, Any]:
    """Generate a run from a sales order and move the order into production; a further
    run from the same order needs allow_additional and a reason. The two stay linked."""
    actor.require("planner")
    order = order_by_number(session, number)
    _check_order(session, order, allow_additional, reason)
    owner = responsible_user(session, actor, responsible)
    _check_count([batches_per_line] * len(order.lines))
    plans = []
    for line in order.lines:
        whole = Quantity(line.quantity, line.unit)
        shares = split_evenly(whole, batches_per_line) if batches_per_line > 1 else [whole]
        plans.append(_LinePlan(line.item, shares, [], line))
    run = _build_run(session, actor, plans, notes=notes or f"from {number}", order=order,
                     responsible=owner, reason=reason)
    follow_runs(session, actor, order, reason=f"run {run['number']} generated")
    return run


def _check_order(session: Session, order: SalesOrder, allow_additional: bool, reason: str
                 ) -> None:
    """Refuse an order that is closed, or that has a run already unless asked with a reason."""
    if OrderStatus(order.status) not in FOLLOWS_RUNS:
        raise Conflict(f"runs are made from Estimate or Confirmed orders; {order.number} is "
                       f"{order.status}", code="order_closed", status=order.status)
    existing = open_runs(session, order)
    if existing and not allow_additional:
        raise Conflict(f"{order.number} already has run {existing[0]}; ask for an additional "
                       "run with a reason", code="order_has_run", runs=existing)
    if existing and not reason.strip():
        raise BadRequest("an additional run from an order needs a reason",
                         code="reason_required", runs=existing)


def responsible_user(session: Session, actor: Actor, username: str | None) -> User | None:
    """Return the user named responsible for a run, or the acting user when none is named."""
    if username is None:
        return session.get(User, actor.user_id) if actor.user_id is not None else None
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise NotFound(f"no active user {username!r}", code="unknown_user", username=username)
    if user.role == "viewer":
        raise BadRequest(f"{username} is a viewer and cannot be responsible for a run",
                         code="invalid_responsible", username=username)
    return user


def _check_count(per_line: list[int]) -> None:
    count = sum(per_line)
    if not per_line or min(per_line) < 1 or count > MAX_BATCHES:
        raise Unprocessable(f"a run has 1 to {MAX_BATCHES} batches, and each line at least "
                            "one", code="invalid_batch_count", batches=count)


def _build_run(session: Session, actor: Actor, plans: list[_LinePlan], *, notes: str,
               order: SalesOrder | None = None, responsible: User | None = None,
               reason: str = "") -> dict[str, Any]:
    year = utcnow().year
    number = numbering.run_number(year, sequences.take(
        session, numbering.sequence_key(numbering.RUN_PREFIX, year))[0])
    due = order.due_date if order is not None else None
    run = ProductionRun(number=number, responsible=responsible, notes=notes, sales_order=order,
                        due_date=datetime.combine(due, time.min, UTC) if due else None)
    count = sum(len(p.quantities) for p in plans)
    codes = iter(sequences.take(session, numbering.sequence_key(numbering.BATCH_PREFIX, year),
                                count))
    for line_no, plan in enumerate(plans, start=1):
        if not plan.item.steps:
            raise BadRequest(f"item {plan.item.sku} has no routing", code="no_routing",
                             sku=plan.item.sku)
        if plan.item.archived:
            raise Conflict(f"item {plan.item.sku} is archived", code="archived_item",
                           sku=plan.item.sku)
        off = [m.code for m in plan.machines if not m.enabled]
        if off:
            raise Conflict(f"machine {off[0]} is disabled", code="machine_disabled",
                           machines=off)
        line = RunLine(line_no=line_no, item=plan.item, unit=plan.item.unit,
                       quantity=sum((q.amount for q in plan.quantities), Decimal(0)),
                       batch_count=len(plan.quantities), sales_order_line=plan.order_line,
                       machine_codes=",".join(m.code for m in plan.machines))
        run.lines.append(line)
        for i, qty in enumerate(plan.quantities):
            run.batches.append(Batch(
                code=numbering.batch_code(year, next(codes)), item=plan.item, run_line=line,
                routing=plan.item.current_routing,
                quantity=qty.amount, unit=plan.item.unit, state=BatchState.WAITING.value,
                step_index=0, machine=plan.machines[i % len(plan.machines)] if plan.machines
                else None))
    session.add(run)
    session.flush()
    row = audit.record(session, actor, "run.create", "run", run.number, reason=reason,
                       batches=count, order=order.number if order else None,
                       responsible=responsible.username if responsible else None)
    session.flush()
    _link_batches(session, run, row.id)
    return run_detail(session, run)


def _link_batches(session: Session, run: ProductionRun, audit_id: int) -> None:
    """Write run -produce-> batch for each new batch: the root of its genealogy."""
    source = genealogy.node(session, NodeKind.RUN, run.number, run.id)
    for batch in run.batches:
        genealogy.link(session, source, genealogy.node(session, NodeKind.BATCH, batch.code,
                                                       batch.id),
                       Relation.PRODUCE, Quantity(batch.quantity, batch.unit),
                       record=f"run:{run.number}", audit_id=audit_id)


def cancel_run(session: Session, actor: Actor, number: str, reason: str
               ) -> dict[str, Any]:
    """Cancel a run with a reason: its open batches close as cancelled, its order follows."""
    actor.require("planner")
    run = run_by_number(session, number)
    # Batches before the run, in the order a scan takes them, so the two never deadlock.
    session.scalars(select(Batch).where(Batch.run_id == run.id).order_by(Batch.id)
                    .with_for_update(of=Batch).execution_options(populate_existing=True)).all()
    session.scalars(select(ProductionRun).where(ProductionRun.id == run.id)
                    .with_for_update(of=ProductionRun)
                    .execution_options(populate_existing=True)).one()
    if not can_cancel(RunStatus(run.status)):
        raise Conflict(f"run {number} is {run.status} and cannot be cancelled",
                       code="run_not_cancellable", status=run.status)
    closed = []
    for batch in run.batches:
        if BatchState(batch.state) in OPEN_STATES:
            batch.state = apply(BatchState(batch.state), Action.CANCEL).value
            batch.updated_at = utcnow()
            for step in batch.executions:
                if step.finished_at is None:
                    step.finished_at = batch.updated_at  # stopped, nothing counted good
            closed.append(batch.code)
    run.status, run.version = RunStatus.CANCELLED.value, run.version + 1
    audit.record(session, actor, "run.cancel", "run", number, reason=reason, batches=closed)
    if run.sales_order is not None:
        session.flush()
        follow_runs(session, actor, run.sales_order, reason=f"run {number} cancelled")
    return run_detail(session, run)


def refresh_status(session: Session, run: ProductionRun) -> str:
    """Recompute a run's status from its batches after a change made outside a scan.

    A completed run whose batch was taken back reopens.
    """
    session.flush()
    rows = session.execute(select(Batch.state, func.count()).where(Batch.run_id == run.id)
                           .group_by(Batch.state))
    after = next_status(RunStatus(run.status),
                        [BatchProgress(BatchState(s), None, 0, n) for s, n in rows],
                        scanned=False)
    if after is RunStatus.COMPLETED and run.status != after.value:
        run.completed_at = utcnow()
    elif after is not RunStatus.COMPLETED:
        run.completed_at = None
    run.status = after.value
    return run.status


def run_by_number(session: Session, number: str) -> ProductionRun:
    run = session.scalar(select(ProductionRun).where(ProductionRun.number == number)
                         .options(selectinload(ProductionRun.batches)))
    if run is None:
        raise NotFound(f"no run {number!r}", code="unknown_run", run=number)
    return run


def run_summaries(session: Session, runs: list[ProductionRun]) -> list[dict[str, Any]]:
    """Summarise runs with their progress (one aggregate query for all of them)."""
    ids = [r.id for r in runs]
    progress = progress_of(session, ids)
    now = utcnow()
    finishes = paced_finishes(session, ids, now)
    return [run_summary(r, progress[r.id], finishes.get(r.id, 0), now) for r in runs]


def run_summary(run: ProductionRun, progress: dict[str, Any], finishes: int,
                now: datetime) -> dict[str, Any]:
    due = end_of_day(run.due_date) if run.due_date else None
    projection = (project(progress["remaining_steps"], finishes, now=now,
                          started=run.started_at, due=due).as_dict()
                  if RunStatus(run.status) in ACTIVE else None)
    return {
        "number": run.number, "status": run.status, "notes": run.notes,
        "responsible": run.responsible.username if run.responsible else None,
        "due_date": run.due_date.date().isoformat() if run.due_date else None,
        "sales_order": run.sales_order.number if run.sales_order else None,
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "completed_at": run.completed_at.isoformat() if run.completed_at else None,
        "version": run.version, "progress": progress, "projection": projection,
    }


def run_detail(session: Session, run: ProductionRun) -> dict[str, Any]:
    from .batches import batch_summary

    # Each item's routing as its batches follow it (the version pinned when they were made).
    items = {b.item.sku: b.routing for b in run.batches}
    return {
        **run_summaries(session, [run])[0],
        "lines": [{"line_no": ln.line_no, "item": ln.item.sku, "quantity": amount_text(ln.quantity),
                   "unit": ln.unit, "batches": ln.batch_count,
                   "machines": [m for m in ln.machine_codes.split(",") if m]}
                  for ln in run.lines],
        "routings": {sku: [s.operation.code for s in routing.steps]
                     for sku, routing in items.items()},
        "batches": [batch_summary(b) for b in run.batches],
    }


def list_runs(session: Session, *, status: str = "", q: str = "", item: str = "",
              order: str = "", limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """List runs newest first, filtered by status, item, sales order or a search text."""
    stmt = select(ProductionRun)
    if status:
        if status not in RunStatus.__members__.values():
            raise BadRequest(f"unknown run status {status!r}", code="invalid_status")
        stmt = stmt.where(ProductionRun.status == status)
    if item:
        stmt = stmt.where(ProductionRun.batches.any(Batch.item.has(Item.sku == item)))
    if order:
        stmt = stmt.where(ProductionRun.sales_order.has(SalesOrder.number == order))
    if q:
        stmt = stmt.where(or_(ProductionRun.number.icontains(q, autoescape=True),
                              ProductionRun.notes.icontains(q, autoescape=True),
                              ProductionRun.batches.any(Batch.code.icontains(q, autoescape=True))))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    runs = session.scalars(stmt.order_by(ProductionRun.id.desc()).limit(limit).offset(offset))
    return {"total": total, "runs": run_summaries(session, list(runs))}
