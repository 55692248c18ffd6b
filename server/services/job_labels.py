"""A job's label: its number in the QR (a scan reads it back as kind job), stage, product."""

from __future__ import annotations

from sqlalchemy.orm import Session

from labels import LabelData

from ..domain.quantities import amount_text
from .job_records import job_by_number


def job_label(session: Session, number: str) -> LabelData:
    """Describe a job's label: the plain job number in the QR, what it holds and where."""
    job = job_by_number(session, number)
    products = list(dict.fromkeys(
        [(i.item.sku, i.item.name) for i in job.items]
        or [(i.lot.item.sku, i.lot.item.name) for i in job.issues]))
    sku = ", ".join(p[0] for p in products)
    name = ", ".join(p[1] for p in products)
    lines = [f"Stage {job.stage.code} {job.stage.name}".rstrip()]
    if job.issued_pieces:
        lines.append(f"Pcs {job.issued_pieces}")
    if job.deadline:
        lines.append(f"Due {job.deadline.isoformat()}")
    # The plain number: labels.codes knows its shape, so every scan path reads it as a job.
    return LabelData(code=job.number, item_sku=sku, item_name=name,
                     quantity=amount_text(job.issued_weight), unit="g", run_number="",
                     payload_text=None, lines=tuple(lines))
