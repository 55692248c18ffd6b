"""The job stepper: one page for a new job and for editing one (four steps, each checked by
the API before the next). It only renders; the browser module talks to /api/v1/jobs."""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services.job_records import job_by_number
from .views import bp, record_page, role_page

ROLE = "planner"


@bp.get("/jobs/new")
def job_new() -> Response | str | tuple[str, int]:
    """Create a job: context, physical specs, issue details, done."""
    return role_page("job_form.html", ROLE, mode="new", number="")


@bp.get("/jobs/<number>/edit")
def job_edit(number: str) -> Response | str | tuple[str, int]:
    """Edit a job through the same steps (a reason once anything was received); cancel it."""
    return record_page("job_form.html", ROLE, lambda db: job_by_number(db, number),
                       mode="edit", number=number)
