"""Quality trail of a serial: receipt inspections of its source lots, step checks on its
batches and their ancestors (through splits and merges), and its final inspection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind
from ..domain.quality import CheckStage
from ..domain.quantities import amount_text
from ..models import (
    Completion,
    IncomingInspection,
    Lot,
    Operation,
    QualityCheck,
    ReceiptLine,
    RoutingStep,
    Serial,
    Station,
    StepExecution,
    Supplier,
    SupplierReceipt,
)
from .report_chain import Ancestry, ancestry, serial_by_code, when

COLUMNS = ["at", "stage", "subject_kind", "subject", "step", "where", "inspector", "result",
           "defects", "notes"]
STAGES = [s.value for s in CheckStage]


def quality_trail(session: Session, code: str) -> dict[str, Any]:
    """Return every inspection in a serial's chain, oldest first (404 unknown_code)."""
    serial = serial_by_code(session, code)
    found = ancestry(session, f"{NodeKind.SERIAL.value}:{serial.code}")
    return {"report": "quality-trail", "serial": serial.code, "item": serial.item.sku,
            "item_name": serial.item.name, "columns": COLUMNS,
            "rows": trail_rows(session, serial, found)}


def trail_rows(session: Session, serial: Serial, found: Ancestry) -> list[dict[str, Any]]:
    """Return the inspections of a serial's chain in time order."""
    rows = _receipt_inspections(session, found) + _checks(session, serial, found)
    if not any(r["stage"] == CheckStage.FINAL and r["completion"] == serial.completion_id
               for r in rows):
        rows.append(_completion_row(serial.completion))
    rows.sort(key=lambda r: (r["at"], STAGES.index(r["stage"])))
    for row in rows:
        row.pop("completion", None)
        row["at"] = when(row["at"])
    return rows


def _receipt_inspections(session: Session, found: Ancestry) -> list[dict[str, Any]]:
    numbers = [n.code for n in found.sources()]
    if not numbers:
        return []
    stmt = (select(IncomingInspection, SupplierReceipt.number, Supplier.code, Lot.number)
            .join(SupplierReceipt, SupplierReceipt.id == IncomingInspection.receipt_id)
            .join(Supplier, Supplier.id == SupplierReceipt.supplier_id)
            .join(ReceiptLine, ReceiptLine.receipt_id == SupplierReceipt.id)
            .join(Lot, Lot.id == ReceiptLine.lot_id)
            .where(Lot.number.in_(numbers)).order_by(IncomingInspection.id, Lot.number))
    by_inspection: dict[int, dict[str, Any]] = {}
    for inspection, receipt, supplier, lot in session.execute(stmt):
        row = by_inspection.setdefault(inspection.id, {
            "at": inspection.at, "stage": CheckStage.RECEIPT.value, "subject_kind": "lot",
            "subject": [], "step": None, "where": f"{receipt} ({supplier})",
            "inspector": inspection.inspector, "result": inspection.result,
            "defects": inspection.defects, "notes": inspection.notes, "completion": None})
        row["subject"].append(lot)
    for row in by_inspection.values():
        row["subject"] = " ".join(row["subject"])  # the lots of the receipt in this chain
    return list(by_inspection.values())


def _checks(session: Session, serial: Serial, found: Ancestry) -> list[dict[str, Any]]:
    """Return quality checks on the chain's batches, jobs and lots, and on the serial."""
    ids = {kind: [n.ref_id for n in found.of_kind(kind) if n.ref_id]
           for kind in (NodeKind.BATCH, NodeKind.JOB, NodeKind.LOT)}
    stmt = (select(QualityCheck, Station.name, Operation.code)
            .outerjoin(Station, Station.id == QualityCheck.station_id)
            .outerjoin(StepExecution, StepExecution.id == QualityCheck.step_execution_id)
            .outerjoin(RoutingStep, RoutingStep.id == StepExecution.step_id)
            .outerjoin(Operation, Operation.id == RoutingStep.operation_id)
            .where(or_(QualityCheck.batch_id.in_(ids[NodeKind.BATCH]),
                       QualityCheck.job_id.in_(ids[NodeKind.JOB]),
                       QualityCheck.lot_id.in_(ids[NodeKind.LOT]),
                       QualityCheck.serial_id == serial.id,
                       QualityCheck.completion_id == serial.completion_id))
            .order_by(QualityCheck.id))
    return [{"at": check.at, "stage": check.stage, "subject_kind": check.subject_kind,
             "subject": check.subject_code, "step": operation, "where": station or "",
             "inspector": check.inspector, "result": check.result, "defects": str(check.defects),
             "notes": check.notes, "completion": check.completion_id}
            for check, station, operation in session.execute(stmt)]


def _completion_row(completion: Completion) -> dict[str, Any]:
    """Return the final inspection as the completion recorded it."""
    at: datetime = completion.completed_at
    return {"at": at, "stage": CheckStage.FINAL.value,
            "subject_kind": "batch" if completion.batch_id else "job",
            "subject": _source_code(completion), "step": None, "where": "",
            "inspector": completion.inspector, "result": completion.result,
            "defects": amount_text(completion.quantity_defective), "notes": completion.notes,
            "completion": completion.id}


def _source_code(completion: Completion) -> str:
    from ..models import Batch, Job

    session = Session.object_session(completion)
    assert session is not None
    if completion.batch_id:
        return session.get_one(Batch, completion.batch_id).code
    return session.get_one(Job, completion.job_id).number
