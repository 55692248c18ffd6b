"""Completing a run's batch or a job's output: a completion with its final inspection, and
the finished serials (one per good piece) or the one finished lot it makes.

Everything is written in the caller's one transaction; a refusal raises before anything is
added, so the request's rollback leaves nothing of it behind. The source's row lock makes two
completions of one batch (or job) at once wait for each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.batches import BatchState
from ..domain.errors import QuantityError
from ..domain.genealogy import NodeKind, Relation
from ..domain.jobs import Bucket
from ..domain.lots import LotStatus
from ..domain.quality import QUARANTINES, CheckStage, CheckSubject, InspectionResult
from ..domain.quantities import Quantity, amount_text, is_counted
from ..domain.serials import (
    CompletionOutput,
    MoreThanCameIn,
    SerialStatus,
    check_completion,
    serial_count,
)
from ..errors import Conflict, NotFound, Unprocessable
from ..models import (
    Batch,
    Completion,
    GenealogyNode,
    Item,
    Job,
    JobReceipt,
    JobReceiptRow,
    QualityCheck,
    utcnow,
)
from . import audit, genealogy, stock
from .actors import Actor
from .catalog import item_by_sku
from .completion_views import completion_answer
from .locations import location_by_code
from .serials import make_serials

SHORT = {"quantity_completed", "quantity_defective"}


@dataclass(frozen=True, slots=True)
class CompletionIn:
    """What a completion records, as sent."""

    quantity_completed: Decimal
    quantity_defective: Decimal
    inspector: str
    result: str
    output: str
    location: str
    bin: str = ""
    notes: str = ""
    completed_at: datetime | None = None
    event_id: str | None = None
    item: str | None = None  # a job's output of several items: which one


@dataclass(frozen=True, slots=True)
class Source:
    """Where the completed quantity comes from: a done batch or a job's received output."""

    node: GenealogyNode
    item: Item
    unit: str
    available: Decimal
    batch: Batch | None = None
    job: Job | None = None


def complete_batch(session: Session, actor: Actor, code: str, spec: CompletionIn
                   ) -> dict[str, Any]:
    """Complete and inspect (part of) a done batch into serials or a finished lot."""
    actor.require("operator")
    first = _replay(session, spec.event_id)
    if first is not None:
        return first
    batch = session.scalar(select(Batch).where(Batch.code == code).with_for_update(of=Batch))
    if batch is None:
        raise NotFound(f"no batch {code!r}", code="unknown_code", batch=code)
    if batch.state != BatchState.DONE:
        raise Conflict(f"batch {code} is {batch.state}: only a batch done with all its steps "
                       "is completed", code="batch_not_done", state=batch.state)
    taken = _taken(session, Completion.batch_id == batch.id)
    node = genealogy.node(session, NodeKind.BATCH, batch.code, batch.id)
    return _complete(session, actor, spec, Source(node, batch.item, batch.unit,
                                                  batch.quantity - taken, batch=batch))


def complete_job(session: Session, actor: Actor, number: str, spec: CompletionIn
                 ) -> dict[str, Any]:
    """Complete and inspect (part of) a job's received good output."""
    actor.require("operator")
    first = _replay(session, spec.event_id)
    if first is not None:
        return first
    job = session.scalar(select(Job).where(Job.number == number).with_for_update(of=Job))
    if job is None:
        raise NotFound(f"no job {number!r}", code="unknown_code", job=number)
    item = _job_item(session, job, spec.item)
    received = job_received(session, job, item)
    taken = _taken(session, Completion.job_id == job.id, Completion.item_id == item.id)
    node = genealogy.node(session, NodeKind.JOB, job.number, job.id)
    return _complete(session, actor, spec, Source(node, item, item.unit, received - taken,
                                                  job=job))


