"""Production job pages: the list of jobs (views, filters, summary, chart) and one job.

As the inventory pages, these only render; the browser modules read the JSON API.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services.job_records import job_by_number
from .views import bp, record_page, role_page

VIEW_ROLE = "viewer"


@bp.get("/jobs")
def jobs() -> Response | str | tuple[str, int]:
    """List jobs by view, stage and search, with their summary and stage x status chart."""
    return role_page("jobs.html", VIEW_ROLE)


@bp.get("/jobs/<number>")
def job(number: str) -> Response | str | tuple[str, int]:
    """Show one job: buckets, flow picture, lots, receipts and run history."""
    return record_page("job.html", VIEW_ROLE, lambda db: job_by_number(db, number),
                       number=number)
