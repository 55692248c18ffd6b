"""Completing a job's output over REST: its receipts already put the good pieces into stock as
lots, so a completion takes them out of those lots into serials (lot -consume-> serial) and
nothing is in stock twice; lot output, more than the lots hold, and lots that cannot give
are refused, writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from server.domain.genealogy import NodeKind
from server.domain.quantities import Quantity
from server.models import GenealogyEdge, GenealogyNode, Lot
from server.services import genealogy, stock
from server.services.actors import SYSTEM
from tests.support.completions import complete
from tests.support.job_floor import call, jewellery


@pytest.fixture
def shop(client, plant_):
    """The jewellery shop with PENDANT counted in pieces and a job issued 6 pieces of gold."""
    lots = jewellery(client, plant_)
    call(client, plant_, "POST", "/items", {"sku": "PENDANT", "name": "Pendant",
                                            "kind": "finished", "unit": "pcs"})
    job = call(client, plant_, "POST", "/jobs", {"stage": "FAB", "issues": [
        {"lot": lots[0], "pieces": 6}], "items": [], "policy": "match_issued"})["number"]
    return {"job": job, "gold": lots[0]}


def receive(client, plant_, job, pieces, weight="5"):
    """Receive pieces of PENDANT from the job; return the received good lot's number."""
    answer = call(client, plant_, "POST", f"/jobs/{job}/receipts", {"location": "STORES",
                  "rows": [{"output_type": "finished", "item": "PENDANT", "pieces": pieces,
                            "weight": weight, "unit": "g"}]}, role="operator")
    (lot,) = [r["lot"] for r in answer["receipt"]["rows"] if r["bucket"] == "received"]
    return lot


def finish(client, plant_, job, **body):
    spec = {"quantity_completed": 3, "output": "serials", "location": "STORES", **body}
    return complete(client, plant_, job, kind="jobs", **spec)


def lot_of(client, plant_, number):
    return call(client, plant_, "GET", f"/lots/{number}", role="viewer")


def in_stock(client, plant_):
    return call(client, plant_, "GET", "/serials?item=PENDANT&status=in_stock",
                role="viewer")["total"]


def edges_into(app, codes):
    """Return (parent kind, parent code, relation, quantity, unit) of each edge into a serial."""
    with app.extensions["floorline"].sessions() as s:
        parent = GenealogyNode.__table__.alias("parent")
        child = GenealogyNode.__table__.alias("child")
        rows = s.execute(select(parent.c.kind, parent.c.code, GenealogyEdge.relation,
                                GenealogyEdge.quantity, GenealogyEdge.unit, child.c.code)
                         .join(parent, parent.c.id == GenealogyEdge.parent_id)
                         .join(child, child.c.id == GenealogyEdge.child_id)
                         .where(child.c.kind == "serial", child.c.code.in_(codes)))
        return sorted((k, c, r, str(q.normalize()), u) for k, c, r, q, u, _ in rows)


def test_completing_a_job_takes_its_received_good_output(app, client, plant_, shop):
    received = receive(client, plant_, shop["job"], 4, weight="20")
    left = call(client, plant_, "GET", f"/jobs/{shop['job']}/complete", role="viewer")
    assert (left["good"], left["left"], left["outputs"]) == ("4", "4", ["serials"])
    assert [(x["number"], x["on_hand"], x["unit"]) for x in left["lots"]] == \
        [(received, "4", "pcs")]
    r = finish(client, plant_, shop["job"], quantity_completed=3)
    assert r.status_code == 201, r.json
    assert (r.json["completion"]["job"], r.json["lot"]) == (shop["job"], None)
    codes = [s["code"] for s in r.json["serials"]]
    assert len(codes) == 3 and {s["status"] for s in r.json["serials"]} == {"in_stock"}
    lot = lot_of(client, plant_, received)
    assert (lot["on_hand"], lot["status"]) == ("1", "available")
    assert in_stock(client, plant_) == 3
    assert edges_into(app, codes) == [("lot", received, "consume", "1", "pcs")] * 3
    left = call(client, plant_, "GET", f"/jobs/{shop['job']}/complete", role="viewer")
    assert (left["good"], left["completed"], left["left"]) == ("4", "3", "1")


def test_a_forward_trace_gives_each_serial_a_quarter_of_the_received_lot(client, plant_, shop):
    received = receive(client, plant_, shop["job"], 4, weight="20")
    codes = [s["code"] for s in finish(client, plant_, shop["job"]).json["serials"]]
    trace = call(client, plant_, "GET", f"/trace/{shop['gold']}?direction=forward",
                 role="viewer")
    share = {n["code"]: Fraction(n["share"]) for n in trace["nodes"]}
    assert share[received] > 0
    assert [share[c] for c in codes] == [share[received] / 4] * 3
    # The job's material goes once into the received lot, not a second time to the serials.
    assert [e["child"] for e in trace["edges"] if e["parent"] == shop["job"]] == [received]


