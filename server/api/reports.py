"""REST: supervisor reports as JSON and as CSV files, over a range of plant days."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from flask import Response, current_app
from pydantic import Field, WithJsonSchema
from sqlalchemy.orm import Session

from ..errors import BadRequest
from ..models import utcnow
from ..services.actors import Actor
from ..services.report_index import REPORTS, make_report
from ..services.reports import Report
from .csvfile import csv_response
from .endpoint import endpoint
from .schemas import Out, Query

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The view parses the date, to answer a bad one with its own clear message.
DateText = Annotated[str | None, WithJsonSchema(
    {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
     "description": "a day in the plant's time zone, YYYY-MM-DD"})]


class ReportOut(Out):
    """Every report: its range, the column keys in order, and one object per row."""

    report: str
    from_: str = Field(alias="from")
    to: str
    timezone: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # absent means the default range; null is no query value


class ReportQuery(Query):
    from_: DateText = Field(default=None, alias="from", json_schema_extra=_no_default)
    to: DateText = Field(default=None, json_schema_extra=_no_default)


def parse_day(name: str, value: str | None) -> date | None:
    """Return a query parameter as a date (None when absent), or a 400 naming it."""
    if value is None:
        return None
    try:
        if DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise BadRequest(f"{name}={value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-31",
                     code="invalid_date", field=name)


def report(db: Session, name: str, query: ReportQuery) -> Report:
    """Build the named report for a query's range (shared with the CSV page)."""
    first, last = parse_day("from", query.from_), parse_day("to", query.to)
    settings = current_app.extensions["floorline"].settings
    return make_report(db, settings, name, first, last, now=utcnow())


SUMMARIES = {
    "output": "Good quantity, steps and batches completed per shift and station.",
    "cycle-time": "Median and p90 step duration per operation (linear percentiles).",
    "yield": "Quantities in, good, rejected, scrapped and waste per item and operation, "
             "with rates.",
    "reasons": "Holds, scraps and quantity records per item, operation and reason.",
    "wip-ageing": "Batches waiting or in process by age since their last move, per "
                  "operation, with the oldest (as of now; the range is only checked).",
}


def _register(name: str) -> None:
    """Declare a report's JSON and CSV endpoints (one path each, so each is documented)."""
    def as_json(db: Session, actor: Actor, query: ReportQuery) -> Any:
        return report(db, name, query)

    def as_csv(db: Session, actor: Actor, query: ReportQuery) -> Response:
        return report_csv(report(db, name, query))

    word = name.replace("-", "_")
    as_json.__name__, as_json.__doc__ = f"report_{word}", SUMMARIES[name]
    as_csv.__name__, as_csv.__doc__ = f"report_{word}_csv", f"{SUMMARIES[name]} As CSV."
    endpoint(f"/reports/{name}", role="supervisor", query=ReportQuery, tag="reports",
             response=ReportOut)(as_json)
    endpoint(f"/reports/{name}.csv", role="supervisor", query=ReportQuery, tag="reports",
             media=("text/csv",))(as_csv)


def report_csv(result: Report) -> Response:
    """Answer a report as a CSV download named for it and its range."""
    return csv_response(result["columns"], result["rows"],
                        f"floorline-{result['report']}-{result['from']}-{result['to']}.csv")


for _name in REPORTS:
    _register(_name)
