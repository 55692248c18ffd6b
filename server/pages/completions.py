"""Completion pages: complete and inspect a done batch or a job's output, the serials list
and one serial. They only render; every change goes through the JSON API."""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services import completions, job_output, serials
from .views import bp, record_page, role_page

# Completing is the operator's work, as the API's POST .../complete; anyone may read serials.
COMPLETE_ROLE = "operator"


@bp.get("/batches/<code>/complete")
def complete_batch_page(code: str) -> Response | str | tuple[str, int]:
    """Complete and inspect a done batch into serials or a finished lot."""
    return record_page("complete.html", COMPLETE_ROLE,
                       lambda db: completions.remaining(db, "batch", code),
                       kind="batch", code=code)


@bp.get("/jobs/<number>/complete")
def complete_job_page(number: str) -> Response | str | tuple[str, int]:
    """Complete and inspect a job's received good output."""
    return record_page("complete.html", COMPLETE_ROLE,
                       lambda db: job_output.job_by_number(db, number),
                       kind="job", code=number)


@bp.get("/serials")
def serials_page() -> Response | str | tuple[str, int]:
    """List finished serials with a search and a status filter."""
    return role_page("serials.html", "viewer")


@bp.get("/serials/<code>")
def serial_page(code: str) -> Response | str | tuple[str, int]:
    """Show one serial: item, status, place, completion with inspection, checks, origin."""
    return record_page("serial.html", "viewer", lambda db: serials.serial_by_code(db, code),
                       code=code.upper())
