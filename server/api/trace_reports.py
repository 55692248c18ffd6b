"""REST: the traceability reports, each as JSON, as CSV (`.csv` or `?format=csv`), and the
genealogy report as a printable PDF: quality trail, genealogy, cost roll-up, material usage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from flask import Response, current_app
from pydantic import Field
from sqlalchemy.orm import Session

from ..models import utcnow
from ..services.actors import Actor
from ..services.genealogy_pdf import genealogy_pdf
from ..services.report_cost import cost_rollup
from ..services.report_genealogy import genealogy_report
from ..services.report_index import checked_window
from ..services.report_quality import quality_trail
from ..services.report_usage import material_usage
from .csvfile import csv_response
from .endpoint import endpoint
from .reports import DateText, _no_default, parse_day
from .schemas import Query
from .trace_report_schemas import CostOut, GenealogyOut, QualityTrailOut, UsageOut

ROLE = "supervisor"  # as the other reports: they name workers, stations and costs
Format = Literal["json", "csv"]
JSON_OR_CSV = ("application/json", "text/csv")  # JSON, or CSV when ?format=csv


class CodeReportQuery(Query):
    format: Format = "json"


class GenealogyQuery(Query):
    format: Literal["json", "csv", "pdf"] = "json"


class UsageQuery(Query):
    from_: DateText = Field(default=None, alias="from", json_schema_extra=_no_default)
    to: DateText = Field(default=None, json_schema_extra=_no_default)
    item: str | None = Field(default=None, max_length=64, json_schema_extra=_no_default)
    format: Format = "json"


def as_csv(result: dict[str, Any], name: str) -> Response:
    """Answer a report's rows as a CSV download."""
    return csv_response(result["columns"], result["rows"], f"floorline-{name}.csv")


def _answer(result: dict[str, Any], name: str, fmt: str) -> Any:
    return as_csv(result, name) if fmt == "csv" else result


def pdf_response(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="floorline-{name}.pdf"'})


def _code_report(name: str, build: Callable[[Session, str], dict[str, Any]], what: str,
                 response: Any) -> None:
    """Declare a report on one code: JSON (or ?format=csv) and .csv."""
    word = name.replace("-", "_")

    def as_json(db: Session, actor: Actor, code: str, query: CodeReportQuery) -> Any:
        return _answer(build(db, code), f"{name}-{code}", query.format)

    def csv_file(db: Session, actor: Actor, code: str, query: CodeReportQuery) -> Response:
        return as_csv(build(db, code), f"{name}-{code}")

    as_json.__name__, as_json.__doc__ = f"report_{word}", what
    csv_file.__name__, csv_file.__doc__ = f"report_{word}_csv", f"{what} As CSV."
    endpoint(f"/reports/{name}/<code>", role=ROLE, query=CodeReportQuery, tag="reports",
             media=JSON_OR_CSV, response=response)(as_json)
    endpoint(f"/reports/{name}/<code>.csv", role=ROLE, query=CodeReportQuery, tag="reports",
             media=("text/csv",))(csv_file)


_code_report("quality-trail", quality_trail,
             "A serial's receipt inspections, step checks and final inspection, oldest first.",
             QualityTrailOut)
_code_report("cost", cost_rollup,
             "Material cost and the cost of waste and scrap of a serial, lot, batch or run, "
             "per source lot, per material and in total.", CostOut)


@endpoint("/reports/genealogy/<code>", role=ROLE, query=GenealogyQuery, tag="reports",
          media=(*JSON_OR_CSV, "application/pdf"), response=GenealogyOut)
def report_genealogy(db: Session, actor: Actor, code: str, query: GenealogyQuery) -> Any:
    """A serial's materials with supplier batches and shares, its steps and quality checks."""
    if query.format == "pdf":
        return pdf_response(genealogy_pdf(genealogy_report(db, code)), f"genealogy-{code}")
    return _answer(genealogy_report(db, code), f"genealogy-{code}", query.format)


@endpoint("/reports/genealogy/<code>.csv", role=ROLE, query=CodeReportQuery, tag="reports",
          media=("text/csv",))
def report_genealogy_csv(db: Session, actor: Actor, code: str, query: CodeReportQuery
                         ) -> Response:
    """A serial's genealogy report as CSV: materials, steps and checks, each row its section."""
    return as_csv(genealogy_report(db, code), f"genealogy-{code}")


@endpoint("/reports/genealogy/<code>.pdf", role=ROLE, query=CodeReportQuery, tag="reports",
          media=("application/pdf",))
def report_genealogy_pdf(db: Session, actor: Actor, code: str, query: CodeReportQuery
                         ) -> Response:
    """A serial's genealogy report as a printable PDF."""
    return pdf_response(genealogy_pdf(genealogy_report(db, code)), f"genealogy-{code}")


def usage(db: Session, query: UsageQuery) -> dict[str, Any]:
    """Build the material usage report of a query (shared with the page's CSV file)."""
    settings = current_app.extensions["floorline"].settings
    win = checked_window(settings, parse_day("from", query.from_), parse_day("to", query.to),
                         now=utcnow())
    return material_usage(db, win, query.item or None)


def usage_csv(result: dict[str, Any]) -> Response:
    """Answer material usage as CSV: the rows per order, then one total row per material."""
    rows = result["rows"] + [{**t, "order": "(total)"} for t in result["totals"]]
    return csv_response(result["columns"], rows, f"floorline-material-usage-{result['from']}-"
                        f"{result['to']}.csv")


@endpoint("/reports/material-usage", role=ROLE, query=UsageQuery, tag="reports",
          media=JSON_OR_CSV, response=UsageOut)
def report_material_usage(db: Session, actor: Actor, query: UsageQuery) -> Any:
    """Per material over a range: issued, wasted and efficiency per sales order and in total."""
    result = usage(db, query)
    return usage_csv(result) if query.format == "csv" else result


@endpoint("/reports/material-usage.csv", role=ROLE, query=UsageQuery, tag="reports",
          media=("text/csv",))
def report_material_usage_csv(db: Session, actor: Actor, query: UsageQuery) -> Response:
    """Material usage as CSV."""
    return usage_csv(usage(db, query))
