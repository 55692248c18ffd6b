"""A serial's detail: its item, status and place, the completion that made it, where it came
from, the shipment it left on and its quality checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.quality import CheckSubject
from ..domain.shipments import ShipmentStatus
from ..models import QualityCheck, Shipment, ShipmentLine, Station, StepExecution
from .completion_views import completion_dict
from .serials import check_dict, serial_by_code, serial_summary


def serial_detail(session: Session, code: str) -> dict[str, Any]:
    """Return one serial with its completion, source, shipment and quality checks."""
    serial = serial_by_code(session, code)
    completion = completion_dict(session, serial.completion)
    return {
        **serial_summary(serial),
        "completion": completion,
        "batch": completion["batch"], "run": completion["run"], "job": completion["job"],
        "shipment": _shipment(session, serial.id),
        "quality_checks": quality_trail(session, serial.code, serial.completion_id,
                                        completion["batch"] or completion["job"]),
    }


def _shipment(session: Session, serial_id: int) -> dict[str, Any] | None:
    """Return the shipment the serial is on (shipped, or still being packed), or None."""
    shipment = session.scalar(
        select(Shipment).join(ShipmentLine).where(
            ShipmentLine.serial_id == serial_id,
            Shipment.status != ShipmentStatus.CANCELLED.value)
        .order_by(Shipment.id.desc()).limit(1))
    if shipment is None:
        return None
    return {"number": shipment.number, "customer": shipment.customer.code,
            "customer_name": shipment.customer.name,
            "order": shipment.order.number if shipment.order else None,
            "status": shipment.status,
            "shipped_at": shipment.shipped_at.isoformat() if shipment.shipped_at else None}


def quality_trail(session: Session, serial: str, completion_id: int, source: str | None
                  ) -> list[dict[str, Any]]:
    """Return the checks of the serial, of its completion and of its source, oldest first."""
    conds = [(QualityCheck.subject_kind == CheckSubject.SERIAL.value)
             & (QualityCheck.subject_code == serial),
             QualityCheck.completion_id == completion_id]
    if source:
        conds.append(QualityCheck.subject_code == source)
    checks = session.scalars(select(QualityCheck).where(or_(*conds))
                             .order_by(QualityCheck.at, QualityCheck.id))
    return [check_view(session, c) for c in checks]


def check_view(session: Session, check: QualityCheck) -> dict[str, Any]:
    """Return a check with the step position and station it was made at."""
    step = None
    if check.step_execution_id is not None:
        step = session.scalar(select(StepExecution.position)
                              .where(StepExecution.id == check.step_execution_id))
    station = None
    if check.station_id is not None:
        station = session.scalar(select(Station.name).where(Station.id == check.station_id))
    return check_dict(check, step, station)
