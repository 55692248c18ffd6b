"""Record a scan: store the event and apply its transition in one transaction, once per id."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from station.protocol import deferred_ack, error_fields

from .. import effects
from ..db import writer
from ..dberrors import RETRY_AFTER_SECONDS, is_connection_lost, is_transient
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
from ..metrics import observe_scan
from ..models import utcnow
from ..settings import Settings
from . import codes, job_scans, lot_scans, operators, packing, scan_store, serial_scans
from .scan_refusals import refused, savepoint
from .scan_results import ScanResult as ScanResult  # the service's result, re-exported
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
    Reason.RUN_CANCELLED: "Run was cancelled",
    Reason.DATABASE_BUSY: "Server busy, the scan will be sent again",
    Reason.CLOCK_SKEW: "Station clock is wrong",
    **lot_scans.TEXT,
    **job_scans.TEXT,
    **packing.TEXT,
}


def record_scan(engine: Engine, station_id: int, body: object, settings: Settings, *,
                token_hash: str | None = None, operator: str | None = None) -> ScanResult:
    """Record one scan in its own transaction; a repeated event_id replays the first result.

    operator is a user the caller verified (a code typed at a kiosk); without one, the
    scan is the station's logged-in operator's. A database failure that may pass is
    answered deferred (nothing stored, the station resends); only data the database
    refuses for good is answered and stored as a rejection.
    """
    started = time.perf_counter()
    try:
        result = _attempt(engine, station_id, body, settings, token_hash, operator)
    except (DBAPIError, PoolTimeout) as err:
        if not is_transient(err):
            raise
        log.warning("scan deferred, the database is unavailable: %s", err)
        result = deferred(body)
    observe(result, time.perf_counter() - started)
    return result


def observe(result: ScanResult, seconds: float) -> None:
    """Count a scan's answer and time it."""
    outcome = str(result.ack.get("outcome"))
    if result.replayed and outcome != Outcome.DEFERRED.value:
        outcome = "replayed"  # a resent event: counted once, when it was first recorded
    observe_scan(outcome, str(result.ack.get("reason") or ""), seconds)


def record_in(conn: Connection, station_id: int, body: object, settings: Settings, *,
              operator: str | None = None) -> ScanResult:
    """Record one scan in the caller's transaction (the demo seed works its history in one)."""
    return _record(conn, station_id, body, settings, None, operator)


def _attempt(engine: Engine, station_id: int, body: object, settings: Settings,
             token_hash: str | None, operator: str | None) -> ScanResult:
    # Core on a plain connection: the hot path needs none of the ORM's unit of work.
    # Repeats are rare, so rather than look every event_id up first, the unique index on
    # event_id refuses a repeat's insert; that rolls the whole attempt back and we answer
    # with the first result (this also covers one event arriving on two connections at once).
    try:
        with effects.begin(writer(engine)) as conn:
            return _record(conn, station_id, body, settings, token_hash, operator)
    except IntegrityError as err:
        with engine.connect() as conn:
            replay = _replay_of(conn, station_id, body)
        return replay or refused(writer(engine).begin, station_id, body, err)
    except DBAPIError as err:
        if is_transient(err):
            raise
        return refused(writer(engine).begin, station_id, body, err)


def record_in_savepoint(conn: Connection, station_id: int, body: object, settings: Settings,
                        *, token_hash: str | None = None) -> ScanResult:
    """Record one scan of a group in its own savepoint of the caller's transaction.

    A scan the database refuses rolls back to its savepoint only (and is answered as alone);
    a transient failure defers this scan alone, unless it took the transaction with it.
    """
    mark = effects.pending(conn)
    try:
        with savepoint(conn):
            return _record(conn, station_id, body, settings, token_hash)
    except IntegrityError as err:
        effects.keep_first(conn, mark)
        # The first of a repeated event_id may be earlier in this same group: it is visible.
        return (_replay_of(conn, station_id, body)
                or refused(lambda: savepoint(conn), station_id, body, err))
    except DBAPIError as err:
        if is_connection_lost(err):
            raise  # the transaction went with the connection: the whole group is deferred
        effects.keep_first(conn, mark)
        if not is_transient(err):
            return refused(lambda: savepoint(conn), station_id, body, err)
        log.warning("scan deferred, the database refused it for now: %s", err.orig)
        return deferred(body)


