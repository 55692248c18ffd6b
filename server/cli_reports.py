"""`floorline report ...`: the traceability reports as a text table, JSON, CSV or PDF files."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

Build = Callable[[Session], dict[str, Any]]


def table_lines(columns: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """Return rows as a plain text table under a header, columns padded to fit."""
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    return ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in [columns, *cells]]


def _show(build: Build, *, as_json: bool, csv_path: str | None, pdf_path: str | None = None,
          summary: Callable[[dict[str, Any]], list[str]] | None = None,
          rows: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda a: a["rows"]
          ) -> None:
    """Build a report in one session and print or write it (rows: what the table holds)."""
    from .api.csvfile import csv_text
    from .cli import runtime

    with runtime().sessions() as s:
        answer = build(s)
    if csv_path:
        Path(csv_path).write_text(csv_text(answer["columns"], rows(answer)), newline="")
    if pdf_path:
        from .services.genealogy_pdf import genealogy_pdf

        Path(pdf_path).write_bytes(genealogy_pdf(answer))
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    for line in (summary(answer) if summary else []):
        click.echo(line)
    for line in table_lines(answer["columns"], rows(answer)):
        click.echo(line)


def _cost_summary(answer: dict[str, Any]) -> list[str]:
    total = answer["total"]
    lines = [f"{answer['kind']} {answer['code']}: material {total['material_cost']}, waste and "
             f"scrap {total['waste_cost']}, total {total['total_cost']}"]
    if not total["complete"]:
        lines.append(f"cost unknown for {', '.join(total['cost_unknown'])} (left out of the "
                     "total)")
    return lines


@click.group("report")
def report() -> None:
    """Traceability reports: quality trail, genealogy, cost roll-up, material usage."""


JSON = click.option("--json", "as_json", is_flag=True, help="Print the API's JSON body.")
CSV = click.option("--csv", "csv_path", type=click.Path(dir_okay=False),
                   help="Also write the rows as a CSV file.")


@report.command("quality-trail")
@click.argument("serial")
@JSON
@CSV
def quality_trail_command(serial: str, as_json: bool, csv_path: str | None) -> None:
    """Print a serial's receipt inspections, step checks and final inspection."""
    from .services.report_quality import quality_trail

    _show(lambda s: quality_trail(s, serial), as_json=as_json, csv_path=csv_path)


@report.command("genealogy")
@click.argument("serial")
@JSON
@CSV
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False),
              help="Also write the printable PDF.")
def genealogy_command(serial: str, as_json: bool, csv_path: str | None,
                      pdf_path: str | None) -> None:
    """Print a serial's materials, steps and quality checks."""
    from .services.report_genealogy import genealogy_report

    _show(lambda s: genealogy_report(s, serial), as_json=as_json, csv_path=csv_path,
          pdf_path=pdf_path)


@report.command("cost")
@click.argument("code")
@JSON
@CSV
def cost_command(code: str, as_json: bool, csv_path: str | None) -> None:
    """Print the material and waste cost of a serial, lot, batch, run or job."""
    from .services.report_cost import cost_rollup

    _show(lambda s: cost_rollup(s, code), as_json=as_json, csv_path=csv_path,
          summary=_cost_summary)


@report.command("material-usage")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--item", default=None, help="One material's SKU.")
@JSON
@CSV
def usage_command(first: Any, last: Any, item: str | None, as_json: bool,
                  csv_path: str | None) -> None:
    """Print issued, wasted and efficiency per material and sales order over a range."""
    from .models import utcnow
    from .services.report_index import checked_window
    from .services.report_usage import material_usage
    from .settings import load

    def build(s: Session) -> dict[str, Any]:
        win = checked_window(load(), _day(first), _day(last), now=utcnow())
        return material_usage(s, win, item)

    _show(build, as_json=as_json, csv_path=csv_path,
          rows=lambda a: a["rows"] + [{**t, "order": "(total)"} for t in a["totals"]])


def _day(value: Any) -> date | None:
    return None if value is None else value.date()
