"""A batch's history to open and read: steps, every scan (refused ones too), genealogy, audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ScanEvent, Station
from . import audit
from .batches import _relatives, batch_by_code, batch_summary, execution_dict, undone_keys


def batch_history(session: Session, code: str) -> dict[str, Any]:
    """Return what happened to a batch, oldest first; an unknown code is NotFound.

    Refused scans are kept per batch when the code named a batch (wrong step, on hold,
    already done, duplicate); a code that names no batch has no batch to file it under.
    """
    batch = batch_by_code(session, code)
    undone = undone_keys(session, batch.code)
    rows = session.execute(
        select(ScanEvent, Station.name).outerjoin(Station, Station.id == ScanEvent.station_id)
        .where(ScanEvent.batch_id == batch.id).order_by(ScanEvent.id)).all()
    return {
        "batch": {**batch_summary(batch), "run_status": batch.run.status,
                  "routing": [s.operation.code for s in batch.routing.steps],
                  "created_at": batch.created_at.isoformat()},
        "steps": [execution_dict(e) for e in batch.executions],
        "scans": [_scan(s, station, undone) for s, station in rows],
        "parents": _relatives(session, batch, up=True),
        "children": _relatives(session, batch, up=False),
        "audit": audit.history(session, "batch", batch.code),
    }


def _scan(scan: ScanEvent, station: str | None, undone: set[str]) -> dict[str, Any]:
    result = scan.result or {}
    return {"event_id": scan.event_id, "at": scan.received_at.isoformat(),
            "scanned_at": scan.scanned_at.isoformat() if scan.scanned_at else None,
            "station": station, "operator": scan.operator,
            "operator_claimed": scan.operator_claimed, "outcome": scan.outcome,
            "reason": scan.reason, "message": result.get("message"),
            "step": result.get("step"), "expected_step": result.get("expected_step"),
            "transition": scan.transition, "undone": f"scan:{scan.id}" in undone}
