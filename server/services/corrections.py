"""Undo a batch's last transition as a compensating change; the original stays on record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.batches import Action, BatchState, Place, scan_places, undo, within_window
from ..domain.errors import TransitionError
from ..errors import Conflict, Forbidden
from ..models import AuditRecord, Batch, ScanEvent, StepExecution, utcnow
from . import audit
from .actors import RANK, Actor
from .batches import batch_by_code, batch_summary, place_of, undone_keys
from .runs import refresh_status

# Audit actions that moved a batch and kept where it was before ("from"), by their action.
AUDITED = {"batch.hold": Action.HOLD, "batch.release": Action.RELEASE,
           "batch.scrap": Action.SCRAP}


@dataclass(frozen=True)
class Change:
    """One transition of a batch: a scan or an audited hold, release or scrap."""

    key: str                  # "scan:<id>" or "audit:<id>", what the undo record names
    action: Action
    at: datetime
    by: str | None
    before: dict[str, Any]
    after: Place
    position: int | None = None  # the step a scan acted on


def undo_last(session: Session, actor: Actor, code: str, *, reason: str, window: float,
              now: datetime | None = None) -> dict[str, Any]:
    """Take back the batch's last transition: a supervisor any time, its maker within window."""
    actor.require("operator")
    now = now or utcnow()
    batch = batch_by_code(session, code, lock=True)
    if batch.state in (BatchState.SPLIT.value, BatchState.MERGED.value):
        raise TransitionError(f"batch {code} is {batch.state}; a split or merge cannot be "
                              "undone", state=batch.state)
    done = undone_keys(session, code)
    changes = [c for c in _changes(session, batch, done) if c.key not in done]
    if not changes:
        raise Conflict(f"batch {code} has no change to undo", code="nothing_to_undo",
                       batch=code)
    last = changes[-1]
    _check_may_undo(actor, last, now, window)
    was = place_of(batch)
    target = undo(last.action, before=_place(last.before), after=last.after, now=_place(was))
    if last.key.startswith("scan:"):
        _undo_scan(batch, last, target, now)
    elif last.action is Action.SCRAP and last.before.get("execution"):
        _reopen(session, int(last.before["execution"]))
    batch.state, batch.step_index = target.state.value, target.step_index
    batch.held_state = target.held_state.value if target.held_state else None
    batch.hold_reason = last.before.get("hold_reason") if target.held_state else None
    batch.updated_at = now
    batch.run.version += 1
    audit.record(session, actor, "batch.undo", "batch", code, reason=reason, undoes=last.key,
                 transition=last.action.value, undone_by=last.by, **{"from": was,
                                                                 "to": place_of(batch)})
    refresh_status(session, batch.run)
    return {"batch": batch_summary(batch), "undone": {"action": last.action.value,
                                                     "at": last.at.isoformat(), "by": last.by}}


def _check_may_undo(actor: Actor, change: Change, now: datetime, window: float) -> None:
    if RANK.get(actor.role, -1) >= RANK["supervisor"]:
        return
    if change.by != actor.name:
        raise Forbidden("only a supervisor can undo someone else's change",
                        code="not_your_change", by=change.by)
    if not within_window((now - change.at).total_seconds(), window):
        raise Forbidden(f"your change can be undone within {window:g} s; ask a supervisor",
                        code="undo_window_passed", window=window)


def _place(d: dict[str, Any]) -> Place:
    held = d.get("held_state")
    return Place(BatchState(d["state"]), d.get("step_index"),
                 BatchState(held) if held else None)


def _changes(session: Session, batch: Batch, undone: set[str]) -> list[Change]:
    """Return the batch's transitions oldest first, undone ones included."""
    found: list[Change] = []
    started: set[int] = set()  # steps with a toggle start in effect
    for scan in session.scalars(select(ScanEvent).where(
            ScanEvent.batch_id == batch.id, ScanEvent.outcome == "accepted",
            ScanEvent.transition.is_not(None)).order_by(ScanEvent.id)):
        if scan.transition is None or scan.step_position is None:
            continue
        key, action, pos = f"scan:{scan.id}", Action(scan.transition), scan.step_position
        before, after = scan_places(action, pos, started=pos in started)
        if key not in undone:
            (started.add if action is Action.START else started.discard)(pos)
        found.append(Change(key, action, scan.received_at, scan.operator,
                            {"state": before.state.value, "step_index": before.step_index},
                            after, pos))
    for row in session.scalars(select(AuditRecord).where(
            AuditRecord.entity_type == "batch", AuditRecord.entity_key == batch.code,
            AuditRecord.action.in_(list(AUDITED)))):
        if "from" in row.changes and "to" in row.changes:
            found.append(Change(f"audit:{row.id}", AUDITED[row.action], row.at, row.actor,
                                row.changes["from"], _place(row.changes["to"])))
    return sorted(found, key=lambda c: (c.at, c.key))


def _undo_scan(batch: Batch, change: Change, target: Place, now: datetime) -> None:
    """Mark the execution the scan made or closed as undone; reopen a step that was in process."""
    live = [e for e in batch.executions if e.position == change.position and e.undone_at is None]
    if not live:
        return
    execution = live[-1]
    execution.undone_at = now
    if execution.finished_at is None:
        execution.finished_at = now  # an undone start: no longer open
    else:
        batch.quantity = execution.quantity_in  # quantities recorded on it are taken back too
    if target.state is BatchState.IN_PROCESS and change.action is not Action.START:
        batch.executions.append(StepExecution(
            step_id=execution.step_id, position=execution.position,
            station_id=execution.station_id, operator=execution.operator,
            started_at=execution.started_at, quantity_in=execution.quantity_in))
    # A rescan right after an undo is the operator's correction, not a bounce.
    batch.last_station_id = None


def _reopen(session: Session, execution_id: int) -> None:
    execution = session.get(StepExecution, execution_id)
    if execution is not None:
        execution.finished_at = execution.quantity_good = None
        execution.quantity_scrapped = Decimal(0)
