"""Report pages for supervisors: the index, one page per report, and its CSV file."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..api.reports import ReportQuery, report, report_csv
from ..services.actors import RANK
from .views import _page, _runtime, _to_login, _user, bp

ROLE = "supervisor"  # reports show every station's and operator's output: supervisors and up
PAGES = ("output", "cycle-time", "yield", "wip-ageing")  # reasons are shown on the yield page


def _allowed() -> Response | tuple[str, int] | None:
    """Return the login redirect or a refusal page, or None when the user may see reports."""
    user = _user()
    if user is None:
        return _to_login()
    if RANK.get(user["role"], -1) < RANK[ROLE]:
        return _page("error.html", title=gettext("Refused"),
                     message=gettext("Reports need the supervisor role."), user=user), 403
    return None


@bp.get("/reports")
def reports_index() -> Response | str | tuple[str, int]:
    """List the reports."""
    refused = _allowed()
    return refused or _page("reports/index.html", user=_user())


@bp.get("/reports/<name>")
def report_page(name: str) -> Response | str | tuple[str, int]:
    """Show one report: its date range, a chart and the table (filled by reports.js)."""
    if name not in PAGES:
        abort(404)
    refused = _allowed()
    return refused or _page(f"reports/{name}.html", user=_user(), report=name)


@bp.get("/reports/<name>.csv")
def report_file(name: str) -> Response | tuple[str, int]:
    """Download a report as CSV (the browser session's login; scripts use the API)."""
    if name not in (*PAGES, "reasons"):
        abort(404)
    refused = _allowed()
    if refused is not None:
        return refused
    query = ReportQuery.model_validate(request.args.to_dict())
    with _runtime().transaction() as db:
        return report_csv(report(db, name, query))