def remaining(session: Session, kind: str, code: str) -> dict[str, Any]:
    """Say what a batch or job has left to complete (what the completion form prefills)."""
    if kind == "batch":
        batch = session.scalar(select(Batch).where(Batch.code == code))
        if batch is None:
            raise NotFound(f"no batch {code!r}", code="unknown_code", batch=code)
        item, unit, total = batch.item, batch.unit, batch.quantity
        taken = _taken(session, Completion.batch_id == batch.id)
        state, ready = batch.state, batch.state == BatchState.DONE
    else:
        job = job_by_number(session, code)
        if not _received_items(session, job):
            return {"kind": kind, "code": code, "item": None, "item_name": "", "unit": "",
                    "counted": False, "good": "0", "completed": "0", "left": "0",
                    "state": job.status, "ready": False}
        item = _job_item(session, job, None)
        unit, total = item.unit, job_received(session, job, item)
        taken = _taken(session, Completion.job_id == job.id, Completion.item_id == item.id)
        state, ready = job.status, True
    return {"kind": kind, "code": code, "item": item.sku, "item_name": item.name,
            "unit": unit, "counted": is_counted(unit), "good": amount_text(total),
            "completed": amount_text(taken), "left": amount_text(total - taken),
            "state": state, "ready": ready}


def job_by_number(session: Session, number: str) -> Job:
    """Return a job, or raise unknown_code."""
    job = session.scalar(select(Job).where(Job.number == number))
    if job is None:
        raise NotFound(f"no job {number!r}", code="unknown_code", job=number)
    return job


def job_received(session: Session, job: Job, item: Item) -> Decimal:
    """Return the job's good received output of the item: pieces, or weight in its unit."""
    rows = session.scalars(select(JobReceiptRow).join(JobReceipt).where(
        JobReceipt.job_id == job.id, JobReceiptRow.bucket == Bucket.RECEIVED,
        JobReceiptRow.item_id == item.id))
    if is_counted(item.unit):
        return sum((Quantity(Decimal(r.pieces), "pcs").to(item.unit).amount for r in rows),
                   Decimal(0))
    return sum((Quantity(r.weight, r.unit).to(item.unit).amount for r in rows), Decimal(0))


def _job_item(session: Session, job: Job, sku: str | None) -> Item:
    """Return the item a job's completion is of: the one named, or the job's only output."""
    if sku is not None:
        return item_by_sku(session, sku)
    ids = _received_items(session, job)
    if not ids:
        raise Unprocessable(f"job {job.number} has received no good output to complete",
                            code="more_than_came_in", available="0")
    if len(ids) > 1:
        raise Unprocessable(f"job {job.number} received several items: name the item",
                            code="item_required")
    item = session.get(Item, ids.pop())
    assert item is not None
    return item


def _received_items(session: Session, job: Job) -> set[int]:
    """Return the ids of the items a job has received good output of."""
    return set(session.scalars(select(JobReceiptRow.item_id).join(JobReceipt).where(
        JobReceipt.job_id == job.id, JobReceiptRow.bucket == Bucket.RECEIVED,
        JobReceiptRow.item_id.is_not(None))))


def _taken(session: Session, *where: Any) -> Decimal:
    total = session.scalar(select(func.coalesce(func.sum(Completion.quantity_completed), 0))
                           .where(*where))
    return Decimal(total or 0)


def _good(spec: CompletionIn, source: Source) -> Decimal:
    """Return the good quantity, refusing what the source cannot give (422) or nonsense."""
    if spec.output == CompletionOutput.SERIALS and not is_counted(source.unit):
        raise Unprocessable(f"{source.item.sku} is counted in {source.unit}: serials need "
                            "pieces (complete it into a lot)", code="not_countable",
                            unit=source.unit)
    try:
        good = check_completion(spec.quantity_completed, spec.quantity_defective,
                                source.available)
        if spec.output == CompletionOutput.SERIALS:
            serial_count(Quantity(good, source.unit).to("pcs").amount)
    except MoreThanCameIn as err:
        raise Unprocessable(err.message, code=err.code, **err.detail) from err
    except QuantityError as err:
        if err.code in ("not_countable", "too_many_serials"):
            raise Unprocessable(err.message, code=err.code, **err.detail) from err
        raise
    return good


