"""Material usage over REST: issued, wasted and efficiency per material and sales order."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.report_chain import build_chain


@pytest.fixture
def chain(app, plant_):
    return build_chain(app)


def usage(client, plant_, query, path="material-usage"):
    return client.get(f"/api/v1/reports/{path}?{query}", headers=plant_.auth("supervisor"))


def table(rows):
    return [(r["item"], r["order"], r["issued"], r["wasted"], r["efficiency"]) for r in rows]


def test_usage_per_order_counts_the_scrap_of_the_material_issued(client, plant_, chain):
    r = usage(client, plant_, "from=2026-03-01&to=2026-03-07")
    assert r.status_code == 200, r.json
    assert (r.json["report"], r.json["from"], r.json["to"]) == \
        ("material-usage", "2026-03-01", "2026-03-07")
    order = chain.order
    # Run 1 lost 1/8 of its material (1 of M's 6 pcs, M being 6 of its 8).
    assert table(r.json["rows"]) == [
        ("COAT", order, "400", "50", "0.875"),
        ("FLUX", order, "80", "10", "0.875"),
        ("STEEL", "", "5", "0", "1"),
        ("STEEL", order, "10", "1.25", "0.875"),
    ]
    assert table(r.json["totals"]) == [
        ("COAT", None, "400", "50", "0.875"),
        ("FLUX", None, "80", "10", "0.875"),
        ("STEEL", None, "15", "1.25", "0.9167"),
    ]
    assert {row["unit"] for row in r.json["rows"] if row["item"] == "STEEL"} == {"kg"}


def test_the_range_and_the_item_filter_what_counts(client, plant_, chain):
    r = usage(client, plant_, "from=2026-03-02&to=2026-03-02&item=STEEL")
    assert table(r.json["rows"]) == [("STEEL", chain.order, "10", "1.25", "0.875")]
    assert r.json["item"] == "STEEL"


def test_an_empty_range_is_an_empty_report(client, plant_, chain):
    r = usage(client, plant_, "from=2026-04-01&to=2026-04-07")
    assert r.status_code == 200 and r.json["rows"] == [] and r.json["totals"] == []


BAD_QUERIES = [
    ("from=2026-13-01", 400, "invalid_date"),
    ("to=2026-02-30", 400, "invalid_date"),
    ("from=yesterday", 400, "invalid_date"),
    ("from=2026-03-07&to=2026-03-01", 422, "invalid_range"),
    ("from=2024-01-01&to=2026-01-01", 422, "invalid_range"),
    ("item=NOPE", 404, "unknown_item"),
    ("format=xlsx", 400, "invalid_input"),
    ("days=7", 400, "invalid_input"),
]


def test_bad_queries_are_refused_and_write_nothing(client, plant_, chain, row_counts):
    before = row_counts()
    for query, status, code in BAD_QUERIES:
        r = usage(client, plant_, query)
        assert (r.status_code, r.json["code"]) == (status, code), query
        assert row_counts() == before, query


def test_usage_as_csv_lists_orders_then_totals(client, plant_, chain):
    for path in ("material-usage.csv", "material-usage"):
        r = usage(client, plant_, "from=2026-03-01&to=2026-03-07&format=csv", path)
        assert r.status_code == 200 and r.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(r.data.decode())))
        assert [(row["item"], row["order"], row["efficiency"]) for row in rows] == [
            ("COAT", chain.order, "0.875"), ("FLUX", chain.order, "0.875"), ("STEEL", "", "1"),
            ("STEEL", chain.order, "0.875"), ("COAT", "(total)", "0.875"),
            ("FLUX", "(total)", "0.875"), ("STEEL", "(total)", "0.9167")]
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="floorline-material-usage-2026-03-01-2026-03-07.csv"'


def test_usage_needs_a_supervisor(client, plant_):
    assert usage(client, plant_, "").status_code == 200
    assert client.get("/api/v1/reports/material-usage",
                      headers=plant_.auth("operator")).status_code == 403


def test_every_traceability_report_answers_its_documented_shape(app, client, plant_, chain):
    from server.api.trace_report_schemas import CostOut, GenealogyOut, QualityTrailOut, UsageOut
    from tests.support.report_chain import add_job

    _, job_serials = add_job(app, chain)
    for serial in (chain.serials[2], job_serials[0]):
        QualityTrailOut.model_validate(usage(client, plant_, "", f"quality-trail/{serial}").json,
                                       strict=True)
        GenealogyOut.model_validate(usage(client, plant_, "", f"genealogy/{serial}").json,
                                    strict=True)
    for code in (chain.serials[2], chain.runs[0], chain.lots["FLUX"], chain.receipts[0]):
        CostOut.model_validate(usage(client, plant_, "", f"cost/{code}").json, strict=True)
    UsageOut.model_validate(usage(client, plant_, "from=2026-03-01&to=2026-03-07").json,
                            strict=True)


@pytest.mark.parametrize("text", ["nul\x00byte", "esc\x1b[31m", "del\x7f"])
def test_control_characters_in_a_code_or_an_item_are_not_found(client, plant_, text):
    r = client.get("/api/v1/reports/material-usage", query_string={"item": text},
                   headers=plant_.auth("supervisor"))
    assert (r.status_code, r.json["code"]) == (404, "unknown_item")
    for report in ("quality-trail", "genealogy", "cost"):
        r = client.get(f"/api/v1/reports/{report}/{text}", headers=plant_.auth("supervisor"))
        assert r.status_code == 404
