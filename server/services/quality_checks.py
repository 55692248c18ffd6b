"""Quality checks: at a routing step flagged as a quality check, or of a serial, lot or job.

A failed step check puts its batch on hold (when the batch is still open) and a failed check
of a serial quarantines it; a completed batch's final inspection is recorded by completions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.batches import OPEN_STATES, BatchState
from ..domain.lots import MovementKind
from ..domain.quality import QUARANTINES, CheckStage, CheckSubject, InspectionResult
from ..domain.serials import SerialStatus, check_serial_transition
from ..errors import BadRequest, Conflict, NotFound, Unprocessable
from ..models import Batch, Job, Lot, QualityCheck, Serial, Station, StepExecution, StockMovement
from . import audit
from .actors import Actor
from .batches import hold_batch
from .serial_views import check_view


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A quality check as sent."""

    subject: str
    inspector: str
    result: str
    defects: int = 0
    notes: str = ""
    step: int | None = None
    station: str | None = None
    event_id: str | None = None


def record_check(session: Session, actor: Actor, spec: CheckIn) -> dict[str, Any]:
    """Record a quality check of a batch's step, a serial, a lot or a job."""
    actor.require("operator")
    if spec.event_id is not None:
        first = session.scalar(select(QualityCheck).where(QualityCheck.event_id == spec.event_id))
        if first is not None:
            return check_view(session, first)
    station = _station(session, spec.station)
    row = QualityCheck(inspector=spec.inspector or actor.name, result=spec.result,
                       defects=spec.defects, notes=spec.notes, event_id=spec.event_id,
                       station_id=station.id if station else None)
    _subject(session, row, spec)
    session.add(row)
    session.flush()
    audit.record(session, actor, "quality_check.record", row.subject_kind, row.subject_code,
                 check=row.id, stage=row.stage, result=row.result, defects=row.defects,
                 step=spec.step, inspector=row.inspector)
    if InspectionResult(row.result) in QUARANTINES:
        _act_on_failure(session, actor, row)
    return check_view(session, row)


def _station(session: Session, name: str | None) -> Station | None:
    if name is None:
        return None
    station = session.scalar(select(Station).where(Station.name == name))
    if station is None:
        raise NotFound(f"no station {name!r}", code="unknown_station", station=name)
    return station


def _subject(session: Session, row: QualityCheck, spec: CheckIn) -> None:
    """Fill in what the check inspected, from the code's kind (batch, serial, lot, job)."""
    code = spec.subject.strip()
    batch = session.scalar(select(Batch).where(Batch.code == code))
    if batch is not None:
        execution = _step_execution(session, batch, spec.step)
        row.stage, row.subject_kind = CheckStage.STEP.value, CheckSubject.BATCH.value
        row.subject_code, row.batch_id, row.step_execution_id = code, batch.id, execution.id
        return
    serial = session.scalar(select(Serial).where(Serial.code == code.upper()))
    lot = None if serial else session.scalar(select(Lot).where(Lot.number == code))
    job = None if serial or lot else session.scalar(select(Job).where(Job.number == code))
    if serial is not None:
        row.stage, row.subject_kind, row.serial_id = CheckStage.FINAL.value, "serial", serial.id
        row.subject_code = serial.code
    elif lot is not None:
        # A supplier's lot is inspected on receipt; a lot made here, finally.
        stage = CheckStage.FINAL if _made_here(session, lot) else CheckStage.RECEIPT
        row.stage, row.subject_kind, row.lot_id = stage.value, "lot", lot.id
        row.subject_code = lot.number
    elif job is not None:
        row.stage, row.subject_kind, row.job_id = CheckStage.STEP.value, "job", job.id
        row.subject_code = job.number
    else:
        raise NotFound(f"no batch, serial, lot or job {code!r}", code="unknown_code",
                       subject=code)
    if spec.step is not None:
        raise BadRequest("only a batch's check names a step", code="step_not_allowed")


def _made_here(session: Session, lot: Lot) -> bool:
    kind = session.scalar(select(StockMovement.kind).where(StockMovement.lot_id == lot.id)
                          .order_by(StockMovement.id).limit(1))
    return kind == MovementKind.PRODUCE


def _step_execution(session: Session, batch: Batch, step: int | None) -> StepExecution:
    """Return the batch's latest execution of the step, refusing a step that is no check."""
    if step is None:
        raise BadRequest("a batch's check names the routing step (its position)",
                         code="step_required")
    steps = batch.routing.steps
    if not 0 <= step < len(steps):
        raise NotFound(f"batch {batch.code} has no step {step}", code="unknown_step",
                       steps=len(steps))
    if not steps[step].operation.is_quality_check:
        operation = steps[step].operation.code
        raise Unprocessable(f"step {step} ({operation}) is not a quality check",
                            code="not_a_quality_step", operation=operation)
    execution = session.scalar(
        select(StepExecution).where(StepExecution.batch_id == batch.id,
                                    StepExecution.position == step,
                                    StepExecution.undone_at.is_(None))
        .order_by(StepExecution.id.desc()).limit(1))
    if execution is None:
        raise Conflict(f"batch {batch.code} has not reached step {step} yet",
                       code="step_not_reached", step=step)
    return execution


def _act_on_failure(session: Session, actor: Actor, row: QualityCheck) -> None:
    """Hold an open batch, or quarantine a serial in stock, that failed its check."""
    reason = f"quality check {row.id} failed"
    if row.batch_id is not None:
        batch = session.get(Batch, row.batch_id)
        if batch is not None and BatchState(batch.state) in OPEN_STATES - {BatchState.ON_HOLD}:
            hold_batch(session, actor, batch.code, reason)
    elif row.serial_id is not None:
        serial = session.get(Serial, row.serial_id)
        if serial is not None and serial.status == SerialStatus.IN_STOCK:
            check_serial_transition(SerialStatus(serial.status), SerialStatus.QUARANTINED)
            serial.status = SerialStatus.QUARANTINED.value
            audit.record(session, actor, "serial.quarantine", "serial", serial.code,
                         reason=reason, before=SerialStatus.IN_STOCK.value)


def list_checks(session: Session, subject: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """Return the checks of one subject code, oldest first (no code: the newest checks)."""
    code = subject.strip()
    stmt = select(QualityCheck)
    if code:
        stmt = stmt.where(QualityCheck.subject_code.in_({code, code.upper()}))
    newest = stmt.order_by(QualityCheck.id.desc()).limit(limit).subquery()
    rows = session.scalars(select(QualityCheck).join(newest, newest.c.id == QualityCheck.id)
                           .order_by(QualityCheck.at, QualityCheck.id))
    return [check_view(session, r) for r in rows]
