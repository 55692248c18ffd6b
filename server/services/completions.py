"""Completing a run's batch or a job's output: a completion with its final inspection, and
the finished serials (one per good piece) or the one finished lot it makes.

A job's receipts already put its good output into stock as lots: completing it takes the
pieces out of those lots into serials (lot -consume-> serial), so nothing is counted twice.

Everything is written in the caller's one transaction; a refusal raises before anything is
added, so the request's rollback leaves nothing of it behind. The source's row lock makes two
completions of one batch (or job) at once wait for each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.batches import BatchState
from ..domain.errors import QuantityError
from ..domain.genealogy import NodeKind, Relation
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
    Lot,
    QualityCheck,
    utcnow,
)
from . import audit, genealogy, job_output, stock
from .actors import Actor
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
    lots: Sequence[job_output.Held] = ()  # a job's: what its received good lots still hold


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
    if spec.output == CompletionOutput.LOT:
        raise Unprocessable(f"job {job.number}'s output is in stock as lots already: complete "
                            "it into serials, or record a quality check of the lot "
                            "(POST /quality-checks with the lot as subject)",
                            code="already_a_lot", field="output")
    item = job_output.job_item(session, job, spec.item)
    held = job_output.received_lots(session, job, item, lock=True)
    node = genealogy.node(session, NodeKind.JOB, job.number, job.id)
    return _complete(session, actor, spec, Source(node, item, item.unit,
                                                  sum((h.on_hand for h in held), Decimal(0)),
                                                  job=job, lots=held))


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
        job = job_output.job_by_number(session, code)
        if not job_output.received_items(session, job):
            return {"kind": kind, "code": code, "item": None, "item_name": "", "unit": "",
                    "counted": False, "good": "0", "completed": "0", "left": "0",
                    "state": job.status, "ready": False,
                    "outputs": [CompletionOutput.SERIALS.value], "lots": []}
        item = job_output.job_item(session, job, None)
        held = job_output.received_lots(session, job, item)
        left = sum((h.on_hand for h in held), Decimal(0))
        taken = _taken(session, Completion.job_id == job.id, Completion.item_id == item.id)
        return {"kind": kind, "code": code, "item": item.sku, "item_name": item.name,
                "unit": item.unit, "counted": is_counted(item.unit),
                "good": amount_text(job_output.job_received(session, job, item)),
                "completed": amount_text(taken), "left": amount_text(left), "state": job.status,
                "ready": True, "outputs": [CompletionOutput.SERIALS.value],
                "lots": job_output.lots_view(held, item.unit)}
    return {"kind": kind, "code": code, "item": item.sku, "item_name": item.name,
            "unit": unit, "counted": is_counted(unit), "good": amount_text(total),
            "completed": amount_text(taken), "left": amount_text(total - taken),
            "state": state, "ready": ready, "outputs": [o.value for o in CompletionOutput]}


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
        message = err.message if source.job is None else (
            f"{spec.quantity_completed} completed is more than the {err.detail['available']} "
            f"{source.unit} the job's received good lots still hold")
        raise Unprocessable(message, code=err.code, **err.detail) from err
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
    if source.job is not None:
        taken = job_output.take(session, actor, source.lots, row, source.unit)
        if good > 0:
            _serials(session, actor, row, source, good, quarantined, location, spec.bin,
                     entry.id, taken)
    elif good > 0 and spec.output == CompletionOutput.SERIALS:
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
             quarantined: bool, location: Any, bin: str, audit_id: int | None,
             taken: Sequence[tuple[Lot, Decimal]] | None = None) -> None:
    """Make one serial per good piece, each linked from what it was made of: a batch
    produces it; a job's received lot it was taken from is consumed into it."""
    count = serial_count(Quantity(good, source.unit).to("pcs").amount)
    status = SerialStatus.QUARANTINED if quarantined else SerialStatus.IN_STOCK
    parents = _parents(session, source, count, taken)
    made = make_serials(session, row, count=count, status=status, location=location, bin=bin)
    for serial, (parent, relation, one) in zip(made, parents, strict=True):
        child = genealogy.node(session, NodeKind.SERIAL, serial.code, serial.id)
        genealogy.link(session, parent, child, relation, one,
                       record=f"completion:{row.id}", audit_id=audit_id, at=row.completed_at)
        audit.record(session, actor, "serial.create", "serial", serial.code,
                     completion=row.id, status=status.value, location=location.code, bin=bin)


def _parents(session: Session, source: Source, count: int,
             taken: Sequence[tuple[Lot, Decimal]] | None
             ) -> list[tuple[GenealogyNode, Relation, Quantity]]:
    """Return each serial's parent edge: batch -produce->, or lot -consume-> (one piece each,
    in the parent's unit)."""
    if taken is None:
        return [(source.node, Relation.PRODUCE, Quantity(Decimal(1), "pcs").to(source.unit))
                ] * count
    nodes: dict[int, GenealogyNode] = {}
    parents = []
    for lot in job_output.piece_lots(taken, source.unit, count):
        if lot.id not in nodes:
            nodes[lot.id] = genealogy.node(session, NodeKind.LOT, lot.number, lot.id)
        parents.append((nodes[lot.id], Relation.CONSUME,
                        Quantity(Decimal(1), "pcs").to(lot.unit)))
    return parents


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
