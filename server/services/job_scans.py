"""A job's label scanned at a station: open the job's receipt form there, writing no receipt.

A station that serves the job's stage answers accepted with the job and what is pending,
and the kiosk opens its receipt form (the receipt itself is POST /jobs/<n>/receipts, with
its own event_id). Elsewhere the scan is refused: another stage's station (wrong_stage), a
station with no stage (no_stage_here), or a job that is completed or cancelled (job_closed).
A job scan never touches a batch; the scan event's unique event_id makes a resend answer
its first result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.orm import Session

from ..domain.batches import Outcome, Reason
from ..domain.jobs import JobStatus
from ..errors import FloorlineError
from ..models import Stage, Station
from .job_filters import grams_text
from .job_records import job_by_number

S, G = (cast(Table, m.__table__) for m in (Station, Stage))
OPENED = "job_opened"  # the transition an accepted job scan reports
_CLOSED = (JobStatus.COMPLETED, JobStatus.CANCELLED)
STATION_STAGE = (select(S.c.enabled, S.c.token_hash, G.c.id, G.c.code, G.c.name)
                 .outerjoin(G, G.c.id == S.c.stage_id).where(S.c.id == bindparam("station_id")))

TEXT = {
    Reason.WRONG_STAGE: "This job is at another stage",
    Reason.NO_STAGE_HERE: "This station serves no production stage",
    Reason.JOB_CLOSED: "This job is completed or cancelled",
}


@dataclass(frozen=True, slots=True)
class JobScan:
    """What a job scan did: accepted with the job's fields, or a refusal reason."""

    outcome: Outcome
    reason: Reason | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def open_here(conn: Connection, station_id: int, number: str, *,
              token_hash: str | None) -> JobScan:
    """Answer whether the job's receipt form opens at this station; refuse with a reason."""
    enabled, token, stage_id, stage_code, stage_name = conn.execute(
        STATION_STAGE, {"station_id": station_id}).one()
    if token_hash is not None and token != token_hash:
        return JobScan(Outcome.REJECTED, Reason.NOT_AUTHORIZED)
    if not enabled:
        return JobScan(Outcome.REJECTED, Reason.STATION_DISABLED)
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    try:
        # Under its row lock: what pending says is what a receipt right now would find.
        job = job_by_number(session, number, lock=True)
    except FloorlineError:
        session.close()
        return JobScan(Outcome.REJECTED, Reason.UNKNOWN_CODE, {"job": number})
    try:
        fields = _fields(job)
    finally:
        session.close()
    if stage_id is not None:
        fields["station_stage"] = {"code": stage_code, "name": stage_name}
    if JobStatus(job.status) in _CLOSED:
        return JobScan(Outcome.REJECTED, Reason.JOB_CLOSED, fields)
    if stage_id is None:
        return JobScan(Outcome.REJECTED, Reason.NO_STAGE_HERE, fields)
    if stage_id != job.stage_id:
        return JobScan(Outcome.REJECTED, Reason.WRONG_STAGE, fields)
    return JobScan(Outcome.ACCEPTED, None, fields)


def _fields(job: Any) -> dict[str, Any]:
    """Return what the kiosk shows of the job and needs to open its receipt form."""
    products = list(dict.fromkeys([i.item.sku for i in job.items]
                                  or [i.lot.item.sku for i in job.issues]))
    return {"job": job.number, "job_status": job.status,
            "stage": {"code": job.stage.code, "name": job.stage.name},
            "products": ", ".join(products),
            "pending": {"pieces": job.pending_pieces,
                        "weight": grams_text(job.pending_weight), "unit": "g"}}
