"""Customer shipments over REST on each backend: open, pack, ship; every refusal writes nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from server.models import GenealogyEdge, GenealogyNode, Lot, Serial, StockMovement
from tests.support.serial_rows import make_serials

API = "/api/v1"


@pytest.fixture
def shop(app, client, plant_):
    """Customers ACME and BETA, an order of ACME for 2 FRAME + 3 kg ROD, two FRAME serials in
    FG, a 5 kg lot of ROD, and a third serial quarantined."""
    planner = plant_.auth("planner")
    assert client.post(f"{API}/warehouses", json={"code": "MAIN", "name": "Main"},
                       headers=planner).status_code == 201
    assert client.post(f"{API}/locations", json={"warehouse": "MAIN", "code": "FG",
                                                 "name": "Finished"},
                       headers=planner).status_code == 201
    for code in ("ACME", "BETA"):
        assert client.post(f"{API}/customers", json={"code": code, "name": code.title()},
                           headers=planner).status_code == 201
    order = client.post(f"{API}/orders", json={"customer": "ACME", "lines": [
        {"item": "FRAME", "quantity": 2, "unit": "pcs"},
        {"item": "ROD", "quantity": "3", "unit": "kg"}]}, headers=planner).json
    client.post(f"{API}/orders/{order['number']}/status", json={"status": "confirmed"},
                headers=planner)
    lot = client.post(f"{API}/lots", json={"item": "ROD", "quantity": "5", "unit": "kg",
                                           "location": "FG", "bin": "B-2"}, headers=planner)
    assert lot.status_code == 201, lot.json
    with app.extensions["floorline"].transaction() as s:
        serials = make_serials(s, "FRAME", 2, location="FG", bin="A-1")
        bad = make_serials(s, "FRAME", 1, location="FG", status="quarantined")
    return {"order": order["number"], "serials": serials, "quarantined": bad[0],
            "lot": lot.json["number"], "planner": planner,
            "operator": plant_.auth("operator"), "viewer": plant_.auth("viewer")}


def open_shipment(client, shop, **extra):
    r = client.post(f"{API}/shipments", json={"customer": "ACME", "order": shop["order"],
                                               **extra}, headers=shop["planner"])
    assert r.status_code == 201, r.json
    return r.json


def add(client, shop, number, code, **extra):
    return client.post(f"{API}/shipments/{number}/lines", json={"code": code, **extra},
                       headers=shop["operator"])


def test_a_shipment_opens_with_its_number_customer_and_order(client, shop):
    made = open_shipment(client, shop, delivery_date="2026-12-10", notes="dock 2")
    assert made["number"].startswith("SH-") and len(made["number"]) == len("SH-2026-00001")
    assert (made["customer"], made["customer_name"], made["order"], made["status"]) == \
        ("ACME", "Acme", shop["order"], "open")
    assert (made["delivery_date"], made["lines"], made["station"]) == ("2026-12-10", [], None)
    got = client.get(f"{API}/shipments/{made['number']}", headers=shop["viewer"]).json
    assert got["number"] == made["number"]


def test_shipping_moves_serials_and_lot_out_writes_ship_edges_and_ships_the_order(
        app, client, shop):
    number = open_shipment(client, shop)["number"]
    for code in shop["serials"]:
        r = add(client, shop, number, code)
        assert r.status_code == 201, r.json
        assert (r.json["kind"], r.json["item"], r.json["quantity"], r.json["unit"]) == \
            ("serial", "FRAME", "1", "pcs")
    r = add(client, shop, number, shop["lot"], quantity="3", unit="kg")
    assert (r.status_code, r.json["kind"], r.json["line_no"], r.json["quantity"]) == \
        (201, "lot", 3, "3")
    shipped = client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    assert shipped.status_code == 200, shipped.json
    assert shipped.json["status"] == "shipped" and shipped.json["shipped_at"]
    order = client.get(f"{API}/orders/{shop['order']}", headers=shop["viewer"]).json
    assert order["status"] == "shipped"
    lot = client.get(f"{API}/lots/{shop['lot']}", headers=shop["viewer"]).json
    assert (lot["on_hand"], lot["status"]) == ("2", "available")
    with app.extensions["floorline"].sessions() as s:
        statuses = s.scalars(select(Serial.status).where(Serial.code.in_(shop["serials"])))
        assert set(statuses) == {"shipped"}
        into = s.scalar(select(GenealogyNode).where(GenealogyNode.kind == "shipment",
                                                    GenealogyNode.code == number))
        assert into is not None
        edges = s.scalars(select(GenealogyEdge).where(GenealogyEdge.child_id == into.id)).all()
        assert sorted((e.parent_kind, e.relation) for e in edges) == \
            [("lot", "ship"), ("serial", "ship"), ("serial", "ship")]
        moves = s.scalars(select(StockMovement.kind).join(Lot)
                          .where(Lot.number == shop["lot"])).all()
        assert moves == ["receive", "ship"]


def test_an_order_shipped_in_part_stays_open(client, shop):
    number = open_shipment(client, shop)["number"]
    add(client, shop, number, shop["serials"][0])
    client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    order = client.get(f"{API}/orders/{shop['order']}", headers=shop["viewer"]).json
    assert order["status"] == "confirmed"


def test_a_whole_lot_shipped_becomes_shipped(client, shop):
    number = open_shipment(client, shop, order=None)["number"]
    add(client, shop, number, shop["lot"], quantity="5000", unit="g")
    client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    lot = client.get(f"{API}/lots/{shop['lot']}", headers=shop["viewer"]).json
    assert (lot["on_hand"], lot["status"]) == ("0", "shipped")


def test_a_repeated_line_event_answers_the_first_line_and_adds_nothing(client, shop,
                                                                       row_counts):
    number = open_shipment(client, shop)["number"]
    event = str(uuid.uuid4())
    first = add(client, shop, number, shop["lot"], quantity="1", unit="kg", event_id=event)
    before = row_counts()
    again = add(client, shop, number, shop["lot"], quantity="1", unit="kg", event_id=event)
    assert again.json == first.json
    assert row_counts() == before


def test_a_serial_goes_on_one_shipment_only(client, shop, row_counts):
    first = open_shipment(client, shop)["number"]
    other = open_shipment(client, shop)["number"]
    assert add(client, shop, first, shop["serials"][0]).status_code == 201
    before = row_counts()
    for number in (first, other):
        r = add(client, shop, number, shop["serials"][0])
        assert (r.status_code, r.json["code"]) == (409, "already_shipped")
    assert row_counts() == before


def test_a_shipped_serial_cannot_ship_again(client, shop, row_counts):
    first = open_shipment(client, shop)["number"]
    add(client, shop, first, shop["serials"][0])
    client.post(f"{API}/shipments/{first}/ship", json={}, headers=shop["planner"])
    other = open_shipment(client, shop)["number"]
    before = row_counts()
    r = add(client, shop, other, shop["serials"][0].lower())
    assert (r.status_code, r.json["code"]) == (409, "already_shipped")
    assert row_counts() == before


def test_quarantined_serials_and_lots_are_refused(client, shop, row_counts):
    number = open_shipment(client, shop)["number"]
    client.post(f"{API}/lots/{shop['lot']}/status", json={"status": "quarantined",
                                                           "reason": "check"},
                headers=shop["planner"])
    before = row_counts()
    r = add(client, shop, number, shop["quarantined"])
    assert (r.status_code, r.json["code"]) == (409, "quarantined")
    r = add(client, shop, number, shop["lot"], quantity="1")
    assert (r.status_code, r.json["code"]) == (409, "quarantined")
    assert row_counts() == before


def test_a_lot_gives_no_more_than_on_hand_less_what_open_shipments_hold(client, shop,
                                                                        row_counts):
    first = open_shipment(client, shop)["number"]
    other = open_shipment(client, shop)["number"]
    assert add(client, shop, first, shop["lot"], quantity="4").status_code == 201
    before = row_counts()
    r = add(client, shop, other, shop["lot"], quantity="1.5")
    assert (r.status_code, r.json["code"], r.json["detail"]["available"]) == \
        (422, "more_than_on_hand", "1")
    r = add(client, shop, first, shop["lot"], quantity="6")
    assert (r.status_code, r.json["code"]) == (422, "more_than_on_hand")
    assert row_counts() == before
    assert add(client, shop, other, shop["lot"], quantity="1").status_code == 201


def test_unknown_codes_and_shipments_are_404_and_write_nothing(client, shop, row_counts):
    number = open_shipment(client, shop)["number"]
    before = row_counts()
    for code in ("NOPE-1", "FG-2026-0101-9999", "'; DROP TABLE lots; --"):
        r = add(client, shop, number, code, quantity="1")
        assert r.status_code in (400, 404), r.json
    r = add(client, shop, number, "NOPE-1", quantity="1")
    assert (r.status_code, r.json["code"]) == (404, "unknown_code")
    r = add(client, shop, "SH-2026-99999", shop["serials"][0])
    assert (r.status_code, r.json["code"]) == (404, "unknown_shipment")
    r = client.post(f"{API}/shipments", json={"customer": "NOBODY"}, headers=shop["planner"])
    assert (r.status_code, r.json["code"]) == (404, "unknown_customer")
    r = client.post(f"{API}/shipments", json={"customer": "BETA", "order": shop["order"]},
                    headers=shop["planner"])
    assert (r.status_code, r.json["code"]) == (422, "wrong_customer")
    assert row_counts() == before


def test_bad_bodies_are_refused(client, shop, row_counts):
    number = open_shipment(client, shop)["number"]
    before = row_counts()
    for body in ({"code": shop["lot"]}, {"code": shop["lot"], "quantity": 1.5},
                 {"code": shop["lot"], "quantity": "0"}, {"code": "x" * 65},
                 {"code": shop["lot"], "quantity": "1", "unit": "m"},
                 {"code": shop["serials"][0], "quantity": "2"}, {"code": "A\u202eB"}):
        r = client.post(f"{API}/shipments/{number}/lines", json=body, headers=shop["operator"])
        assert 400 <= r.status_code < 500, (body, r.json)
    assert row_counts() == before


def test_an_empty_or_closed_shipment_cannot_ship_or_take_lines(client, shop, row_counts):
    number = open_shipment(client, shop)["number"]
    before = row_counts()
    r = client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    assert (r.status_code, r.json["code"]) == (409, "empty_shipment")
    assert row_counts() == before
    assert client.post(f"{API}/shipments/{number}/cancel", json={"reason": "wrong order"},
                       headers=shop["planner"]).json["status"] == "cancelled"
    before = row_counts()
    assert add(client, shop, number, shop["serials"][0]).json["code"] == "shipment_closed"
    for action in ("ship", "cancel"):
        r = client.post(f"{API}/shipments/{number}/{action}", json={}, headers=shop["planner"])
        assert (r.status_code, r.json["code"]) == (409, "shipment_closed")
    assert row_counts() == before


def test_a_cancelled_shipment_frees_what_it_held(client, shop):
    number = open_shipment(client, shop)["number"]
    add(client, shop, number, shop["serials"][0])
    client.post(f"{API}/shipments/{number}/cancel", json={}, headers=shop["planner"])
    other = open_shipment(client, shop)["number"]
    assert add(client, shop, other, shop["serials"][0]).status_code == 201


def test_a_line_is_removed_while_open_only(client, shop, row_counts):
    number = open_shipment(client, shop)["number"]
    add(client, shop, number, shop["serials"][0])
    add(client, shop, number, shop["serials"][1])
    r = client.delete(f"{API}/shipments/{number}/lines/1", headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (200, shop["serials"][0])
    lines = client.get(f"{API}/shipments/{number}", headers=shop["viewer"]).json["lines"]
    assert [ln["code"] for ln in lines] == [shop["serials"][1]]
    before = row_counts()
    r = client.delete(f"{API}/shipments/{number}/lines/7", headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (404, "unknown_line")
    client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    before = row_counts()
    r = client.delete(f"{API}/shipments/{number}/lines/2", headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (409, "shipment_closed")
    assert row_counts() == before


def test_roles_are_enforced(client, shop, row_counts):
    before = row_counts()
    r = client.post(f"{API}/shipments", json={"customer": "ACME"}, headers=shop["operator"])
    assert r.status_code == 403
    number = open_shipment(client, shop)["number"]
    before = row_counts()
    assert add(client, shop, number, shop["serials"][0]).status_code == 201
    before = row_counts()
    r = client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["operator"])
    assert r.status_code == 403
    r = client.post(f"{API}/shipments/{number}/lines", json={"code": shop["serials"][1]},
                    headers=shop["viewer"])
    assert r.status_code == 403
    assert row_counts() == before


def test_shipments_are_listed_by_status_and_customer(client, shop):
    first = open_shipment(client, shop)["number"]
    other = client.post(f"{API}/shipments", json={"customer": "BETA"},
                        headers=shop["planner"]).json["number"]
    client.post(f"{API}/shipments/{first}/cancel", json={}, headers=shop["planner"])

    def numbers(query: str) -> list[str]:
        return [s["number"] for s in client.get(f"{API}/shipments{query}",
                                                headers=shop["viewer"]).json]
    assert numbers("") == [other, first]
    assert numbers("?status=open") == [other]
    assert numbers("?customer=bet") == [other]
    assert numbers(f"?order={shop['order']}") == [first]
    assert client.get(f"{API}/shipments?status=lost", headers=shop["viewer"]).status_code == 400


def test_candidates_list_what_is_free_to_ship(client, shop):
    number = open_shipment(client, shop)["number"]
    add(client, shop, number, shop["serials"][0])
    add(client, shop, number, shop["lot"], quantity="2")
    found = client.get(f"{API}/shipments/{number}/candidates?q=", headers=shop["viewer"]).json
    assert [(c["kind"], c["code"], c["available"]) for c in found] == \
        [("serial", shop["serials"][1], "1"), ("lot", shop["lot"], "3")]
    assert client.get(f"{API}/shipments/{number}/candidates?q=zzz",
                      headers=shop["viewer"]).json == []


def test_the_packing_slip_is_a_pdf(client, shop):
    number = open_shipment(client, shop)["number"]
    add(client, shop, number, shop["serials"][0])
    r = client.get(f"{API}/shipments/{number}/slip.pdf", headers=shop["viewer"])
    assert (r.status_code, r.mimetype) == (200, "application/pdf")
    assert r.data.startswith(b"%PDF")


@pytest.fixture
def packing_station(client, shop):
    """cut-1 made a packing station by a planner."""
    r = client.put(f"{API}/stations/cut-1/packing", json={"packing": True},
                   headers=shop["planner"])
    assert r.json == {"name": "cut-1", "packing": True}
    return "cut-1"


def test_a_packing_station_opens_packs_into_and_ships_its_shipment(client, shop,
                                                                   packing_station):
    here = f"{API}/stations/{packing_station}/shipment"
    assert client.get(here, headers=shop["viewer"]).json["shipment"] is None
    opened = client.post(here, json={"order": shop["order"]}, headers=shop["operator"]).json
    number = opened["shipment"]["number"]
    assert (opened["shipment"]["customer"], opened["shipment"]["station"]) == \
        ("ACME", packing_station)
    add(client, shop, number, shop["serials"][0])
    shipped = client.post(f"{here}/ship", json={}, headers=shop["operator"])
    assert (shipped.status_code, shipped.json["status"]) == (200, "shipped")
    assert client.get(here, headers=shop["viewer"]).json["shipment"] is None


def test_picking_another_shipment_takes_the_station_off_the_last(client, shop,
                                                                 packing_station):
    here = f"{API}/stations/{packing_station}/shipment"
    first = open_shipment(client, shop, station=packing_station)["number"]
    other = open_shipment(client, shop)["number"]
    r = client.post(here, json={"shipment": other}, headers=shop["operator"])
    assert r.json["shipment"]["number"] == other
    assert client.get(f"{API}/shipments/{first}", headers=shop["viewer"]).json["station"] is None


def test_packing_station_refusals_write_nothing(client, shop, packing_station, row_counts):
    here = f"{API}/stations/{packing_station}/shipment"
    before = row_counts()
    r = client.post(f"{here}/ship", json={}, headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (409, "no_shipment_here")
    r = client.post(f"{API}/stations/weld-1/shipment", json={"customer": "ACME"},
                    headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (409, "not_a_packing_station")
    r = client.post(here, json={"shipment": "SH-2026-99999"}, headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (404, "unknown_shipment")
    r = client.post(here, json={}, headers=shop["operator"])
    assert (r.status_code, r.json["code"]) == (422, "customer_required")
    r = client.put(f"{API}/stations/weld-1/packing", json={"packing": True},
                   headers=shop["operator"])
    assert r.status_code == 403
    r = client.put(f"{API}/stations/nowhere/packing", json={"packing": True},
                   headers=shop["planner"])
    assert (r.status_code, r.json["code"]) == (404, "unknown_station")
    assert client.post(here, json={"customer": "ACME"}, headers=shop["viewer"]).status_code \
        == 403
    assert row_counts() == before


def test_what_was_quarantined_after_packing_stops_the_shipment_and_nothing_ships(
        app, client, shop, row_counts):
    number = open_shipment(client, shop)["number"]
    add(client, shop, number, shop["serials"][0])
    add(client, shop, number, shop["lot"], quantity="1")
    client.post(f"{API}/lots/{shop['lot']}/status", json={"status": "quarantined",
                                                           "reason": "recall"},
                headers=shop["planner"])
    before = row_counts()
    r = client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    assert (r.status_code, r.json["code"]) == (409, "quarantined")
    assert row_counts() == before
    with app.extensions["floorline"].transaction() as s:
        serial = s.scalar(select(Serial).where(Serial.code == shop["serials"][0]))
        serial.status = "quarantined"  # as a recall hold would
    client.post(f"{API}/lots/{shop['lot']}/status", json={"status": "available",
                                                           "reason": "cleared"},
                headers=shop["planner"])
    before = row_counts()
    r = client.post(f"{API}/shipments/{number}/ship", json={}, headers=shop["planner"])
    assert (r.status_code, r.json["code"]) == (409, "quarantined")
    assert row_counts() == before
    assert client.get(f"{API}/shipments/{number}", headers=shop["viewer"]).json["status"] \
        == "open"
