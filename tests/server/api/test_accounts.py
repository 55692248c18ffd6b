"""Admin's user accounts, customer renames and an order's next statuses, through the API."""


def test_admins_list_users_without_their_secrets(client, plant_):
    client.post("/api/v1/users", json={"username": "ana", "role": "operator", "pin": "1234",
                                       "badge_code": "B-1"}, headers=plant_.auth("admin"))
    r = client.get("/api/v1/users", headers=plant_.auth("admin"))
    assert r.status_code == 200
    ana = next(u for u in r.json if u["username"] == "ana")
    assert ana["has_pin"] and ana["has_badge"] and not ana["has_password"]
    assert "1234" not in r.get_data(as_text=True) and "B-1" not in r.get_data(as_text=True)
    assert client.get("/api/v1/users", headers=plant_.auth("planner")).status_code == 403


def test_an_admin_changes_role_name_badge_and_pin(client, plant_, audit_count):
    h = plant_.auth("admin")
    before = audit_count()
    r = client.patch("/api/v1/users/viewer", json={"role": "supervisor", "display_name": "Vi",
                                                   "badge_code": "B-9", "pin": "4321"},
                     headers=h)
    assert r.status_code == 200, r.json
    assert (r.json["role"], r.json["display_name"], r.json["has_pin"]) == ("supervisor", "Vi",
                                                                            True)
    assert audit_count() == before + 1
    r = client.patch("/api/v1/users/viewer", json={"pin": None}, headers=h)
    assert not r.json["has_pin"] and r.json["has_badge"]
    # The role takes effect at once on the user's existing token.
    assert client.patch("/api/v1/stations/cut-1", json={"enabled": True},
                        headers=plant_.auth("viewer")).status_code == 200


def test_a_bad_pin_a_taken_badge_and_self_demotion_are_refused(client, plant_, row_counts):
    h = plant_.auth("admin")
    client.patch("/api/v1/users/operator", json={"badge_code": "B-1"}, headers=h)
    before = row_counts()
    r = client.patch("/api/v1/users/viewer", json={"pin": "12"}, headers=h)
    assert r.status_code == 400 and r.json["detail"]["errors"][0]["field"] == "pin"
    r = client.patch("/api/v1/users/viewer", json={"badge_code": "B-1"}, headers=h)
    assert r.status_code == 409 and r.json["code"] == "duplicate_badge"
    r = client.post("/api/v1/users", json={"username": "x", "role": "viewer",
                                           "badge_code": "B-1"}, headers=h)
    assert r.status_code == 409 and r.json["code"] == "duplicate_badge"
    r = client.patch("/api/v1/users/admin", json={"role": "viewer"}, headers=h)
    assert r.status_code == 409 and r.json["code"] == "self_role_change"
    r = client.patch("/api/v1/users/viewer", json={"role": None}, headers=h)
    assert r.status_code == 400
    assert client.patch("/api/v1/users/viewer", json={"role": "admin"},
                        headers=plant_.auth("planner")).status_code == 403
    assert row_counts() == before


def test_an_empty_change_leaves_a_user_as_it_was(client, plant_, audit_count):
    before = audit_count()
    r = client.patch("/api/v1/users/viewer", json={}, headers=plant_.auth("admin"))
    assert r.status_code == 200 and r.json["role"] == "viewer"
    assert audit_count() == before


def test_admins_list_and_revoke_another_users_tokens(client, plant_):
    h = plant_.auth("admin")
    tokens = client.get("/api/v1/tokens?username=planner", headers=h).json
    assert [t["username"] for t in tokens] == ["planner"]
    r = client.post(f"/api/v1/tokens/{tokens[0]['id']}/revoke", headers=h)
    assert r.status_code == 200 and r.json["revoked_at"]
    assert client.get("/api/v1/runs", headers=plant_.auth("planner")).status_code == 401


def test_a_planner_renames_a_customer_but_not_its_code(client, plant_):
    h = plant_.auth("planner")
    client.post("/api/v1/customers", json={"code": "ACME", "name": "Acme"}, headers=h)
    r = client.patch("/api/v1/customers/ACME", json={"name": "Acme Ltd"}, headers=h)
    assert r.status_code == 200 and r.json == {"code": "ACME", "name": "Acme Ltd"}
    r = client.patch("/api/v1/customers/ACME", json={"name": "x" * 201}, headers=h)
    assert r.status_code == 400
    r = client.patch("/api/v1/customers/ACME", json={"code": "B", "name": "B"}, headers=h)
    assert r.status_code == 400
    assert client.patch("/api/v1/customers/NOPE", json={"name": "n"},
                        headers=h).status_code == 404
    assert client.patch("/api/v1/customers/ACME", json={"name": "n"},
                        headers=plant_.auth("supervisor")).status_code == 403


def test_an_order_says_which_statuses_it_may_take_next(client, plant_):
    h = plant_.auth("planner")
    client.post("/api/v1/customers", json={"code": "ACME", "name": "Acme"}, headers=h)
    order = client.post("/api/v1/orders", json={"customer": "ACME", "lines": [
        {"item": "FRAME", "quantity": 5, "unit": "pcs"}]}, headers=h).json
    assert order["next_statuses"] == ["confirmed", "cancelled"]
    assert order["customer_name"] == "Acme"
    r = client.post(f"/api/v1/orders/{order['number']}/status", json={"status": "cancelled"},
                    headers=h)
    assert r.json["next_statuses"] == []
