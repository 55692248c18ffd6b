"""Recall over REST: a supplier batch received twice, through a split, a merge and a job,
to serials and lots shipped to two customers or still in stock; holds and their release."""

from __future__ import annotations

import pytest

from tests.support.recall_floor import recall_floor


@pytest.fixture
def floor(app, client, plant_):
    return recall_floor(app, client, plant_)


def get(client, plant_, code, role="viewer"):
    return client.get(f"/api/v1/recall/{code}", headers=plant_.auth(role))


def by_code(body):
    return {a["code"]: a for a in body["affected"]}


def test_a_supplier_batch_received_twice_is_one_recall_with_shares_of_both_lots(
        client, plant_, floor):
    r = get(client, plant_, "HEAT-4711")
    assert r.status_code == 200, r.json
    body = r.json
    assert body["origin"]["kind"] == "supplier_batch"
    assert body["origin"]["lots"] == sorted([floor["a1"], floor["a2"]])
    assert (body["origin"]["item"], body["origin"]["supplier"]) == ("ROD", "STEELCO")
    assert body["total"] == {"quantity": "140", "unit": "kg"}
    found = by_code(body)
    s1, s2, s3 = floor["serials"]
    assert set(found) == {s1, s2, s3, floor["f"], floor["a1"], floor["a2"], floor["merged"]}
    assert [(found[s]["share"], found[s]["amount"]) for s in (s1, s2, s3)] == [("1/140", "1")] * 3
    assert (found[floor["merged"]]["share"], found[floor["merged"]]["amount"]) == ("9/140", "9")
    assert (found[floor["f"]]["share"], found[floor["f"]]["amount"]) == ("1/7", "20")
    assert found[floor["merged"]]["kind"] == "batch"
    assert found[floor["merged"]]["status"] == "waiting"
    assert found[floor["merged"]]["step"] == "CUT"
    print(body)
