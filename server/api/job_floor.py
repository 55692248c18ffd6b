"""REST for the floor side of jobs: a job's label, and checking a receipt before saving it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from labels import render_labels

from ..services import job_labels, job_receipts
from ..services.actors import Actor
from .endpoint import endpoint
from .job_schemas import JobReceiptIn
from .labels import FILES, LabelQuery, _file, _settings


@endpoint("/jobs/<number>/label.<any(pdf,png,svg,zpl):fmt>", query=LabelQuery, tag="labels",
          media=FILES)
def job_label(db: Session, actor: Actor, number: str, fmt: str, query: LabelQuery) -> Any:
    """One job's label: its number as a QR that a stage's station reads back as the job."""
    layout = query.layout or _settings().single_label_layout
    data = render_labels([job_labels.job_label(db, number)], fmt, layout,  # type: ignore[arg-type]
                         dpi=query.dpi)
    return _file(data, fmt, number)


@endpoint("/jobs/<number>/receipts/check", "POST", role="operator", body=JobReceiptIn,
          tag="jobs")
def check_job_receipt(db: Session, actor: Actor, number: str, body: JobReceiptIn) -> Any:
    """Validate a receipt as saving it would and answer the balance after it, writing nothing."""
    return job_receipts.check(db, actor, number, body.spec())
