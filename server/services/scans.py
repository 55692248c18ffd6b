"""Record a scan: store the event and apply its transition in one transaction, once per id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.batches import (
    Action,
    BatchState,
    Outcome,
    Reason,
    ScanContext,
    ScanDecision,
    ScanMode,
    decide_scan,
    is_repeat,
)
from ..domain.runs import BatchProgress, RunStatus, next_status
from ..domain.scans import InvalidScan, ScanRequest, parse_scan
from ..models import Batch, ScanEvent, Station, StepExecution, utcnow
from ..settings import Settings
from . import codes
from .batches import batch_summary, step_name

REASON_TEXT = {
    Reason.UNKNOWN_CODE: "Unknown code",
    Reason.NOT_A_BATCH: "This label is not a batch",
    Reason.WRONG_STEP: "Wrong step",
    Reason.ALREADY_DONE: "Batch already done",
    Reason.BATCH_CLOSED: "Batch was split, merged or scrapped",
    Reason.ON_HOLD: "Batch is on hold",
    Reason.DUPLICATE_SCAN: "Already scanned here",
    Reason.STATION_DISABLED: "Station disabled",
    Reason.NOT_AUTHORIZED: "Not authorized",
    Reason.INVALID_PAYLOAD: "Unreadable scan",
    Reason.RATE_LIMITED: "Too many scans, slow down",
}


@dataclass
class ScanResult:
    """The ack for the station and what live screens need to hear about."""

    ack: dict[str, Any]
    replayed: bool = False
    scan: dict[str, Any] = field(default_factory=dict)
    batch: dict[str, Any] | None = None
    run: str | None = None
    station: str = ""


def record_scan(sessions: sessionmaker[Session], station_id: int, body: object,
                settings: Settings) -> ScanResult:
    """Record one scan in its own transaction; a repeated event_id replays the first result."""
    try:
        with sessions() as session, session.begin():
            return _record(session, station_id, body, settings)
    except IntegrityError:
        # The same event_id committed concurrently (another connection of the same station).
        with sessions() as session, session.begin():
            return _record(session, station_id, body, settings)


def _record(session: Session, station_id: int, body: object, settings: Settings) -> ScanResult:
    now = utcnow()
    station = session.get(Station, station_id)
    assert station is not None
    req = parse_scan(body, now=now, max_skew=timedelta(hours=settings.scan_clock_skew_hours))
    if req.event_id is not None:
        first = session.scalar(select(ScanEvent).where(ScanEvent.event_id == req.event_id))
        if first is not None:
            return _replay(first, station)
    if isinstance(req, InvalidScan):
        return _store(session, station, req, now, ScanDecision(Outcome.REJECTED, req.reason),
                      None, message=req.message)
    kind, code = codes.parse(req.code)
    if kind != "batch":
        reason = Reason.NOT_A_BATCH if kind != "unknown" else Reason.UNKNOWN_CODE
        return _store(session, station, req, now, ScanDecision(Outcome.REJECTED, reason), None)
    batch = session.scalar(select(Batch).where(Batch.code == code).with_for_update(of=Batch))
    if batch is None:
        decision = ScanDecision(Outcome.REJECTED, Reason.UNKNOWN_CODE)
        return _store(session, station, req, now, decision, None)
    if is_repeat(_since_last_accept(session, batch, station, now), settings.scan_repeat_window):
        decision = ScanDecision(Outcome.DUPLICATE, Reason.DUPLICATE_SCAN,
                                step_index=batch.step_index)
        return _store(session, station, req, now, decision, batch)
    decision = decide_scan(ScanContext(
        BatchState(batch.state), batch.step_index, [s.operation.code for s in batch.item.steps],
        station.operation.code, ScanMode(station.scan_mode), station.enabled))
    if decision.accepted:
        _apply(session, batch, station, req, decision, now)
    return _store(session, station, req, now, decision, batch)


def _since_last_accept(session: Session, batch: Batch, station: Station, now: datetime
                       ) -> float | None:
    last = session.scalar(
        select(ScanEvent.received_at).where(ScanEvent.batch_id == batch.id,
                                            ScanEvent.station_id == station.id,
                                            ScanEvent.outcome == Outcome.ACCEPTED.value)
        .order_by(ScanEvent.id.desc()).limit(1))
    return (now - last).total_seconds() if last is not None else None


def _apply(session: Session, batch: Batch, station: Station, req: ScanRequest,
           decision: ScanDecision, now: datetime) -> None:
    assert decision.step_index is not None and decision.state is not None
    step = batch.item.steps[decision.step_index]
    if decision.action is Action.START:
        session.add(StepExecution(batch=batch, step=step, position=step.position,
                                  station=station, operator=req.operator, started_at=now,
                                  quantity_in=batch.quantity))
    else:
        execution = session.scalar(
            select(StepExecution).where(StepExecution.batch_id == batch.id,
                                        StepExecution.position == step.position,
                                        StepExecution.finished_at.is_(None)))
        if execution is None:
            execution = StepExecution(batch=batch, step=step, position=step.position,
                                      station=station, operator=req.operator,
                                      started_at=now, quantity_in=batch.quantity)
            session.add(execution)
        execution.finished_at = now
        execution.quantity_good = execution.quantity_in
    batch.state = decision.state.value
    batch.step_index = decision.next_step_index
    batch.last_scan_at = batch.updated_at = now
    _advance_run(session, batch, now)


def _advance_run(session: Session, batch: Batch, now: datetime) -> None:
    run = batch.run
    before = RunStatus(run.status)
    after = before
    if before is RunStatus.PENDING:
        after = RunStatus.IN_PROGRESS
    if batch.state == BatchState.DONE.value:
        states = session.execute(select(Batch.state).where(Batch.run_id == run.id)).scalars()
        after = next_status(before, [BatchProgress(BatchState(s), None, 0) for s in states],
                            scanned=True)
    if after is not before:
        run.status = after.value
        run.started_at = run.started_at or now
        if after is RunStatus.COMPLETED:
            run.completed_at = now
    run.version += 1


def _store(session: Session, station: Station, req: ScanRequest | InvalidScan, now: datetime,
           decision: ScanDecision, batch: Batch | None, message: str | None = None
           ) -> ScanResult:
    event_id = req.event_id or str(uuid.uuid4())
    steps = batch.item.steps if batch is not None else []
    idx = decision.step_index
    ack: dict[str, Any] = {"event_id": req.event_id, "outcome": decision.outcome.value}
    if decision.reason is not None:
        ack["reason"] = decision.reason.value
        ack["message"] = message or REASON_TEXT[decision.reason]
    if batch is not None:
        ack.update(batch=batch.code, run=batch.run.number, item=batch.item.sku,
                   quantity=batch_summary(batch)["quantity"], unit=batch.unit,
                   step=steps[idx].operation.code if idx is not None and idx < len(steps)
                   else None, next_step=step_name(batch), state=batch.state)
    if decision.action is not None:
        ack["transition"] = decision.action.value
    if decision.reason is Reason.WRONG_STEP:
        ack["expected_step"] = ack["step"]
    ack["station"] = station.name
    raw = req.code if isinstance(req, ScanRequest) else req.raw_code
    session.add(ScanEvent(
        event_id=event_id, station_id=station.id, raw_code=raw,
        symbology=getattr(req, "symbology", ""), source=getattr(req, "source", ""),
        scanned_at=getattr(req, "scanned_at", None), received_at=now,
        operator=getattr(req, "operator", None), outcome=decision.outcome.value,
        reason=decision.reason.value if decision.reason else None,
        batch_id=batch.id if batch else None, step_position=idx,
        transition=ack.get("transition"), result=ack))
    scan = {**ack, "code": raw[:200], "at": now.isoformat(),
            "operator": getattr(req, "operator", None)}
    return ScanResult(ack, False, scan, batch_summary(batch) if batch and decision.accepted
                      else None, batch.run.number if batch else None, station.name)


def _replay(first: ScanEvent, station: Station) -> ScanResult:
    if first.station_id != station.id:
        ack = {"event_id": first.event_id, "outcome": Outcome.REJECTED.value,
               "reason": Reason.INVALID_PAYLOAD.value,
               "message": "this event_id belongs to another station"}
        return ScanResult(ack, True, station=station.name)
    return ScanResult(dict(first.result), True, station=station.name)
