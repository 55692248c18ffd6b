"""Cost roll-up over REST: hand-computed costs of serials through a split, a merge and scrap."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.report_chain import build_chain


@pytest.fixture
def chain(app, plant_):
    return build_chain(app)


def cost(client, plant_, code, suffix=""):
    return client.get(f"/api/v1/reports/cost/{code}{suffix}", headers=plant_.auth("supervisor"))


def by_lot(body):
    return {r["item"]: (r["material_quantity"], r["waste_quantity"], r["material_cost"],
                        r["waste_cost"], r["cost_known"]) for r in body["rows"]}


def test_a_serial_of_the_unsplit_half_costs_its_eighth_of_the_run(client, plant_, chain):
    r = cost(client, plant_, chain.serials[0])
    assert r.status_code == 200, r.json
    assert (r.json["kind"], r.json["code"]) == ("serial", chain.serials[0])
    assert by_lot(r.json) == {
        "STEEL": ("1.25", "0", "3.75", "0", True),
        "COAT": ("50", "0", "1", "0", True),
        "FLUX": ("10", "0", None, None, False),
    }
    assert r.json["total"] == {"material_cost": "4.75", "waste_cost": "0", "total_cost": "4.75",
                               "complete": False, "cost_unknown": [chain.lots["FLUX"]]}