def _replay_of(conn: Connection, station_id: int, body: object) -> ScanResult | None:
    """Return the first result of a repeated event_id, or None if it was not a repeat."""
    event_id = event_id_of(body)
    first = scan_store.first_result(conn, event_id) if event_id else None
    return None if first is None else _replay(first, scan_store.load_station(conn, station_id))


def deferred(body: object) -> ScanResult:
    """Return the ack of a scan the database cannot take now: nothing stored, resent later."""
    ack = deferred_ack(event_id_of(body), RETRY_AFTER_SECONDS,
                       REASON_TEXT[Reason.DATABASE_BUSY], reason=Reason.DATABASE_BUSY)
    return ScanResult(ack, replayed=True)  # nothing happened: nothing to broadcast


def _record(session: Connection, station_id: int, body: object, settings: Settings,
            token_hash: str | None, operator: str | None = None) -> ScanResult:
    now = utcnow()
    station = scan_store.load_station(session, station_id)
    req = parse_scan(body, now=now, max_skew=timedelta(hours=settings.scan_clock_skew_hours),
                     max_age=timedelta(hours=settings.scan_max_age_hours))
    if isinstance(req, InvalidScan):
        return _store(session, station, req, now, ScanDecision(Outcome.REJECTED, req.reason),
                      None, message=req.message)
    who = operators.resolve(session, station.id, req.operator, now, settings, verified=operator)
    req = replace(req, operator=who.operator)
    kind, code = codes.parse(req.code)
    login = operators.badge_read(session, station.id, station.name, req.event_id, req.code,
                                 now) if kind == "unknown" else None
    if login is not None:  # a badge is a login, never stored or shown as a scan
        return ScanResult(login, station=station.name)
    if kind in ("serial", "lot", "shipment") and packing.is_packing(session, station.id):
        pack = packing.pack_here(session, station.id, kind, code, event_id=req.event_id,
                                 operator=req.operator, station_name=station.name,
                                 token_hash=token_hash)
        return _store_lot(session, station, req, now, pack, who.claimed,
                          transition=pack.transition)
    if kind == "lot":  # one branch off the batch path: a lot's label issues it (lot_scans)
        lot = lot_scans.issue_here(session, station.id, code, event_id=req.event_id,
                                   operator=req.operator, station_name=station.name,
                                   at=min(req.scanned_at, now), token_hash=token_hash,
                                   recent=timedelta(minutes=settings.lot_scan_minutes))
        return _store_lot(session, station, req, now, lot, who.claimed)
    if kind == "job":  # a job's label opens its receipt form at its stage's station
        job = job_scans.open_here(session, station.id, code, token_hash=token_hash)
        return _store_lot(session, station, req, now, job, who.claimed,
                          transition=job_scans.OPENED)
    batch = scan_store.load_batch(session, code, station.id) if kind == "batch" else None
    if batch is None:
        # A serial's label: refused as not a batch, saying which serial it is (if it is one).
        serial = serial_scans.serial_fields(session, code) if kind == "serial" else None
        reason = Reason.NOT_A_BATCH if kind not in ("unknown", "batch") else Reason.UNKNOWN_CODE
        return _store(session, station, req, now, ScanDecision(Outcome.REJECTED, reason), None,
                      claimed=who.claimed, extra=serial)
    if token_hash is not None and batch.station_token != token_hash:
        # The connection outlived its token (rotated on another server process).
        return _store(session, station, req, now,
                      ScanDecision(Outcome.REJECTED, Reason.NOT_AUTHORIZED), None,
                      claimed=who.claimed)
    steps = scan_store.routing(session, batch.routing_id)
    # A bounce is measured in station time: a backlog resent after a network cut arrives
    # all at once, but its scans were made as far apart as they were.
    at = min(req.scanned_at, now)
    since = ((at - batch.last_scan_at).total_seconds()
             if batch.last_scan_at and batch.last_station_id == station.id else None)
    if is_repeat(since, settings.scan_repeat_window):
        decision = ScanDecision(Outcome.DUPLICATE, Reason.DUPLICATE_SCAN,
                                step_index=batch.step_index,
                                next_step_index=batch.step_index)
        return _store(session, station, req, now, decision, batch, steps, claimed=who.claimed)
    decision = decide_scan(ScanContext(
        BatchState(batch.state), batch.step_index, [op for _, op in steps], station.operation,
        ScanMode(station.scan_mode), batch.station_enabled))
    run_status = batch.run_status
    if decision.accepted:
        run_status = scan_store.apply(session, batch, steps, station, decision, req.operator,
                                      at, now)
    return _store(session, station, req, now, decision, batch, steps, run_status=run_status,
                  claimed=who.claimed)


