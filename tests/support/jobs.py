"""Jobs written straight as rows (totals that add up), for the read side's tests and bench.

The write services (server.services.jobs) make jobs with their ledger and graph; the read
side only needs the rows, so its tests can set any spread of statuses, stages and staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from server.domain.genealogy import NodeKind, Relation
from server.domain.quantities import Quantity
from server.models import Lot
from server.models.jobs import Job, JobIssue, JobItem, JobReceipt, JobReceiptRow, Stage
from server.services import genealogy

AT = datetime(2026, 12, 1, 8, tzinfo=UTC)


@dataclass
class Spec:
    number: str
    stage: Stage
    status: str = "open"
    issued: str = "10"
    received: str = "0"
    rejected: str = "0"
    scrapped: str = "0"
    waste: str = "0"
    pieces: int = 0
    deadline: date | None = None
    assignee_id: int | None = None
    order_id: int | None = None
    issued_on: date = date(2026, 12, 1)


def add_job(s: Session, spec: Spec, lot: Lot, *, item_id: int | None = None) -> Job:
    """Write a job issued from lot, with its buckets in grams and a receipt if any came out."""
    weights = {b: Decimal(getattr(spec, b))
               for b in ("issued", "received", "rejected", "scrapped", "waste")}
    pending = weights["issued"] - sum(v for k, v in weights.items() if k != "issued")
    job = Job(number=spec.number, stage_id=spec.stage.id, status=spec.status,
              issued_on=spec.issued_on, deadline=spec.deadline, assignee_id=spec.assignee_id,
              order_id=spec.order_id, shape="round", size="7", created_at=AT,
              created_by="planner", issued_pieces=spec.pieces, pending_pieces=spec.pieces,
              issued_weight=weights["issued"], received_weight=weights["received"],
              rejected_weight=weights["rejected"], scrapped_weight=weights["scrapped"],
              waste_weight=weights["waste"], pending_weight=pending)
    s.add(job)
    s.flush()
    s.add(JobIssue(job_id=job.id, lot_id=lot.id, quantity=weights["issued"], unit="g",
                   weight=weights["issued"], weight_unit="g"))
    if item_id is not None:
        s.add(JobItem(job_id=job.id, item_id=item_id))
    out = {b: w for b, w in weights.items() if b != "issued" and w}
    if out:
        receipt = JobReceipt(job_id=job.id, seq=1, received_on=spec.issued_on,
                             location_id=lot.location_id, created_by="operator", at=AT)
        s.add(receipt)
        s.flush()
        for bucket, weight in out.items():
            s.add(JobReceiptRow(receipt_id=receipt.id, bucket=bucket, weight=weight,
                                unit="g"))
    s.flush()
    return job


def link_issue(s: Session, lot: Lot, job: Job, grams: str) -> None:
    """Draw lot -issue-> job in the genealogy graph."""
    genealogy.link(s, genealogy.node(s, NodeKind.LOT, lot.number),
                   genealogy.node(s, NodeKind.JOB, job.number, job.id), Relation.ISSUE,
                   Quantity.of(grams, "g"), record=f"job:{job.number}")


def link_produce(s: Session, job: Job, lot: Lot, grams: str) -> None:
    """Draw job -produce-> lot in the genealogy graph."""
    genealogy.link(s, genealogy.node(s, NodeKind.JOB, job.number, job.id),
                   genealogy.node(s, NodeKind.LOT, lot.number), Relation.PRODUCE,
                   Quantity.of(grams, "g"), record=f"job:{job.number}")
