"""Record a scan: store the event and apply its transition in one transaction, once per id."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row
from sqlalchemy.exc import DBAPIError, IntegrityError

from station.protocol import error_fields

from ..domain.batches import (
    BatchState,
    Outcome,
    Reason,
    ScanContext,
    ScanDecision,
    ScanMode,
    decide_scan,
    is_repeat,
)
from ..domain.quantities import amount_text
from ..domain.scans import InvalidScan, ScanRequest, event_id_of, parse_scan
from ..models import utcnow
from ..settings import Settings
from . import codes, scan_store
from .scan_store import StationRow

log = logging.getLogger(__name__)
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
    Reason.CLOCK_SKEW: "Station clock is wrong",
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


def record_scan(engine: Engine, station_id: int, body: object, settings: Settings, *,
                token_hash: str | None = None) -> ScanResult:
    """Record one scan in its own transaction; a repeated event_id replays the first result."""
    # Core on a plain connection: the hot path needs none of the ORM's unit of work.
    # Repeats are rare, so rather than look every event_id up first, the unique index on
    # event_id refuses a repeat's insert; that rolls the whole attempt back and we answer
    # with the first result (this also covers one event arriving on two connections at once).
    try:
        with engine.begin() as conn:
            return _record(conn, station_id, body, settings, token_hash)
    except IntegrityError:
        event_id = event_id_of(body)
        with engine.connect() as conn:
            station = scan_store.load_station(conn, station_id)
            first = scan_store.first_result(conn, event_id) if event_id else None
        if first is None:
            raise
        return _replay(first, station)
    except DBAPIError as err:
        # Data the checks let through but the database refuses: answer and record a
        # rejection, so the station drops it instead of resending it forever.
        log.warning("scan refused by the database: %s", err.orig)
        return _refused(engine, station_id, body)


def _refused(engine: Engine, station_id: int, body: object) -> ScanResult:
    with engine.begin() as conn:
        station = scan_store.load_station(conn, station_id)
        ack = {"event_id": event_id_of(body), "outcome": Outcome.REJECTED.value,
               "reason": Reason.INVALID_PAYLOAD.value,
               "message": "the database refused this scan", "station": station.name}
        scan_store.store_event(conn, event_id=str(uuid.uuid4()), station_id=station.id,
                               raw_code="", received_at=utcnow(), outcome="rejected",
                               reason=Reason.INVALID_PAYLOAD.value, result=ack)
    return ScanResult(ack, False, {**ack, "code": "", "at": utcnow().isoformat()},
                      station=station.name)


def _record(session: Connection, station_id: int, body: object, settings: Settings,
            token_hash: str | None) -> ScanResult:
    now = utcnow()
    station = scan_store.load_station(session, station_id)
    req = parse_scan(body, now=now, max_skew=timedelta(hours=settings.scan_clock_skew_hours),
                     max_age=timedelta(hours=settings.scan_max_age_hours))
    if isinstance(req, InvalidScan):
        return _store(session, station, req, now, ScanDecision(Outcome.REJECTED, req.reason),
                      None, message=req.message)
    kind, code = codes.parse(req.code)
    batch = scan_store.load_batch(session, code, station.id) if kind == "batch" else None
    if batch is None:
        reason = Reason.NOT_A_BATCH if kind not in ("unknown", "batch") else Reason.UNKNOWN_CODE
        return _store(session, station, req, now, ScanDecision(Outcome.REJECTED, reason), None)
    if token_hash is not None and batch.station_token != token_hash:
        # The connection outlived its token (rotated on another server process).
        return _store(session, station, req, now,
                      ScanDecision(Outcome.REJECTED, Reason.NOT_AUTHORIZED), None)
    steps = scan_store.routing(session, batch.item_id)
    # A bounce is measured in station time: a backlog resent after a network cut arrives
    # all at once, but its scans were made as far apart as they were.
    at = min(req.scanned_at, now)
    since = ((at - batch.last_scan_at).total_seconds()
             if batch.last_scan_at and batch.last_station_id == station.id else None)
    if is_repeat(since, settings.scan_repeat_window):
        decision = ScanDecision(Outcome.DUPLICATE, Reason.DUPLICATE_SCAN,
                                step_index=batch.step_index)
        return _store(session, station, req, now, decision, batch, steps)
    decision = decide_scan(ScanContext(
        BatchState(batch.state), batch.step_index, [op for _, op in steps], station.operation,
        ScanMode(station.scan_mode), batch.station_enabled))
    run_status = batch.run_status
    if decision.accepted:
        run_status = scan_store.apply(session, batch, steps, station, decision, req.operator,
                                      at, now)
    return _store(session, station, req, now, decision, batch, steps, run_status=run_status)


def _store(session: Connection, station: StationRow, req: ScanRequest | InvalidScan,
           now: datetime, decision: ScanDecision, batch: Row[Any] | None,
           steps: list[tuple[int, str]] | None = None, message: str | None = None,
           run_status: str | None = None) -> ScanResult:
    ack = _ack(req, station, decision, batch, steps or [], message)
    raw = req.code if isinstance(req, ScanRequest) else req.raw_code
    operator = req.operator if isinstance(req, ScanRequest) else None
    scan_store.store_event(
        session, event_id=req.event_id or str(uuid.uuid4()), station_id=station.id,
        raw_code=raw, symbology=getattr(req, "symbology", ""),
        source=getattr(req, "source", ""), scanned_at=getattr(req, "scanned_at", None),
        received_at=now, operator=operator, outcome=decision.outcome.value,
        reason=decision.reason.value if decision.reason else None,
        batch_id=batch.id if batch is not None else None, step_position=decision.step_index,
        transition=ack.get("transition"), result=ack)
    scan = {**ack, "code": raw[:200], "at": now.isoformat(), "operator": operator}
    changed = None
    if batch is not None and decision.accepted:
        changed = {"code": batch.code, "run": batch.run, "item": batch.item,
                   "quantity": ack["quantity"], "unit": batch.unit, "state": ack["state"],
                   "step_index": decision.next_step_index, "step": ack["next_step"],
                   "steps": len(steps or []), "version": batch.version + 1,
                   "last_scan_at": now.isoformat(), "run_status": run_status}
    return ScanResult(ack, False, scan, changed, batch.run if batch is not None else None,
                      station.name)


def _ack(req: ScanRequest | InvalidScan, station: StationRow, decision: ScanDecision,
         batch: Row[Any] | None, steps: list[tuple[int, str]], message: str | None
         ) -> dict[str, Any]:
    """Build the ack a station gets (and a repeat of the same event_id gets again)."""
    ack: dict[str, Any] = {"event_id": req.event_id, "outcome": decision.outcome.value}
    if decision.reason is not None:
        ack["reason"] = decision.reason.value
        ack["message"] = message or REASON_TEXT[decision.reason]
        if decision.outcome is Outcome.REJECTED:  # the REST error shape, alongside
            ack.update(error_fields(ack["reason"], ack["message"]))
    if batch is not None:
        idx = decision.step_index
        after = decision.next_step_index if decision.accepted else batch.step_index
        state = decision.state.value if decision.accepted and decision.state else batch.state
        ack.update(batch=batch.code, run=batch.run, item=batch.item,
                   quantity=amount_text(batch.quantity), unit=batch.unit,
                   step=steps[idx][1] if idx is not None and idx < len(steps) else None,
                   next_step=steps[after][1] if after is not None and after < len(steps)
                   else None, state=state)
    if decision.action is not None:
        ack["transition"] = decision.action.value
    if decision.reason is Reason.WRONG_STEP:
        ack["expected_step"] = ack["step"]
    ack["station"] = station.name
    return ack


def _replay(first: tuple[int | None, dict[str, Any]], station: StationRow) -> ScanResult:
    station_id, result = first
    if station_id != station.id:
        ack = {"event_id": result.get("event_id"), "outcome": Outcome.REJECTED.value,
               "reason": Reason.INVALID_PAYLOAD.value,
               "message": "this event_id belongs to another station"}
        return ScanResult(ack, True, station=station.name)
    return ScanResult(dict(result), True, station=station.name)
