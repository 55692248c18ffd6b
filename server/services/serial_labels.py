"""Labels for finished serials: the code in the QR (read back as a serial), item and origin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from labels import LabelData
from labels.payload import encode

from ..models import Serial
from .completion_views import completion_by_id, completion_dict
from .serials import serial_by_code


def serial_label(session: Session, serial: Serial) -> LabelData:
    """Describe one serial's label: its plain code, which a scan reads back by its shape."""
    completion = completion_dict(session, serial.completion)
    lines = [f"Made {serial.completion.completed_at.date().isoformat()}"]
    source = completion["batch"] or completion["job"]
    if source:
        lines.append(f"From {source}")
    if serial.location is not None:
        lines.append(f"At {serial.location.code} {serial.bin}".rstrip())
    return LabelData(code=serial.code, item_sku=serial.item.sku, item_name=serial.item.name,
                     quantity="1", unit="pcs", run_number=completion["run"] or "",
                     payload_text=encode(serial.code), lines=tuple(lines))


def serial_labels(session: Session, code: str) -> list[LabelData]:
    """Return the one label of a serial (unknown_code if there is none)."""
    return [serial_label(session, serial_by_code(session, code))]


def completion_labels(session: Session, completion_id: int) -> list[LabelData]:
    """Return the labels of every serial a completion made, in code order."""
    row = completion_by_id(session, completion_id)
    serials = session.scalars(select(Serial).where(Serial.completion_id == row.id)
                              .order_by(Serial.id))
    return [serial_label(session, s) for s in serials]
