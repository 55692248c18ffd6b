"""REST: edit a job in place (PUT, with its version and a reason) and cancel one."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import job_edits
from ..services.actors import Actor
from .endpoint import endpoint
from .job_schemas import CancelIn, JobEditIn


@endpoint("/jobs/<number>", "PUT", role="planner", body=JobEditIn, tag="jobs")
def edit_job(db: Session, actor: Actor, number: str, body: JobEditIn) -> Any:
    """Save an edit of a job (the version read; a reason once anything was received)."""
    return job_edits.edit(db, actor, number, body.spec(), version=body.version,
                          reason=body.reason)


@endpoint("/jobs/<number>/cancel", "POST", role="planner", body=CancelIn, tag="jobs")
def cancel_job(db: Session, actor: Actor, number: str, body: CancelIn) -> Any:
    """Cancel a job nothing was received from, giving its lots back."""
    return job_edits.cancel(db, actor, number, reason=body.reason)
