"""REST for setting up the catalogue: edit operations, items, routings and machines."""


def test_a_planner_edits_an_operation_and_a_viewer_may_not(client, plant_):
    body = {"name": "Cut to length", "is_quality_check": True}
    assert client.patch("/api/v1/operations/CUT", json=body,
                        headers=plant_.auth("viewer")).status_code == 403
    res = client.patch("/api/v1/operations/CUT", json=body, headers=plant_.auth("planner"))
    assert res.status_code == 200
    assert res.json == {"code": "CUT", "name": "Cut to length", "is_quality_check": True,
                        "archived": False}


def test_an_operation_in_a_routing_is_not_archived(client, plant_):
    res = client.patch("/api/v1/operations/WELD", json={"archived": True},
                       headers=plant_.auth("planner"))
    assert res.status_code == 409 and res.json["code"] == "operation_in_use"


def test_an_item_refuses_a_negative_cost_and_keeps_its_fields(client, plant_, row_counts):
    before = row_counts()
    res = client.patch("/api/v1/items/FRAME", json={"standard_cost": "-1", "name": "New"},
                       headers=plant_.auth("planner"))
    assert res.status_code == 400 and res.json["detail"]["errors"][0]["field"] == \
        "standard_cost"
    assert client.get("/api/v1/items/FRAME", headers=plant_.auth("viewer")).json["name"] == \
        "Frame"
    assert row_counts() == before


def test_saving_a_changed_routing_makes_a_new_current_version(client, plant_):
    res = client.put("/api/v1/items/ROD/routing", json={"operations": ["CUT", "WELD", "PAINT"],
                                                        "note": "weld added"},
                     headers=plant_.auth("planner"))
    assert res.status_code == 200
    assert res.json["routing_version"] == 2
    assert [(v["version"], v["current"], [s["operation"] for s in v["steps"]])
            for v in res.json["versions"]] == [(2, True, ["CUT", "WELD", "PAINT"]),
                                               (1, False, ["CUT", "PAINT"])]
    unknown = client.put("/api/v1/items/ROD/routing", json={"operations": ["NOPE"]},
                         headers=plant_.auth("planner"))
    assert unknown.status_code == 404 and unknown.json["code"] == "unknown_operation"


def test_an_admin_moves_a_machine_off_its_station_and_disables_it(client, plant_):
    res = client.patch("/api/v1/machines/SAW-1", json={"station": None, "enabled": False},
                       headers=plant_.auth("admin"))
    assert res.status_code == 200
    assert (res.json["station"], res.json["enabled"]) == (None, False)
    renamed = client.patch("/api/v1/machines/SAW-1", json={"name": "Old saw"},
                           headers=plant_.auth("admin"))
    assert (renamed.json["name"], renamed.json["station"]) == ("Old saw", None)
    assert client.patch("/api/v1/machines/SAW-1", json={"enabled": True},
                        headers=plant_.auth("planner")).status_code == 403
