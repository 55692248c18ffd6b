"""REST: edit a job in place (PUT, with its version and a reason) and cancel one."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import job_edits
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .job_schemas import CancelIn, CheckQuery, JobEditIn


@endpoint("/jobs/<number>", "PUT", role="planner", body=JobEditIn, tag="jobs")
def edit_job(db: Session, actor: Actor, number: str, body: JobEditIn) -> Any:
    """Save an edit of a job (the version read; a reason once anything was received)."""
    return job_edits.edit(db, actor, number, body.spec(), version=body.version,
                          reason=body.reason)


@endpoint("/jobs/<number>/cancel", "POST", role="planner", body=CancelIn, tag="jobs")
def cancel_job(db: Session, actor: Actor, number: str, body: CancelIn) -> Any:
    """Cancel a job nothing was received from, giving its lots back."""
    return job_edits.cancel(db, actor, number, reason=body.reason)


@endpoint("/jobs/<number>/check", "POST", role="planner", body=JobEditIn, query=CheckQuery,
          tag="jobs")
def check_job_edit(db: Session, actor: Actor, number: str, body: JobEditIn,
                   query: CheckQuery) -> Any:
    """Validate an edit of a job as far as a step (?step=context|specs|details), writing
    nothing."""
    return job_edits.check(db, actor, number, body.spec(), version=body.version,
                           reason=body.reason, step=query.step)


@endpoint("/jobs/staff", role="planner", tag="jobs", response=LIST)
def job_staff(db: Session, actor: Actor) -> Any:
    """List the active users a job may be assigned to."""
    return job_edits.staff(db)
