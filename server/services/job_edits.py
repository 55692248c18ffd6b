"""Edit a job in place (re-issuing its lots) and cancel one, each with its change record.

An edit is one transaction under the job's row lock: the version sent must be the job's
(optimistic lock), lots issued more take another issue movement (and edge), lots issued less
or dropped are given back to their lot (an adjustment) and their lot -issue-> job edges shrink
by as much, newest first. The balance is recomputed from the new issue lines and the receipts
already made, so an edit that un-issues what was received is refused naming the bucket.
Every edit and cancel writes a JobChange (before/after) and an audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind, Relation
from ..domain.jobs import JobStatus, check_cancel, status_from
from ..domain.quantities import Quantity
from ..errors import BadRequest, Conflict, Unprocessable
from ..models import GenealogyEdge, Job, JobChange, JobIssue, User
from . import audit, genealogy, stock
from .actors import Actor
from .job_records import balance_of, job_by_number, job_dict, store_totals
from .jobs import IssueLine, JobSpec, _apply_header, _apply_items, _issue_row
from .stages import naming
from .stock import Target

# What a received job may change only with a reason: it moves receiving and reporting.
GUARDED = ("issues", "requested", "items", "policy", "stage", "assignee")


# The stepper's steps and the fields each one asks for (later steps' fields are left out
# when an earlier step is checked, so an error there cannot block the step being filled).
STEP_FIELDS = {
    "context": ("order", "order_line", "stage", "issues"),
    "specs": ("shape", "size", "pieces", "weight", "unit", "policy", "items"),
    "details": ("issued_on", "deadline", "assignee", "notes"),
}
STEPS = tuple(STEP_FIELDS)


def for_step(spec: JobSpec, step: str) -> JobSpec:
    """Return the draft as far as step: the fields of later steps at their defaults."""
    later = STEPS[STEPS.index(step) + 1:]
    blank = JobSpec(stage=spec.stage, issues=spec.issues)
    return replace(spec, **{f: getattr(blank, f) for s in later for f in STEP_FIELDS[s]})


def check(session: Session, actor: Actor, number: str, spec: JobSpec, *, version: int,
          reason: str, step: str) -> dict[str, Any]:
    """Validate an edit as far as step as saving it would, writing nothing (the reason is
    asked for on the last step only)."""
    actor.require("planner")
    nested = session.begin_nested()
    try:
        made = edit(session, actor, number, for_step(spec, step), version=version,
                    reason=reason, need_reason=step == STEPS[-1])
    finally:
        nested.rollback()
    return {"ok": True, "items": made["items"],
            "summary": {k: made[k] for k in ("stage", "issues", "balance", "requested",
                                             "issued_on", "deadline", "assignee")}}


def edit(session: Session, actor: Actor, number: str, spec: JobSpec, *, version: int,
         reason: str = "", need_reason: bool = True) -> dict[str, Any]:
    """Save an edit to the job itself; refuse (writing nothing) a stale version, a guarded
    change of a received job without a reason, or an un-issue below what came back."""
    actor.require("planner")
    job = job_by_number(session, number, lock=True)
    _refuse_stale(job, version)
    if JobStatus(job.status) is JobStatus.CANCELLED:
        raise Conflict("the job is cancelled", code="job_cancelled", field="job")
    before = snapshot(session, job)
    received = balance_of(job).received_anything
    if spec.issued_on is None:  # an edit keeps the issue date unless it sends one
        spec = replace(spec, issued_on=job.issued_on)
    _apply_header(session, job, spec)
    reissue(session, actor, job, spec.issues, reason=reason)
    _apply_items(session, job, spec)
    session.flush()
    session.refresh(job)
    result = balance_of(job)  # raises naming the bucket and the amount over
    after = snapshot(session, job)
    changed = sorted(k for k in after if after[k] != before[k])
    if need_reason and received and not reason.strip() and set(changed) & set(GUARDED):
        raise Unprocessable(
            "this job has received output: changing its inventory, quantities, stage or "
            "assignee needs a reason", code="reason_required", field="reason",
            changed=[k for k in changed if k in GUARDED])
    store_totals(job, result)
    job.status = status_from(JobStatus(job.status), result).value
    after["status"] = job.status
    _record(session, actor, job, "job.edit", before, after, reason, changed=changed)
    return job_dict(session, job)


def cancel(session: Session, actor: Actor, number: str, *, reason: str) -> dict[str, Any]:
    """Cancel a job nothing was received from: give every issued lot back, drop its edges."""
    actor.require("planner")
    if not reason.strip():
        raise Unprocessable("cancelling a job needs a reason", code="reason_required",
                            field="reason")
    job = job_by_number(session, number, lock=True)
    check_cancel(JobStatus(job.status), balance_of(job))  # 409 once anything came back
    before = snapshot(session, job)
    for issue in job.issues:
        _give_back(session, actor, job, issue, Quantity(issue.quantity, issue.unit), reason)
    job.status = JobStatus.CANCELLED.value
    after = snapshot(session, job)
    _record(session, actor, job, "job.cancel", before, after, reason)
    return job_dict(session, job)


def _refuse_stale(job: Job, version: int) -> None:
    if job.version != version:
        raise Conflict(f"the job was changed since version {version} was read: it is at "
                       f"version {job.version}; reload it and edit again",
                       code="stale_version", field="version", version=job.version,
                       sent=version)


def reissue(session: Session, actor: Actor, job: Job, lines: Sequence[IssueLine], *,
            reason: str) -> None:
    """Make the job's issue lines what lines say, moving only the differences on the ledger."""
    if not lines:
        raise BadRequest("a job issues at least one lot", code="no_issues", field="issues")
    wanted: dict[str, tuple[int, IssueLine]] = {}
    for n, line in enumerate(lines):
        if line.lot in wanted:
            raise BadRequest(f"issues[{n}].lot: lot {line.lot} is issued twice",
                             code="duplicate_lot", field=f"issues[{n}].lot")
        wanted[line.lot] = (n, line)
    note = reason.strip() or f"job {job.number} edited"
    for issue in list(job.issues):
        if issue.lot.number not in wanted:
            _give_back(session, actor, job, issue, Quantity(issue.quantity, issue.unit), note)
            job.issues.remove(issue)
    session.flush()
    current = {i.lot.number: i for i in job.issues}
    for lot_number, (n, line) in wanted.items():
        where = f"issues[{n}]"
        issue_row = current.get(lot_number)
        with naming(f"{where}.lot"):
            lot = stock.lot_by_number(session, lot_number)
        had = Quantity(issue_row.quantity, issue_row.unit) if issue_row else \
            Quantity(Decimal(0), lot.unit)
        with naming(f"{where}.quantity"):
            target = _wanted(session, lot, had, line)
            delta = target - had
            if delta.is_positive():
                stock.issue(session, lot, Target("job", job.number), delta, actor=actor)
            elif delta.amount < 0 and issue_row is not None:
                _give_back(session, actor, job, issue_row, Quantity(-delta.amount, lot.unit),
                           note)
        made = _issue_row(lot, target, line, where)
        if issue_row is None:
            job.issues.append(made)
        else:
            issue_row.quantity, issue_row.unit = made.quantity, made.unit
            issue_row.pieces, issue_row.weight = made.pieces, made.weight
            issue_row.weight_unit = made.weight_unit
    session.flush()


