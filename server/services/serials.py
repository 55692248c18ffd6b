"""Finished serials: their codes (gap-free per TYPE and day), the item's serial type, views."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain import numbering
from ..domain.serials import SerialStatus, check_serial_type, default_serial_type
from ..errors import BadRequest, NotFound
from ..models import Completion, Item, Location, QualityCheck, Serial
from . import audit, sequences
from .actors import Actor
from .catalog import item_by_sku

PAGE_SIZE = 100


def serial_type_of(item: Item) -> str:
    """Return the TYPE an item's serials start with: its own setting, or one made of its SKU."""
    return item.serial_type or default_serial_type(item.sku)


def set_serial_type(session: Session, actor: Actor, sku: str, value: str | None
                    ) -> dict[str, Any]:
    """Set the TYPE of an item's serial codes (None or "" goes back to the SKU's)."""
    actor.require("planner")
    item = item_by_sku(session, sku)
    new = check_serial_type(value) if value and value.strip() else None
    if new != item.serial_type:
        audit.record(session, actor, "item.serial_type", "item", sku, before=item.serial_type,
                     after=new)
        item.serial_type = new
    return {"sku": item.sku, "serial_type": serial_type_of(item),
            "serial_type_set": item.serial_type}


def new_codes(session: Session, item: Item, day: date, count: int) -> list[str]:
    """Reserve count consecutive serial codes of the item's TYPE for the day."""
    kind = serial_type_of(item)
    # One counter per TYPE and day: its row lock makes codes unique and gap-free at once.
    seqs = sequences.take(session, f"SN:{kind}:{day.isoformat()}", count)
    return [numbering.serial_number(kind, day, seq) for seq in seqs]


def make_serials(session: Session, completion: Completion, *, count: int, status: SerialStatus,
                 location: Location, bin: str) -> list[Serial]:
    """Write count serials of the completion's item, made on its completion day."""
    codes = new_codes(session, completion.item, completion.completed_at.date(), count)
    rows = [Serial(code=code, item_id=completion.item_id, completion_id=completion.id,
                   status=status.value, location_id=location.id, bin=bin) for code in codes]
    session.add_all(rows)
    session.flush()
    return rows


def serial_by_code(session: Session, code: str, *, lock: bool = False) -> Serial:
    """Return a serial by its code, or raise unknown_code."""
    stmt = select(Serial).where(Serial.code == code.upper())
    if lock:
        stmt = stmt.with_for_update(of=Serial)
    serial = session.scalar(stmt)
    if serial is None:
        raise NotFound(f"no serial {code!r}", code="unknown_code", serial=code)
    return serial


def serial_summary(serial: Serial) -> dict[str, Any]:
    """Return what a list or a completion's answer shows of a serial."""
    return {"code": serial.code, "item": serial.item.sku, "item_name": serial.item.name,
            "status": serial.status,
            "location": serial.location.code if serial.location else None, "bin": serial.bin,
            "completed_at": serial.completion.completed_at.isoformat()}


def list_serials(session: Session, *, status: str = "", item: str = "", q: str = "",
                 page: int = 1) -> dict[str, Any]:
    """Return one page of serials, newest first, filtered by status, item and a search."""
    if status and status not in SerialStatus.__members__.values():
        raise BadRequest(f"unknown serial status {status!r}", code="invalid_status",
                         statuses=[s.value for s in SerialStatus])
    stmt = select(Serial).join(Item, Item.id == Serial.item_id)
    if status:
        stmt = stmt.where(Serial.status == status)
    if item:
        stmt = stmt.where(Item.sku == item)
    if q:
        stmt = stmt.where(or_(Serial.code.icontains(q, autoescape=True),
                              Item.name.icontains(q, autoescape=True),
                              Item.sku.icontains(q, autoescape=True)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    rows = session.scalars(stmt.order_by(Serial.id.desc())
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return {"serials": [serial_summary(s) for s in rows], "total": total, "page": page,
            "page_size": PAGE_SIZE}


def check_dict(check: QualityCheck, step: int | None = None, station: str | None = None
               ) -> dict[str, Any]:
    """Return a quality check as the API shows it."""
    return {"id": check.id, "stage": check.stage, "subject_kind": check.subject_kind,
            "subject_code": check.subject_code, "step": step, "station": station,
            "inspector": check.inspector, "result": check.result, "defects": check.defects,
            "notes": check.notes, "at": check.at.isoformat()}
