"""Pages of the traceability reports: quality trail, genealogy, cost roll-up, material usage.

Each is drawn on the server from the same service the JSON API answers with; its CSV (and
the genealogy PDF) are the API's files, which a logged-in browser may fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, request, url_for
from pydantic import ValidationError
from werkzeug.wrappers import Response

from ..api.trace_reports import UsageQuery, usage
from ..errors import FloorlineError
from ..services.report_cost import cost_rollup
from ..services.report_genealogy import genealogy_report
from ..services.report_quality import quality_trail
from .views import _page, _runtime, _user, bp, refusal

ROLE = "supervisor"  # as the other reports
CODE_REPORTS: dict[str, Callable[[Any, str], dict[str, Any]]] = {
    "quality-trail": quality_trail, "genealogy": genealogy_report, "cost": cost_rollup}
Page = Response | str | tuple[str, int]


def _code_page(name: str, code: str) -> Page:
    refused = refusal(ROLE)
    if refused is not None:
        return refused
    context: dict[str, Any] = {"user": _user(), "report": name, "code": code, "result": None,
                               "error": None}
    if not code:
        return _page(f"reports/{name}.html", **context)
    try:
        with _runtime().sessions() as db:
            context["result"] = CODE_REPORTS[name](db, code)
    except FloorlineError as err:
        context["error"] = err
        return _page(f"reports/{name}.html", **context), err.status
    return _page(f"reports/{name}.html", **context)


def _search(name: str) -> Page:
    """Show a report's search box; a submitted code goes to its page."""
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for(f"pages.report_{name.replace('-', '_')}_page", code=code))
    return _code_page(name, "")


@bp.get("/reports/quality-trail")
def report_quality_trail_search() -> Page:
    """Ask for a serial's quality trail."""
    return _search("quality-trail")


@bp.get("/reports/quality-trail/<code>")
def report_quality_trail_page(code: str) -> Page:
    """Show a serial's receipt inspections, step checks and final inspection."""
    return _code_page("quality-trail", code)


@bp.get("/reports/genealogy")
def report_genealogy_search() -> Page:
    """Ask for a serial's genealogy report."""
    return _search("genealogy")


@bp.get("/reports/genealogy/<code>")
def report_genealogy_page(code: str) -> Page:
    """Show a serial's materials, timeline of steps and quality checks."""
    return _code_page("genealogy", code)


@bp.get("/reports/cost")
def report_cost_search() -> Page:
    """Ask for a cost roll-up."""
    return _search("cost")


@bp.get("/reports/cost/<code>")
def report_cost_page(code: str) -> Page:
    """Show the material and waste cost of a serial, lot, batch or run."""
    return _code_page("cost", code)


@bp.get("/reports/material-usage")
def report_material_usage_page() -> Page:
    """Show issued, wasted and efficiency per material and order over a range."""
    refused = refusal(ROLE)
    if refused is not None:
        return refused
    args = {k: v for k, v in request.args.items() if k in ("from", "to", "item") and v}
    context: dict[str, Any] = {"user": _user(), "report": "material-usage", "result": None,
                               "error": None, "args": args}
    try:
        query = UsageQuery.model_validate(args)
        with _runtime().sessions() as db:
            context["result"] = usage(db, query)
    except ValidationError:
        context["error"] = FloorlineError("the item is too long", code="invalid_input")
        return _page("reports/material-usage.html", **context), 400
    except FloorlineError as err:
        context["error"] = err
        return _page("reports/material-usage.html", **context), err.status
    return _page("reports/material-usage.html", **context)