def _wanted(session: Session, lot: Any, had: Quantity, line: IssueLine) -> Quantity:
    """Return what the line asks the job to hold of the lot: a quantity, or (None) all of it,
    that is what it holds already and everything still on hand."""
    if line.quantity is None:
        return had + stock.on_hand(session, lot)
    return Quantity.of(line.quantity, lot.unit)


def _give_back(session: Session, actor: Actor, job: Job, issue: JobIssue, qty: Quantity,
               reason: str) -> None:
    """Return qty of an issued lot to it and take as much off its edges into the job."""
    stock.give_back(session, issue.lot, qty, record=f"job:{job.number}", reason=reason,
                    actor=actor)
    _shrink_edges(session, job, issue, qty.amount)


def _shrink_edges(session: Session, job: Job, issue: JobIssue, amount: Decimal) -> None:
    lot_node = genealogy.find_node(session, NodeKind.LOT, issue.lot.number)
    job_node = genealogy.find_node(session, NodeKind.JOB, job.number)
    if lot_node is None or job_node is None:
        return
    edges = session.scalars(select(GenealogyEdge).where(
        GenealogyEdge.parent_id == lot_node.id, GenealogyEdge.child_id == job_node.id,
        GenealogyEdge.relation == Relation.ISSUE.value).order_by(GenealogyEdge.id.desc()))
    for edge in edges:
        if amount <= 0:
            break
        taken = min(amount, edge.quantity)
        amount -= taken
        # An edge is never deleted (a trace keeps the link): one all given back holds 0.
        edge.quantity = edge.quantity - taken
    session.flush()


def snapshot(session: Session, job: Job) -> dict[str, Any]:
    """Return what an edit may change, as plain JSON (the change record's before/after)."""
    shown = job_dict(session, job)
    return {
        "stage": shown["stage"]["code"], "order": shown["order"],
        "order_line": shown["order_line"], "shape": shown["shape"], "size": shown["size"],
        "requested": shown["requested"], "policy": shown["policy"],
        "issues": [{k: i[k] for k in ("lot", "quantity", "unit", "pieces", "weight",
                                      "weight_unit")} for i in shown["issues"]],
        "items": [{k: i[k] for k in ("item", "pieces", "weight", "unit")}
                  for i in shown["items"]],
        "issued_on": shown["issued_on"], "deadline": shown["deadline"],
        "assignee": shown["assignee"]["username"] if shown["assignee"] else None,
        "notes": shown["notes"], "status": shown["status"],
    }


def _record(session: Session, actor: Actor, job: Job, action: str, before: dict[str, Any],
            after: dict[str, Any], reason: str, **extra: Any) -> None:
    job.version += 1
    entry = audit.record(session, actor, action, "job", job.number, reason=reason,
                         before=before, after=after, version=job.version, **extra)
    session.flush()
    session.add(JobChange(job_id=job.id, actor=actor.name, reason=reason, before=before,
                          after=after, audit_id=entry.id))
    session.flush()
    session.refresh(job)


def staff(session: Session) -> list[dict[str, Any]]:
    """Return the active users, by username, that a job may be assigned to."""
    users = session.scalars(select(User).where(User.active).order_by(User.username))
    return [{"username": u.username, "name": u.display_name} for u in users]
