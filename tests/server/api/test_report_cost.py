"""Cost roll-up over REST: costs of serials, a batch, a run and a lot, computed by hand
(tests/support/report_chain.py has the arithmetic), through a split, a merge and scrap."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from server.services.report_cost import COLUMNS
from tests.support.report_chain import build_chain


@pytest.fixture
def chain(app, plant_):
    return build_chain(app)


def cost(client, plant_, code, suffix="", role="supervisor"):
    return client.get(f"/api/v1/reports/cost/{code}{suffix}", headers=plant_.auth(role))


def by_item(body):
    return {r["item"]: (r["material_quantity"], r["waste_quantity"], r["material_cost"],
                        r["waste_cost"], r["cost_known"]) for r in body["rows"]}


def test_a_serial_of_the_unsplit_half_costs_its_eighth_of_the_run(client, plant_, chain):
    r = cost(client, plant_, chain.serials[0])
    assert r.status_code == 200, r.json
    assert (r.json["kind"], r.json["code"]) == ("serial", chain.serials[0])
    assert by_item(r.json) == {
        "STEEL": ("1.25", "0", "3.75", "0", True),
        "COAT": ("50", "0", "1", "0", True),
        "FLUX": ("10", "0", None, None, False),
    }
    assert r.json["total"] == {"material_cost": "4.75", "waste_cost": "0", "total_cost": "4.75",
                               "complete": False, "cost_unknown": [chain.lots["FLUX"]]}


def test_a_serial_of_the_merged_batch_carries_its_share_of_the_scrap(client, plant_, chain):
    r = cost(client, plant_, chain.serials[2])
    assert by_item(r.json) == {
        "STEEL": ("1.25", "0.25", "3.75", "0.75", True),
        "COAT": ("50", "10", "1", "0.2", True),
        "FLUX": ("10", "2", None, None, False),
    }
    assert r.json["total"]["material_cost"] == "4.75"
    assert r.json["total"]["waste_cost"] == "0.95"
    assert r.json["total"]["total_cost"] == "5.7"
    steel = next(r for r in r.json["rows"] if r["item"] == "STEEL")
    assert (steel["lot"], steel["supplier"], steel["supplier_batch"], steel["unit"],
            steel["unit_cost"], steel["total_cost"]) == \
        (chain.lots["STEEL"], "ACME", "ACME-B1", "kg", "3", "4.5")


def test_per_material_sums_are_null_where_a_lot_has_no_cost(client, plant_, chain):
    materials = {m["item"]: m for m in cost(client, plant_, chain.serials[2]).json["materials"]}
    assert materials["COAT"] == {"item": "COAT", "item_name": "Coat", "unit": "g",
                                 "material_quantity": "50", "waste_quantity": "10",
                                 "lots": [chain.lots["COAT"]], "material_cost": "1",
                                 "waste_cost": "0.2", "total_cost": "1.2", "cost_known": True}
    assert materials["FLUX"]["total_cost"] is None and not materials["FLUX"]["cost_known"]
    assert materials["FLUX"]["material_quantity"] == "10"


def test_the_serials_of_a_run_cost_together_what_the_run_cost(client, plant_, chain):
    run = cost(client, plant_, chain.runs[0]).json
    assert by_item(run) == {
        "STEEL": ("8.75", "1.25", "26.25", "3.75", True),
        "COAT": ("350", "50", "7", "1", True),
        "FLUX": ("70", "10", None, None, False),
    }
    assert run["total"]["total_cost"] == "38"
    serials = [Decimal(cost(client, plant_, s).json["total"]["total_cost"])
               for s in chain.serials]
    assert sum(serials) == Decimal(38)


def test_a_batch_and_a_lot_are_costed_too(client, plant_, chain):
    merged = cost(client, plant_, chain.batches["m"]).json
    assert merged["kind"] == "batch"
    assert by_item(merged)["STEEL"] == ("6.25", "1.25", "18.75", "3.75", True)
    lot = cost(client, plant_, chain.lots["STEEL"]).json
    # The whole lot: 1/16 of it was scrapped (half of it went to run 1, which lost 1/8).
    assert by_item(lot) == {"STEEL": ("18.75", "1.25", "56.25", "3.75", True)}


def test_a_supplier_batch_number_names_its_lot(client, plant_, chain):
    r = cost(client, plant_, "ACME-B1")
    assert r.status_code == 200 and r.json["code"] == chain.lots["STEEL"]


def test_csv_has_a_row_per_source_lot_and_empty_unknown_costs(client, plant_, chain):
    for suffix in (".csv", "?format=csv"):
        r = cost(client, plant_, chain.serials[2], suffix)
        assert r.status_code == 200 and r.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(r.data.decode())))
        assert list(rows[0]) == COLUMNS
        assert {row["item"]: row["total_cost"] for row in rows} == \
            {"COAT": "1.2", "FLUX": "", "STEEL": "4.5"}


@pytest.mark.parametrize("code", ["NOPE-1", "serial:NOPE", "'; DROP TABLE lots;--",
                                  "x" * 400, "%00"])
def test_an_unknown_code_is_404_and_writes_nothing(client, plant_, chain, row_counts, code):
    before = row_counts()
    r = cost(client, plant_, code)
    assert r.status_code == 404 and r.json["code"] in ("unknown_code", "not_found")
    assert cost(client, plant_, code, ".csv").status_code == 404
    assert row_counts() == before


def test_a_thing_with_no_material_before_it_costs_nothing_and_says_so(client, plant_, chain):
    r = cost(client, plant_, chain.receipts[0])  # a receipt: nothing comes before it
    assert r.status_code == 200
    assert r.json["rows"] == [] and r.json["total"]["total_cost"] == "0"
    assert r.json["total"]["complete"] is True


def test_costs_need_a_supervisor(client, plant_, chain):
    assert cost(client, plant_, chain.serials[0], role="operator").status_code == 403
    assert client.get(f"/api/v1/reports/cost/{chain.serials[0]}").status_code == 401


def test_a_job_shares_its_waste_among_the_serials_it_made(app, client, plant_, chain):
    from tests.support.report_chain import add_job

    job, serials = add_job(app, chain)
    r = cost(client, plant_, serials[0])
    assert by_item(r.json) == {"COAT": ("75", "25", "1.5", "0.5", True)}
    assert r.json["total"]["total_cost"] == "2"
    job_cost = cost(client, plant_, job).json
    assert by_item(job_cost) == {"COAT": ("150", "50", "3", "1", True)}
    usage = client.get("/api/v1/reports/material-usage?from=2026-03-04&to=2026-03-04",
                       headers=plant_.auth("supervisor")).json
    assert [(r["item"], r["order"], r["issued"], r["wasted"], r["efficiency"])
            for r in usage["rows"]] == [("COAT", chain.order, "200", "50", "0.75")]
