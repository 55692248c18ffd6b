"""CSV files of report rows: a header row, csv-module quoting, no formulas for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection);
# a leading quote makes it text. Tab and carriage return start formulas in some, too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """Return a value safe to open in a spreadsheet: text never starts a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Write rows as CSV text with a header row of the column keys."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(key)) for key in columns])
    return out.getvalue()


def csv_response(columns: list[str], rows: Iterable[Mapping[str, Any]], filename: str
                 ) -> Response:
    """Answer a CSV file download."""
    return Response(csv_text(columns, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
