"""EPCIS 2.0 export over REST: a chain from two supplier receipts through a run with a split
and a merge to serials and a shipment, validated against GS1's published JSON Schema."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.domain.genealogy import NodeKind, Relation
from server.domain.quantities import Quantity
from server.models import Batch, Completion, Customer, Item, SalesOrder, Serial
from server.models.shipping import Shipment, ShipmentLine
from server.services import genealogy, sales
from server.services.actors import SYSTEM
from tests.support.epcis import errors

GTIN = "09501101530003"
SHIPPED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def call(client, plant_, method, path, body=None, role="planner"):
    r = client.open(f"/api/v1{path}", method=method, json=body, headers=plant_.auth(role))
    assert r.status_code in (200, 201), (path, r.json)
    return r.json


def _serials_and_shipment(rt, batch_code: str) -> tuple[list[str], str]:
    """Two serials completed from the batch, shipped to ACME on order; model rows + links
    (the completion and shipment services are other parts of issue 13)."""
    with rt.transaction() as s:
        sales.create_customer(s, SYSTEM, code="ACME", name="Acme")
        customer = s.scalars(select(Customer)).one()
        order = SalesOrder(number="SO-2026-00001", customer_id=customer.id, status="shipped")
        batch = s.scalars(select(Batch).where(Batch.code == batch_code)).one()
        widget = s.scalars(select(Item).where(Item.sku == "WIDGET")).one()
        done = Completion(batch_id=batch.id, item_id=widget.id, completed_at=SHIPPED,
                          quantity_completed=Decimal(2), quantity_defective=Decimal(0),
                          unit="pcs", inspector="qa", result="pass", output="serials",
                          created_by="test")
        s.add_all([order, done])
        s.flush()
        codes = ["WID-2026-0302-0001", "WID-2026-0302-0002"]
        serials = [Serial(code=c, item_id=widget.id, completion_id=done.id, status="shipped")
                   for c in codes]
        shipment = Shipment(number="SH-2026-00001", customer_id=customer.id, order_id=order.id,
                            status="shipped", created_by="test", shipped_at=SHIPPED,
                            shipped_by="planner")
        s.add_all([*serials, shipment])
        s.flush()
        batch_node = genealogy.node(s, NodeKind.BATCH, batch_code, batch.id)
        ship_node = genealogy.node(s, NodeKind.SHIPMENT, shipment.number, shipment.id)
        one = Quantity(Decimal(1), "pcs")
        for i, serial in enumerate(serials, 1):
            s.add(ShipmentLine(shipment_id=shipment.id, line_no=i, serial_id=serial.id,
                               quantity=Decimal(1), unit="pcs", added_by="packer"))
            node = genealogy.node(s, NodeKind.SERIAL, serial.code, serial.id)
            genealogy.link(s, batch_node, node, Relation.PRODUCE, one,
                           record=f"completion:{done.id}")
            genealogy.link(s, node, ship_node, Relation.SHIP, one,
                           record=f"shipment:{shipment.number}")
    return codes, "SH-2026-00001"


@pytest.fixture
def chain(app, client, plant_):
    """Two receipts -> lots issued to a run of ROD -> a split, a merge -> two serials shipped."""
    call(client, plant_, "POST", "/warehouses", {"code": "MAIN", "name": "Main store"})
    call(client, plant_, "POST", "/locations", {"warehouse": "MAIN", "code": "STORES",
                                                "name": "Stores"})
    call(client, plant_, "POST", "/suppliers", {"code": "NORDSTAHL", "name": "Nordstahl"})
    call(client, plant_, "POST", "/items", {"sku": "BAR", "name": "Round bar",
                                            "kind": "raw_material", "unit": "kg"})
    call(client, plant_, "POST", "/items", {"sku": "WIDGET", "name": "Widget",
                                            "kind": "finished", "unit": "pcs"})
    call(client, plant_, "PUT", "/items/WIDGET/gtin", {"gtin": GTIN})
    lots = []
    for invoice, qty in (("NS-1", "100"), ("NS-2", "50")):
        made = call(client, plant_, "POST", "/receipts", {
            "supplier": "NORDSTAHL", "invoice_number": invoice,
            "lines": [{"item": "BAR", "quantity": qty, "unit": "kg",
                       "supplier_lot": f"H-{invoice}", "location": "STORES"}]})
        lots.append(made["lines"][0]["lot"])
    run = call(client, plant_, "POST", "/runs", {"lines": [
        {"item": "ROD", "quantity": "12", "unit": "kg", "batches": 2}]})
    for lot, kg in zip(lots, ("16", "8"), strict=True):
        call(client, plant_, "POST", f"/lots/{lot}/issue",
             {"target": {"kind": "run", "code": run["number"]}, "quantity": kg, "unit": "kg"})
    first = run["batches"][0]["code"]
    parts = [c["code"] for c in call(client, plant_, "POST", f"/batches/{first}/split",
                                     {"quantities": ["2", "4", "6"]}, role="operator")["children"]]
    merged = call(client, plant_, "POST", "/batches/merge", {"batches": parts[:2]},
                  role="operator")["batch"]["code"]
    serials, shipment = _serials_and_shipment(app.extensions["floorline"], merged)
    return {"lots": lots, "run": run["number"], "merged": merged, "serials": serials,
            "shipment": shipment}


def export(client, plant_, code, direction=None):
    query = f"?direction={direction}" if direction else ""
    return client.get(f"/api/v1/trace/{code}/epcis{query}", headers=plant_.auth("viewer"))


def of(doc, kind, step=None):
    return [e for e in doc["epcisBody"]["eventList"]
            if e["type"] == kind and (step is None or e.get("bizStep") == step)]


def test_the_whole_chain_exports_as_a_valid_epcis_document_with_every_event_type(
        client, plant_, chain, row_counts):
    before = row_counts()
    r = export(client, plant_, chain["run"])
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/ld+json"
    doc = json.loads(r.get_data())
    assert errors(doc) == []
    assert (doc["type"], doc["schemaVersion"]) == ("EPCISDocument", "2.0")
    assert "epcis-context.jsonld" in doc["@context"]
    assert len(of(doc, "ObjectEvent", "receiving")) == 2
    assert of(doc, "TransformationEvent") and of(doc, "AggregationEvent", "packing")
    (shipping,) = of(doc, "ObjectEvent", "shipping")
    assert shipping["disposition"] == "in_transit"
    assert shipping["eventTime"] == SHIPPED.isoformat()
    assert shipping["destinationList"][0]["type"] == "owning_party"
    assert shipping["destinationList"][0]["destination"].endswith("/party/ACME")
    assert {t["type"] for t in shipping["bizTransactionList"]} == {"po", "desadv"}
    assert row_counts() == before


def test_receipts_name_supplier_invoice_and_lot_quantities_in_un_cefact_units(client, plant_,
                                                                               chain):
    doc = export(client, plant_, chain["serials"][0], "back").json
    assert errors(doc) == []
    got = {e["quantityList"][0]["epcClass"].rsplit("/", 1)[1]:
           (e["quantityList"][0]["quantity"], e["quantityList"][0]["uom"],
            e["bizTransactionList"][0]["bizTransaction"].rsplit("/", 1)[1],
            e["sourceList"][0]["source"].rsplit("/", 1)[1], e["action"], e["disposition"])
           for e in of(doc, "ObjectEvent", "receiving")}
    assert got == {chain["lots"][0]: (100, "KGM", "NS-1", "NORDSTAHL", "ADD", "in_progress"),
                   chain["lots"][1]: (50, "KGM", "NS-2", "NORDSTAHL", "ADD", "in_progress")}
    assert not of(doc, "ObjectEvent", "shipping")  # back from a serial: nothing downstream


def test_production_is_transformations_from_issued_lots_to_batches_and_serials(client, plant_,
                                                                               chain):
    doc = export(client, plant_, chain["lots"][0], "forward").json
    assert errors(doc) == []
    events = of(doc, "TransformationEvent")
    (run,) = [e for e in events if e["transformationID"].endswith(f"/run%3A{chain['run']}")]
    assert {q["epcClass"].rsplit("/", 1)[1] for q in run["inputQuantityList"]} == {
        chain["lots"][0]}  # forward from one lot: only what it reached
    assert [q["uom"] for q in run["outputQuantityList"]] == ["KGM", "KGM"]
    assert {e["bizStep"] for e in events} >= {"creating_class_instance", "repackaging",
                                              "commissioning"}
    (made,) = [e for e in events if e["bizStep"] == "commissioning"]
    assert made["outputEPCList"] == [f"https://id.floorline.example/01/{GTIN}/21/{c}"
                                     for c in chain["serials"]]
    (packing,) = of(doc, "AggregationEvent")
    assert packing["parentID"].endswith("/shipment/SH-2026-00001")
    assert packing["childEPCs"] == made["outputEPCList"] and packing["action"] == "ADD"


def test_a_deliberately_broken_document_fails_the_schema(client, plant_, chain):
    doc = export(client, plant_, chain["run"]).json
    broken = [copy.deepcopy(doc) for _ in range(4)]
    del broken[0]["epcisBody"]["eventList"][0]["eventTime"]
    broken[1]["epcisBody"]["eventList"][0]["bizStep"] = "teleporting"
    broken[2]["epcisBody"]["eventList"][0]["quantityList"] = [{"quantity": "100"}]
    broken[3]["creationDate"] = "yesterday"
    assert all(errors(b) for b in broken), [errors(b) for b in broken]


def test_an_unknown_code_is_a_404_and_a_bad_direction_a_400(client, plant_, chain, row_counts):
    before = row_counts()
    for code in ("NOPE-1", "lot:NOPE", "'; DROP TABLE genealogy_edges; --", "x" * 5000):
        r = export(client, plant_, code)
        assert r.status_code == 404 and r.json["code"] == "unknown_code", (code, r.json)
    r = export(client, plant_, chain["run"], "sideways")
    assert r.status_code == 400, r.json
    assert row_counts() == before


def test_the_export_needs_a_signed_in_user(client, chain):
    r = client.get(f"/api/v1/trace/{chain['run']}/epcis")
    assert r.status_code == 401