def _store(session: Connection, station: StationRow, req: ScanRequest | InvalidScan,
           now: datetime, decision: ScanDecision, batch: Row[Any] | None,
           steps: list[tuple[int, str]] | None = None, message: str | None = None,
           run_status: str | None = None, claimed: str | None = None,
           extra: dict[str, Any] | None = None) -> ScanResult:
    ack = {**_ack(req, station, decision, batch, steps or [], message), **(extra or {})}
    raw = req.code if isinstance(req, ScanRequest) else req.raw_code
    if operators.looks_like_badge(raw):  # refused before it was read as a login: keep it out
        raw = ""
    operator = req.operator if isinstance(req, ScanRequest) else None
    scan_store.store_event(
        session, event_id=req.event_id or str(uuid.uuid4()), station_id=station.id,
        raw_code=raw, symbology=getattr(req, "symbology", ""),
        source=getattr(req, "source", ""), scanned_at=getattr(req, "scanned_at", None),
        received_at=now, operator=operator, operator_claimed=claimed,
        outcome=decision.outcome.value,
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


def _store_lot(session: Connection, station: StationRow, req: ScanRequest, now: datetime,
               lot: lot_scans.LotScan | job_scans.JobScan | packing.PackScan,
               claimed: str | None, *,
               transition: str = lot_scans.ISSUED) -> ScanResult:
    """Store a lot's (or job's) scan event and answer it: lot, batch and quantity issued,
    or the job whose receipt form opens."""
    ack: dict[str, Any] = {"event_id": req.event_id, "outcome": lot.outcome.value,
                           **lot.fields}
    if lot.reason is not None:
        ack.update(reason=lot.reason.value,
                   **error_fields(lot.reason.value, REASON_TEXT[lot.reason]))
    else:
        ack["transition"] = transition
    ack["station"] = station.name
    scan_store.store_event(
        session, event_id=req.event_id, station_id=station.id, raw_code=req.code,
        symbology=req.symbology, source=req.source, scanned_at=req.scanned_at,
        received_at=now, operator=req.operator, operator_claimed=claimed,
        outcome=lot.outcome.value, reason=lot.reason.value if lot.reason else None,
        transition=ack.get("transition"), result=ack)
    scan = {**ack, "code": req.code[:200], "at": now.isoformat(), "operator": req.operator}
    return ScanResult(ack, False, scan, None, ack.get("run"), station.name)


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
        idx, after = decision.step_index, decision.next_step_index
        state = decision.state.value if decision.state else batch.state
        ack.update(batch=batch.code, run=batch.run, item=batch.item,
                   quantity=amount_text(batch.quantity), unit=batch.unit,
                   step=_step_name(steps, idx), next_step=_step_name(steps, after),
                   state=state)
    if decision.action is not None:
        ack["transition"] = decision.action.value
    if decision.reason is Reason.WRONG_STEP:
        ack["expected_step"] = ack["step"]
    if decision.reason is Reason.ALREADY_DONE and ack.get("step") and not message:
        ack["message"] = f"Already done at this step ({ack['step']})"
    ack["station"] = station.name
    return ack


def _step_name(steps: list[tuple[int, str]], index: int | None) -> str | None:
    return steps[index][1] if index is not None and index < len(steps) else None


def _replay(first: tuple[int | None, dict[str, Any]], station: StationRow) -> ScanResult:
    station_id, result = first
    if station_id != station.id:
        ack = {"event_id": result.get("event_id"), "outcome": Outcome.REJECTED.value,
               "reason": Reason.INVALID_PAYLOAD.value,
               "message": "this event_id belongs to another station"}
        return ScanResult(ack, True, station=station.name)
    return ScanResult(dict(result), True, station=station.name)
