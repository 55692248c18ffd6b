"""A completion as the API shows it: its source's codes, and the serials or the lot it made."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.quantities import amount_text
from ..errors import NotFound
from ..models import Batch, Completion, Job, Lot, ProductionRun, Serial


def completion_by_id(session: Session, completion_id: int) -> Completion:
    row = session.get(Completion, completion_id)
    if row is None:
        raise NotFound(f"no completion {completion_id}", code="unknown_completion")
    return row


def completion_dict(session: Session, row: Completion) -> dict[str, Any]:
    """Return a completion as the API shows it, with the codes of its batch, run and job."""
    good = row.quantity_completed - row.quantity_defective
    return {
        "id": row.id,
        "batch": session.scalar(select(Batch.code).where(Batch.id == row.batch_id))
        if row.batch_id else None,
        "run": session.scalar(select(ProductionRun.number).where(ProductionRun.id == row.run_id))
        if row.run_id else None,
        "job": session.scalar(select(Job.number).where(Job.id == row.job_id))
        if row.job_id else None,
        "item": row.item.sku, "item_name": row.item.name,
        "quantity_completed": amount_text(row.quantity_completed),
        "quantity_defective": amount_text(row.quantity_defective),
        "quantity_good": amount_text(good), "unit": row.unit, "inspector": row.inspector,
        "result": row.result, "notes": row.notes, "output": row.output,
        "completed_at": row.completed_at.isoformat(), "created_by": row.created_by,
    }


def completion_answer(session: Session, row: Completion) -> dict[str, Any]:
    """Return a completion with the serials or the lot it made."""
    serials = session.scalars(select(Serial).where(Serial.completion_id == row.id)
                              .order_by(Serial.id))
    lot = session.get(Lot, row.lot_id) if row.lot_id else None
    return {
        "completion": completion_dict(session, row),
        "serials": [{"code": s.code, "item": s.item.sku, "status": s.status,
                     "location": s.location.code if s.location else None, "bin": s.bin}
                    for s in serials],
        "lot": None if lot is None else {
            "number": lot.number, "item": lot.item.sku,
            "quantity": amount_text(row.quantity_completed - row.quantity_defective),
            "unit": lot.unit, "location": lot.location.code, "bin": lot.bin,
            "status": lot.status},
    }
