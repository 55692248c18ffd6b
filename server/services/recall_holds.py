"""Recall holds: quarantine everything a recall found still in stock and stop the batches in
process, in one audited action; a supervisor's release gives each its status back.

A release restores only what is still as the hold left it: a lot someone released by hand
and issued since, or a serial scrapped meanwhile, is reported as skipped, not overwritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.batches import FLOWING, BatchState
from ..domain.lots import LotStatus
from ..domain.serials import SerialStatus, check_serial_transition
from ..errors import Conflict, NotFound, Unprocessable
from ..models import Batch, Lot, Serial, utcnow
from ..models.recalls import RecallHold, RecallHoldItem
from . import audit, batches, sequences, stock
from .actors import Actor
from .recall import origin_of, reach
from .recall_rows import affected

_FLOWING = frozenset(s.value for s in FLOWING)


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise Unprocessable("say why: a reason is required", code="reason_required")
    return text


def hold(session: Session, actor: Actor, code: str, reason: str) -> dict[str, Any]:
    """Quarantine every affected lot and serial in stock and hold every batch in process."""
    actor.require("supervisor")
    why = _reason(reason)
    origin = origin_of(session, code)
    active = session.scalar(select(RecallHold.number).where(
        RecallHold.origin == origin.key, RecallHold.released_at.is_(None)))
    if active is not None:
        raise Conflict(f"{origin.info['code']} is already held by {active}",
                       code="already_held", hold=active, origin=origin.key)
    rows = affected(session, origin, reach(session, origin))
    targets = [r for r in rows if _holdable(r)]
    if not targets:
        raise Conflict("nothing affected is in stock or in process: nothing to hold",
                       code="nothing_to_hold", origin=origin.key)
    now = utcnow()
    number = f"RH-{now.year}-{sequences.take(session, f'recall_hold:{now.year}')[0]:05d}"
    row = RecallHold(number=number, origin=origin.key, reason=why, held_by=actor.name,
                     held_at=now)
    session.add(row)
    session.flush()
    for target in targets:
        session.add(_hold_one(session, actor, row, target["kind"], target["code"]))
    audit.record(session, actor, "recall.hold", "recall_hold", number, reason=why,
                 origin=origin.key, items=[f"{t['kind']}:{t['code']}" for t in targets])
    session.flush()
    return hold_detail(session, number)


def _holdable(row: dict[str, Any]) -> bool:
    if row["kind"] == "batch":
        return bool(row["status"] in _FLOWING)
    if row["kind"] == "lot":
        return row["in_stock"] is not None and row["status"] == LotStatus.AVAILABLE
    return bool(row["status"] == SerialStatus.IN_STOCK)


def _hold_one(session: Session, actor: Actor, hold_row: RecallHold, kind: str, code: str
              ) -> RecallHoldItem:
    why = f"recall hold {hold_row.number}: {hold_row.reason}"
    if kind == "lot":
        lot = stock.lot_by_number(session, code, lock=True)
        stock.set_held_status(session, lot, LotStatus.QUARANTINED, actor=actor, reason=why)
        return RecallHoldItem(hold_id=hold_row.id, lot_id=lot.id,
                              previous_status=LotStatus.AVAILABLE.value)
    if kind == "serial":
        serial = _serial(session, code)
        _set_serial(session, actor, serial, SerialStatus.QUARANTINED, why)
        return RecallHoldItem(hold_id=hold_row.id, serial_id=serial.id,
                              previous_status=SerialStatus.IN_STOCK.value)
    batch = batches.batch_by_code(session, code, lock=True)
    previous = batch.state
    batches.hold_batch(session, actor, code, why)
    return RecallHoldItem(hold_id=hold_row.id, batch_id=batch.id, previous_status=previous)


def _serial(session: Session, code: str) -> Serial:
    found = session.scalar(select(Serial).where(Serial.code == code).with_for_update(of=Serial)
                           .execution_options(populate_existing=True))
    if found is None:
        raise NotFound(f"no serial {code!r}", code="unknown_serial", serial=code)
    return found


def _set_serial(session: Session, actor: Actor, serial: Serial, new: SerialStatus,
                reason: str) -> None:
    old = SerialStatus(serial.status)
    check_serial_transition(old, new)
    audit.record(session, actor, "serial.status", "serial", serial.code, reason=reason,
                 before=old.value, after=new.value)
    serial.status, serial.version = new.value, serial.version + 1


def release(session: Session, actor: Actor, number: str, reason: str) -> dict[str, Any]:
    """Give each held item its previous status back, unless it changed since (skipped)."""
    actor.require("supervisor")
    why = _reason(reason)
    row = _hold_row(session, number, lock=True)
    if row.released_at is not None:
        raise Conflict(f"recall hold {number} was released already", code="already_released",
                       hold=number, released_at=row.released_at.isoformat())
    restored: list[str] = []
    skipped: list[str] = []
    for item in row.items:
        kind, code, done = _release_one(session, actor, row, item, why)
        (restored if done else skipped).append(f"{kind}:{code}")
    row.released_at, row.released_by, row.release_reason = utcnow(), actor.name, why
    audit.record(session, actor, "recall.release", "recall_hold", number, reason=why,
                 restored=restored, skipped=skipped)
    session.flush()
    return {**hold_detail(session, number), "restored": restored, "skipped": skipped}


def _release_one(session: Session, actor: Actor, hold_row: RecallHold, item: RecallHoldItem,
                 why: str) -> tuple[str, str, bool]:
    reason = f"recall hold {hold_row.number} released: {why}"
    if item.lot_id is not None:
        lot = stock.lot_by_number(session, session.get_one(Lot, item.lot_id).number, lock=True)
        if lot.status != LotStatus.QUARANTINED:
            return "lot", lot.number, False
        stock.set_held_status(session, lot, LotStatus(item.previous_status), actor=actor,
                              reason=reason)
        return "lot", lot.number, True
    if item.serial_id is not None:
        serial = _serial(session, session.get_one(Serial, item.serial_id).code)
        if serial.status != SerialStatus.QUARANTINED:
            return "serial", serial.code, False
        _set_serial(session, actor, serial, SerialStatus(item.previous_status), reason)
        return "serial", serial.code, True
    batch = session.get_one(Batch, item.batch_id)
    ours = (batch.hold_reason or "").startswith(f"recall hold {hold_row.number}:")
    if batch.state != BatchState.ON_HOLD or not ours:
        return "batch", batch.code, False
    batches.release_batch(session, actor, batch.code, reason)
    return "batch", batch.code, True


def _hold_row(session: Session, number: str, *, lock: bool = False) -> RecallHold:
    stmt = select(RecallHold).where(RecallHold.number == number)
    if lock:
        stmt = stmt.with_for_update(of=RecallHold).execution_options(populate_existing=True)
    found = session.scalar(stmt)
    if found is None:
        raise NotFound(f"no recall hold {number!r}", code="unknown_hold", hold=number)
    return found


def hold_detail(session: Session, number: str) -> dict[str, Any]:
    """Return a hold with each item's code, the status it had and the status it has now."""
    row = _hold_row(session, number)
    items = []
    for item in row.items:
        if item.lot_id is not None:
            lot = session.get_one(Lot, item.lot_id)
            kind, code, now = "lot", lot.number, lot.status
        elif item.serial_id is not None:
            serial = session.get_one(Serial, item.serial_id)
            kind, code, now = "serial", serial.code, serial.status
        else:
            batch = session.get_one(Batch, item.batch_id)
            kind, code, now = "batch", batch.code, batch.state
        items.append({"kind": kind, "code": code, "previous_status": item.previous_status,
                      "status": now})
    kind, _, code = row.origin.partition(":")
    return {"number": row.number, "origin": row.origin, "origin_kind": kind, "origin_code": code,
            "reason": row.reason, "held_by": row.held_by, "held_at": row.held_at.isoformat(),
            "released_at": None if row.released_at is None else row.released_at.isoformat(),
            "released_by": row.released_by, "release_reason": row.release_reason,
            "items": items}
