"""Report pages for supervisors: the index, one page per report, and its CSV file."""

from __future__ import annotations

from flask import abort, request
from werkzeug.wrappers import Response

from ..api.reports import ReportQuery, report, report_csv
from .views import _runtime, bp, refusal, role_page

ROLE = "supervisor"  # reports show every station's and operator's output: supervisors and up
PAGES = ("output", "cycle-time", "yield", "wip-ageing")  # reasons are shown on the yield page



@bp.get("/reports")
def reports_index() -> Response | str | tuple[str, int]:
    """List the reports."""
    return role_page("reports/index.html", ROLE)


@bp.get("/reports/<name>")
def report_page(name: str) -> Response | str | tuple[str, int]:
    """Show one report: its date range, a chart and the table (filled by reports.js)."""
    if name not in PAGES:
        abort(404)
    return role_page(f"reports/{name}.html", ROLE, report=name)


@bp.get("/reports/<name>.csv")
def report_file(name: str) -> Response | tuple[str, int]:
    """Download a report as CSV (the browser session's login; scripts use the API)."""
    if name not in (*PAGES, "reasons"):
        abort(404)
    refused = refusal(ROLE)
    if refused is not None:
        return refused
    query = ReportQuery.model_validate(request.args.to_dict())
    with _runtime().transaction() as db:
        return report_csv(report(db, name, query))
