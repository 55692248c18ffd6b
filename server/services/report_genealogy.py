"""Genealogy report of a serial: its header, the materials it came from, the timeline of
steps of its batches and their ancestors, and its quality checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind
from ..domain.reports import seconds
from ..models import (
    Batch,
    Item,
    Job,
    Lot,
    Operation,
    ProductionRun,
    RoutingStep,
    Serial,
    Station,
    StepExecution,
    Supplier,
)
from . import trace
from .receipt_views import with_supplier
from .report_chain import Ancestry, ancestry, serial_by_code, text_of, when
from .report_quality import COLUMNS as CHECK_COLUMNS
from .report_quality import trail_rows

MATERIAL_COLUMNS = ["lot", "item", "item_name", "supplier", "supplier_batch", "certificate",
                    "quantity", "unit", "share", "share_decimal"]
STEP_COLUMNS = ["batch", "position", "operation", "station", "operator", "started_at",
                "finished_at", "duration_s", "quantity_in", "good", "rejected", "scrapped",
                "waste", "unit"]
# The CSV file holds the three tables one under the other, each row naming its section.
COLUMNS = list(dict.fromkeys(["section", *MATERIAL_COLUMNS, *STEP_COLUMNS, *CHECK_COLUMNS]))


def genealogy_report(session: Session, code: str) -> dict[str, Any]:
    """Return a serial's genealogy report (404 unknown_code)."""
    serial = serial_by_code(session, code)
    key = f"{NodeKind.SERIAL.value}:{serial.code}"
    found = ancestry(session, key)
    materials = _materials(session, found, key)
    steps = _timeline(session, found)
    checks = trail_rows(session, serial, found)
    rows = ([{"section": "material", **m} for m in materials]
            + [{"section": "step", **s} for s in steps]
            + [{"section": "check", **c} for c in checks])
    return {"report": "genealogy", "serial": _header(session, serial),
            "materials": materials, "steps": steps, "quality_checks": checks,
            "columns": COLUMNS, "rows": rows}


def _header(session: Session, serial: Serial) -> dict[str, Any]:
    completion = serial.completion
    batch = session.get(Batch, completion.batch_id) if completion.batch_id else None
    job = session.get(Job, completion.job_id) if completion.job_id else None
    run = session.get(ProductionRun, completion.run_id) if completion.run_id else None
    return {"code": serial.code, "item": serial.item.sku, "item_name": serial.item.name,
            "status": serial.status, "completed_at": when(completion.completed_at),
            "inspector": completion.inspector, "result": completion.result,
            "notes": completion.notes, "batch": batch.code if batch else None,
            "run": run.number if run else None, "job": job.number if job else None,
            "location": serial.location.code if serial.location else None, "bin": serial.bin}


def _materials(session: Session, found: Ancestry, key: str) -> list[dict[str, Any]]:
    """Return the source lots with what of each went into the serial and its share."""
    sources = {n.code: n for n in found.sources()}
    if not sources:
        return []
    shares = {n["code"]: n for n in trace.trace(session, key, "back")["nodes"]
              if n["kind"] == NodeKind.LOT}
    stmt = (with_supplier(select(Lot, Item, Supplier.code).join(Item, Item.id == Lot.item_id))
            .where(Lot.number.in_(sources)).order_by(Item.sku, Lot.number))
    rows = []
    for lot, item, supplier in session.execute(stmt):
        amounts = found.consumed(sources[lot.number], lot.unit)
        share = shares.get(lot.number, {})
        rows.append({"lot": lot.number, "item": item.sku, "item_name": item.name,
                     "supplier": supplier or "", "supplier_batch": lot.supplier_batch,
                     "certificate": lot.certificate,
                     "quantity": text_of(amounts[0] + amounts[1]) if amounts else None,
                     "unit": lot.unit, "share": share.get("share"),
                     "share_decimal": share.get("share_decimal")})
    return rows


def _timeline(session: Session, found: Ancestry) -> list[dict[str, Any]]:
    """Return the step executions of the chain's batches (undone ones left out), in time order."""
    ids = [n.ref_id for n in found.of_kind(NodeKind.BATCH) if n.ref_id]
    stmt = (select(StepExecution, Batch.code, Batch.unit, Operation.code, Station.name)
            .join(Batch, Batch.id == StepExecution.batch_id)
            .join(RoutingStep, RoutingStep.id == StepExecution.step_id)
            .join(Operation, Operation.id == RoutingStep.operation_id)
            .outerjoin(Station, Station.id == StepExecution.station_id)
            .where(StepExecution.batch_id.in_(ids), StepExecution.undone_at.is_(None))
            .order_by(StepExecution.started_at, StepExecution.id))
    rows = []
    for e, batch, unit, operation, station in session.execute(stmt):
        duration = (seconds(e.finished_at - e.started_at)
                    if e.finished_at and e.finished_at > e.started_at else None)
        rows.append({"batch": batch, "position": e.position, "operation": operation,
                     "station": station or "", "operator": e.operator or "",
                     "finished_by": e.finished_by or "", "started_at": when(e.started_at),
                     "finished_at": when(e.finished_at), "duration_s": text_of(duration),
                     "quantity_in": text_of(e.quantity_in), "good": text_of(e.quantity_good),
                     "rejected": text_of(e.quantity_rejected),
                     "scrapped": text_of(e.quantity_scrapped), "waste": text_of(e.quantity_waste),
                     "unit": unit})
    return rows