def _complete(session: Session, actor: Actor, spec: CompletionIn, source: Source
              ) -> dict[str, Any]:
    good = _good(spec, source)
    location = location_by_code(session, spec.location)
    at = _utc(spec.completed_at) if spec.completed_at else utcnow()
    batch, job = source.batch, source.job
    row = Completion(run_id=batch.run_id if batch else None, batch_id=batch.id if batch else None,
                     job_id=job.id if job else None, item_id=source.item.id, completed_at=at,
                     quantity_completed=spec.quantity_completed,
                     quantity_defective=spec.quantity_defective, unit=source.unit,
                     inspector=spec.inspector or actor.name, result=spec.result,
                     notes=spec.notes, output=spec.output, event_id=spec.event_id,
                     created_by=actor.name)
    session.add(row)
    session.flush()
    entry = audit.record(session, actor, "completion.create", "completion", str(row.id),
                         source=source.node.code, completed=str(spec.quantity_completed),
                         defective=str(spec.quantity_defective), unit=source.unit,
                         result=spec.result, output=spec.output, inspector=row.inspector)
    _final_check(session, row, source, spec)
    quarantined = InspectionResult(spec.result) in QUARANTINES or _failed_step(session, source)
    if good > 0 and spec.output == CompletionOutput.SERIALS:
        _serials(session, actor, row, source, good, quarantined, location, spec.bin, entry.id)
    elif good > 0:
        lot = stock.produce_lot(
            session, item=source.item, quantity=Quantity(good, source.unit), location=location,
            bin=spec.bin, status=LotStatus.QUARANTINED if quarantined else LotStatus.AVAILABLE,
            unit_cost=None, actor=actor, source_node=source.node, record=f"completion:{row.id}")
        row.lot_id = lot.id
    session.flush()
    return completion_answer(session, row)


def _serials(session: Session, actor: Actor, row: Completion, source: Source, good: Decimal,
             quarantined: bool, location: Any, bin: str, audit_id: int | None) -> None:
    count = serial_count(Quantity(good, source.unit).to("pcs").amount)
    status = SerialStatus.QUARANTINED if quarantined else SerialStatus.IN_STOCK
    one = Quantity(Decimal(1), "pcs").to(source.unit)
    for serial in make_serials(session, row, count=count, status=status, location=location,
                               bin=bin):
        child = genealogy.node(session, NodeKind.SERIAL, serial.code, serial.id)
        genealogy.link(session, source.node, child, Relation.PRODUCE, one,
                       record=f"completion:{row.id}", audit_id=audit_id, at=row.completed_at)
        audit.record(session, actor, "serial.create", "serial", serial.code,
                     completion=row.id, status=status.value, location=location.code, bin=bin)


def _final_check(session: Session, row: Completion, source: Source, spec: CompletionIn) -> None:
    """Record the completion's final inspection as a quality check of its source."""
    defective = spec.quantity_defective
    # Whole pieces are counted defects; a weight found defective is at least one defect.
    defects = int(defective) if defective == defective.to_integral_value() else 1
    session.add(QualityCheck(
        stage=CheckStage.FINAL.value,
        subject_kind=(CheckSubject.BATCH if source.batch else CheckSubject.JOB).value,
        subject_code=source.node.code, batch_id=row.batch_id, job_id=row.job_id,
        completion_id=row.id, inspector=row.inspector, result=row.result, defects=defects,
        notes=row.notes, at=row.completed_at))


def _failed_step(session: Session, source: Source) -> bool:
    """Tell whether the batch's latest step check failed: a check at its last step finds the
    batch done already, where no hold can stop it, so what it makes is quarantined instead."""
    if source.batch is None:
        return False
    result = session.scalar(select(QualityCheck.result).where(
        QualityCheck.batch_id == source.batch.id, QualityCheck.stage == CheckStage.STEP.value)
        .order_by(QualityCheck.id.desc()).limit(1))
    return result is not None and InspectionResult(result) in QUARANTINES


def _replay(session: Session, event_id: str | None) -> dict[str, Any] | None:
    """Answer a repeat of an earlier completion's event id with that completion."""
    if event_id is None:
        return None
    row = session.scalar(select(Completion).where(Completion.event_id == event_id))
    return None if row is None else completion_answer(session, row)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
