"""The demo plant's stores, as a new user finds them on /inventory, /receiving and /trace."""

from __future__ import annotations

from labels import gs1
from server.seed_inventory import RAW_MATERIALS
from tests.support.apps import seed_plant


def get(client, token, path):
    r = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.json
    return r.json


def test_the_demo_has_stores_suppliers_and_raw_materials_with_valid_gtins(app, client):
    token = seed_plant(app).admin_token
    locations = get(client, token, "/locations")
    assert {(loc["warehouse"], loc["code"]) for loc in locations} == {("WH-1", "STORES"),
                                                                       ("WH-1", "LINESIDE")}
    assert [s["code"] for s in get(client, token, "/suppliers")] == ["NORDSTAHL", "WESTFALIA"]
    for sku, _, gtin, _ in RAW_MATERIALS:
        item = get(client, token, f"/items/{sku}")
        assert (item["kind"], item["unit"]) == ("raw_material", "kg")
        assert gs1.has_valid_check_digit(gtin)
    label = client.post("/api/v1/gs1/parse", headers={"Authorization": f"Bearer {token}"},
                        json={"text": "(01)" + RAW_MATERIALS[2][2] + "(10)H-1"}).json
    assert label["item"]["sku"] == "BAR-8"  # a supplier's label finds the item by its GTIN


def test_the_demo_receipt_has_two_inspected_lots_in_two_racks_and_one_is_partly_issued(app,
                                                                                      client):
    plant = seed_plant(app)
    receipt = get(client, plant.admin_token, f"/receipts/{plant.receipt}")
    assert [ln["lot"] for ln in receipt["lines"]] == plant.lots
    assert [(ln["item"], ln["location"], ln["bin"], ln["supplier_lot"])
            for ln in receipt["lines"]] == [("TUBE-40", "STORES", "R1-03", "H-24817"),
                                            ("BAR-8", "LINESIDE", "R2-11", "H-24902")]
    assert [i["result"] for i in receipt["inspections"]] == ["pass"]
    tube, bar = (get(client, plant.admin_token, f"/lots/{n}") for n in plant.lots)
    assert (tube["on_hand"], tube["status"], bar["on_hand"]) == ("360", "available", "250")
    forward = get(client, plant.admin_token, f"/trace/{plant.lots[0]}?direction=forward")
    run = next(n for n in forward["nodes"] if n["kind"] == "run")
    assert (run["code"], run["share"]) == (plant.runs[2], "1/4")  # 120 of 480 kg