def test_defective_pieces_leave_the_lot_and_the_last_lot_is_consumed(app, client, plant_,
                                                                     shop):
    first = receive(client, plant_, shop["job"], 2)
    second = receive(client, plant_, shop["job"], 2)
    r = finish(client, plant_, shop["job"], quantity_completed=4, quantity_defective=1,
               result="fail")
    assert r.status_code == 201, r.json
    codes = [s["code"] for s in r.json["serials"]]
    assert {s["status"] for s in r.json["serials"]} == {"quarantined"}
    assert edges_into(app, codes) == sorted([("lot", first, "consume", "1", "pcs")] * 2
                                            + [("lot", second, "consume", "1", "pcs")])
    for number in (first, second):
        assert (lot_of(client, plant_, number)["on_hand"],
                lot_of(client, plant_, number)["status"]) == ("0", "consumed")
    checks = call(client, plant_, "GET", f"/quality-checks?subject={shop['job']}",
                  role="viewer")
    assert [(q["stage"], q["subject_kind"], q["result"], q["defects"]) for q in checks] == \
        [("final", "job", "fail", 1)]


def test_a_lot_output_is_refused_as_already_a_lot_writing_nothing(client, plant_, shop,
                                                                  row_counts):
    received = receive(client, plant_, shop["job"], 4)
    before = row_counts()
    r = finish(client, plant_, shop["job"], output="lot")
    assert r.status_code == 422 and r.json["code"] == "already_a_lot"
    assert "serials" in r.json["message"] and "/quality-checks" in r.json["message"]
    assert row_counts() == before
    assert lot_of(client, plant_, received)["on_hand"] == "4"


def test_more_than_the_received_lots_hold_is_refused_writing_nothing(client, plant_, shop,
                                                                    row_counts):
    receive(client, plant_, shop["job"], 4)
    assert finish(client, plant_, shop["job"], quantity_completed=3).status_code == 201
    before = row_counts()
    r = finish(client, plant_, shop["job"], quantity_completed=2)
    assert r.status_code == 422 and r.json["code"] == "more_than_came_in"
    assert r.json["detail"]["available"] == "1"
    assert row_counts() == before
    assert finish(client, plant_, shop["job"], quantity_completed=1).status_code == 201
    again = finish(client, plant_, shop["job"], quantity_completed=1)
    assert again.status_code == 422 and again.json["detail"]["available"] == "0"
    assert row_counts()["serials"] == before["serials"] + 1


def test_a_quarantined_or_shipped_received_lot_is_not_taken(app, client, plant_, shop,
                                                            row_counts):
    held = receive(client, plant_, shop["job"], 2)
    shipped = receive(client, plant_, shop["job"], 1)
    good = receive(client, plant_, shop["job"], 2)
    call(client, plant_, "POST", f"/lots/{held}/status", {"status": "quarantined",
                                                          "reason": "scratches"})
    with app.extensions["floorline"].transaction() as s:
        lot = s.scalars(select(Lot).where(Lot.number == shipped)).one()
        stock.ship(s, lot, Quantity(Decimal(1), "pcs"), record="shipment:SH-TEST",
                   to=genealogy.node(s, NodeKind.SHIPMENT, "SH-TEST"), actor=SYSTEM,
                   at=datetime.now(UTC))
    left = call(client, plant_, "GET", f"/jobs/{shop['job']}/complete", role="viewer")
    assert (left["good"], left["left"], [x["number"] for x in left["lots"]]) == \
        ("5", "2", [good])
    before = row_counts()
    r = finish(client, plant_, shop["job"], quantity_completed=3)
    assert r.status_code == 422 and r.json["detail"]["available"] == "2"
    assert row_counts() == before
    r = finish(client, plant_, shop["job"], quantity_completed=2)
    assert r.status_code == 201, r.json
    assert edges_into(app, [s["code"] for s in r.json["serials"]]) == \
        [("lot", good, "consume", "1", "pcs")] * 2
    assert [(lot_of(client, plant_, n)["on_hand"], lot_of(client, plant_, n)["status"])
            for n in (held, shipped, good)] == \
        [("2", "quarantined"), ("0", "shipped"), ("0", "consumed")]


def test_a_job_with_nothing_received_has_nothing_left_to_complete(client, plant_, shop,
                                                                  row_counts):
    left = call(client, plant_, "GET", f"/jobs/{shop['job']}/complete", role="viewer")
    assert (left["left"], left["ready"], left["item"], left["lots"]) == ("0", False, None, [])
    before = row_counts()
    r = finish(client, plant_, shop["job"])
    assert r.status_code == 422 and r.json["code"] == "more_than_came_in"
    r = finish(client, plant_, shop["job"], output="lot")
    assert r.status_code == 422 and r.json["code"] == "already_a_lot"
    unknown = finish(client, plant_, "J-2026-99999")
    assert unknown.status_code == 404 and unknown.json["code"] == "unknown_code"
    assert row_counts() == before


def test_a_job_output_weighed_in_grams_cannot_become_serials(client, plant_, row_counts):
    lots = jewellery(client, plant_)
    job = call(client, plant_, "POST", "/jobs", {"stage": "FAB", "issues": [
        {"lot": lots[0], "pieces": 6}], "items": [], "policy": "match_issued"})["number"]
    call(client, plant_, "POST", f"/jobs/{job}/receipts", {"location": "STORES", "rows": [
        {"output_type": "finished", "item": "RING", "pieces": 4, "weight": "20", "unit": "g"}]},
        role="operator")
    left = call(client, plant_, "GET", f"/jobs/{job}/complete", role="viewer")
    assert (left["left"], left["unit"], left["counted"]) == ("20", "g", False)
    before = row_counts()
    r = finish(client, plant_, job, quantity_completed="15")
    assert r.status_code == 422 and r.json["code"] == "not_countable"
    assert row_counts() == before
