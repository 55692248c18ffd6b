"""Report API: supervisor+, validated date ranges, JSON and CSV with safe cells."""

import csv
import io
from datetime import UTC, datetime

import pytest

from server.api.csvfile import cell, csv_text
from server.api.openapi import document

NAMES = ["output", "cycle-time", "yield", "reasons", "wip-ageing"]


@pytest.fixture
def held(client, plant_):
    """Two batches held with reasons a spreadsheet would run or a naive CSV would break."""
    run = client.post("/api/v1/runs", headers=plant_.auth("planner"), json={
        "lines": [{"item": "FRAME", "quantity": "10", "unit": "pcs", "batches": 2}]}).json
    codes = [b["code"] for b in run["batches"]]
    for code, reason in zip(codes, ['=HYPERLINK("http://x")', 'bent, "badly"'], strict=True):
        r = client.post(f"/api/v1/batches/{code}/hold", headers=plant_.auth("operator"),
                        json={"reason": reason})
        assert r.status_code == 200, r.json
    return codes


@pytest.mark.parametrize("name", NAMES)
def test_every_report_answers_a_supervisor_with_its_range_and_columns(client, plant_, name):
    r = client.get(f"/api/v1/reports/{name}?from=2026-03-01&to=2026-03-07",
                   headers=plant_.auth("supervisor"))
    assert r.status_code == 200
    assert (r.json["report"], r.json["from"], r.json["to"], r.json["timezone"]) == \
        (name, "2026-03-01", "2026-03-07", "UTC")
    assert r.json["columns"] and r.json["rows"] == []


def test_reports_need_a_supervisor(client, plant_):
    assert client.get("/api/v1/reports/output", headers=plant_.auth("operator")).status_code \
        == 403
    assert client.get("/api/v1/reports/output.csv").status_code == 401
    assert client.get("/api/v1/reports/yield", headers=plant_.auth("planner")).status_code \
        == 200


BAD_RANGES = [
    ("from=2026-13-01", 400, "invalid_date"),
    ("to=2026-02-30", 400, "invalid_date"),
    ("from=yesterday", 400, "invalid_date"),
    ("from=20260301", 400, "invalid_date"),
    ("from=", 400, "invalid_date"),
    ("from=2026-03-07&to=2026-03-01", 422, "invalid_range"),
    ("from=2024-01-01&to=2026-01-01", 422, "invalid_range"),
    ("from=0001-01-01", 422, "invalid_range"),
    ("days=7", 400, "invalid_input"),
]


def test_bad_ranges_are_refused_with_a_clear_code(client, plant_):
    for query, status, code in BAD_RANGES:
        r = client.get(f"/api/v1/reports/cycle-time?{query}", headers=plant_.auth("supervisor"))
        assert (r.status_code, r.json["code"]) == (status, code), query
        assert r.json["message"], query


def test_a_bad_date_says_which_parameter_and_the_format(client, plant_):
    r = client.get("/api/v1/reports/output?to=2026-02-30", headers=plant_.auth("supervisor"))
    assert r.json["message"] == "to='2026-02-30' is not a date; use YYYY-MM-DD, e.g. 2026-03-31"
    assert r.json["detail"] == {"field": "to"}


def test_csv_has_a_header_quotes_text_and_defuses_formulas(client, plant_, held):
    today = datetime.now(UTC).date().isoformat()
    r = client.get(f"/api/v1/reports/reasons.csv?from={today}&to={today}",
                   headers=plant_.auth("supervisor"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == \
        f'attachment; filename="floorline-reasons-{today}-{today}.csv"'
    text = r.data.decode()
    assert text.splitlines()[0] == "item,operation,kind,reason,count"
    assert '"bent, ""badly"""' in text  # csv-module quoting
    rows = list(csv.reader(io.StringIO(text)))
    assert sorted(row[3] for row in rows[1:]) == ["'=HYPERLINK(\"http://x\")", 'bent, "badly"']
    assert all(row[:3] == ["FRAME", "CUT", "hold"] and row[4] == "1" for row in rows[1:])


def test_the_json_report_keeps_reasons_as_given(client, plant_, held):
    r = client.get("/api/v1/reports/reasons", headers=plant_.auth("supervisor"))
    assert sorted(row["reason"] for row in r.json["rows"]) == \
        ['=HYPERLINK("http://x")', 'bent, "badly"']


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("a=b", "a=b"), (None, ""), (3, 3)])
def test_cells_that_start_a_formula_become_text(value, safe):
    assert cell(value) == safe


def test_csv_text_writes_missing_values_as_empty_cells():
    assert csv_text(["a", "b"], [{"a": "x"}]) == "a,b\r\nx,\r\n"


def test_the_openapi_document_lists_each_report_with_its_date_parameters():
    paths = document()["paths"]
    for name in NAMES:
        for path in (f"/api/v1/reports/{name}", f"/api/v1/reports/{name}.csv"):
            op = paths[path]["get"]
            params = {p["name"]: p["schema"] for p in op["parameters"]}
            assert params["from"]["format"] == "date" and params["to"]["format"] == "date"
            assert op["description"] == "Requires the supervisor role."
    assert "text/csv" in paths["/api/v1/reports/output.csv"]["get"]["responses"]["200"]["content"]
