"""The office's receive page for a job: rows of output, rejection, scrap and waste.

It only renders; the receipt goes through POST /api/v1/jobs/<number>/receipts (operator
role, as that endpoint), checked on the way by POST /api/v1/jobs/<number>/receipts/check.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..services.job_records import job_by_number
from .views import bp, record_page

RECEIVE_ROLE = "operator"


@bp.get("/jobs/<number>/receive")
def job_receive(number: str) -> Response | str | tuple[str, int]:
    """Receive a job's output: what is pending, the rows, and what is pending after them."""
    return record_page("job_receive.html", RECEIVE_ROLE, lambda db: job_by_number(db, number),
                       number=number)
