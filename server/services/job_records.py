"""A job as the API shows it, and its balance computed from its issue lines and receipt rows."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..domain.jobs import Bucket, JobBalance, JobStatus, job_balance
from ..domain.measures import Measure
from ..domain.quantities import Dimension, Quantity, amount_text
from ..models import Job, JobIssue, JobReceiptRow, SalesOrder, SalesOrderLine, User
from .lookup import by_number


def job_by_number(session: Session, number: str, *, lock: bool = False) -> Job:
    """Return a job; lock=True takes its row lock and re-reads it (receipts race on it)."""
    return by_number(session, Job, number, lock=lock, kind="job")


def issue_measure(issue: JobIssue) -> Measure:
    """Return what an issue line counts: its pieces and its weight."""
    pieces = Quantity(Decimal(issue.pieces), "pcs") if issue.pieces is not None else None
    weight = Quantity(issue.weight, issue.weight_unit) if issue.weight is not None else None
    return Measure.of(pieces=pieces, weight=weight)


def row_measure(row: JobReceiptRow) -> Measure:
    # A zero is left out, not counted: a job issued by weight alone takes rows of no pieces.
    return Measure.of(pieces=Quantity(Decimal(row.pieces), "pcs") if row.pieces else None,
                      weight=Quantity(row.weight, row.unit) if row.weight else None)


def rows_by_bucket(rows: Iterable[JobReceiptRow]) -> dict[Bucket, Measure]:
    out: dict[Bucket, Measure] = {b: Measure() for b in Bucket}
    for row in rows:
        out[Bucket(row.bucket)] = out[Bucket(row.bucket)] + row_measure(row)
    return out


def balance_of(job: Job, extra: Iterable[JobReceiptRow] = ()) -> JobBalance:
    """Return the job's balance over its issues and receipt rows (plus rows not yet saved)."""
    issued = Measure()
    for issue in job.issues:
        issued = issued + issue_measure(issue)
    rows = [r for receipt in job.receipts for r in receipt.rows] + list(extra)
    return job_balance(issued, rows_by_bucket(rows))


def store_totals(job: Job, result: JobBalance) -> None:
    """Keep the job's per-bucket totals (checked by the database) in step with its balance."""
    for dimension, suffix in ((Dimension.COUNT, "pieces"), (Dimension.MASS, "weight")):
        for name, amount in result.amounts(dimension).items():
            setattr(job, f"{name}_{suffix}", int(amount) if suffix == "pieces" else amount)


def _rate(part: Decimal, whole: Decimal) -> str | None:
    if not whole:
        return None
    return str((part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN))


def _amounts(values: dict[str, Decimal]) -> dict[str, str]:
    return {k: amount_text(v) for k, v in values.items()}


def job_dict(session: Session, job: Job) -> dict[str, Any]:
    """Return the job as GET /jobs/<number> shows it."""
    result = balance_of(job)
    pieces, grams = result.amounts(Dimension.COUNT), result.amounts(Dimension.MASS)
    basis = grams if grams["issued"] else pieces
    order = session.get(SalesOrder, job.order_id) if job.order_id else None
    line = session.get(SalesOrderLine, job.order_line_id) if job.order_line_id else None
    assignee = session.get(User, job.assignee_id) if job.assignee_id else None
    return {
        "number": job.number, "status": job.status,
        "stage": {"code": job.stage.code, "name": job.stage.name},
        "order": order.number if order else None,
        "order_line": getattr(line, "line_no", None) if line else None,
        "shape": job.shape, "size": job.size, "policy": job.policy,
        "requested": {"pieces": job.requested_pieces,
                      "weight": amount_text(job.requested_weight)
                      if job.requested_weight is not None else None,
                      "unit": job.requested_unit},
        "issued_on": job.issued_on.isoformat(),
        "deadline": job.deadline.isoformat() if job.deadline else None,
        "assignee": {"username": assignee.username, "name": assignee.display_name}
        if assignee else None,
        "notes": job.notes, "version": job.version,
        "created_at": job.created_at.isoformat(), "created_by": job.created_by,
        "issues": [{"lot": i.lot.number, "item": i.lot.item.sku,
                    "quantity": amount_text(i.quantity), "unit": i.unit,
                    "pieces": i.pieces,
                    "weight": amount_text(i.weight) if i.weight is not None else None,
                    "weight_unit": i.weight_unit} for i in job.issues],
        "items": [{"item": i.item.sku, "name": i.item.name, "pieces": i.pieces,
                   "weight": amount_text(i.weight) if i.weight is not None else None,
                   "unit": i.unit} for i in job.items],
        "balance": {"pieces": _amounts(pieces), "weight": {"unit": "g", **_amounts(grams)}},
        "progress": {"yield": _rate(basis["received"], basis["issued"]),
                     "rejection_rate": _rate(basis["rejected"], basis["issued"]),
                     "scrap_rate": _rate(basis["scrapped"], basis["issued"]),
                     "waste_rate": _rate(basis["waste"], basis["issued"]),
                     "on_time": _on_time(job)},
        "receipts": [receipt_dict(r) for r in job.receipts],
        "changes": [{"at": c.at.isoformat(), "by": c.actor, "reason": c.reason,
                     "before": c.before, "after": c.after} for c in job.changes],
    }


def _on_time(job: Job) -> bool | None:
    """Completed by the staff deadline (None while there is no deadline or it is running)."""
    if job.deadline is None or job.status != JobStatus.COMPLETED:
        return None
    last = max((r.received_on for r in job.receipts), default=None)
    return last is not None and last <= job.deadline


def receipt_dict(receipt: Any) -> dict[str, Any]:
    return {"seq": receipt.seq, "received_on": receipt.received_on.isoformat(),
            "quality": receipt.quality, "location": receipt.location.code, "bin": receipt.bin,
            "at": receipt.at.isoformat(), "by": receipt.created_by,
            "rows": [{"bucket": r.bucket, "output_type": r.output_type,
                      "item": r.item.sku if r.item else None, "type": r.type,
                      "shape": r.shape, "size": r.size, "colour": r.colour,
                      "pieces": r.pieces, "weight": amount_text(r.weight), "unit": r.unit,
                      "lot": r.lot.number if r.lot else None} for r in receipt.rows]}
