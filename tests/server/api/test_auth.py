"""Authentication and roles: bearer tokens, browser sessions with CSRF, station tokens."""


def test_requests_without_credentials_are_refused(client, plant_):
    r = client.get("/api/v1/runs")
    assert r.status_code == 401 and r.json["code"] == "unauthorized"


def test_a_wrong_token_is_refused(client, plant_):
    r = client.get("/api/v1/runs", headers={"Authorization": "Bearer flu_nope"})
    assert r.status_code == 401 and r.json["code"] == "bad_token"


def test_a_station_token_cannot_use_the_rest_of_the_api(client, plant_, row_counts):
    before = row_counts()
    r = client.post("/api/v1/items", json={"sku": "N", "name": "n", "kind": "finished",
                                           "unit": "pcs"}, headers=plant_.station("cut-1"))
    assert r.status_code == 403
    assert client.get("/api/v1/runs", headers=plant_.station("cut-1")).status_code == 403
    assert row_counts() == before


def test_rotating_a_station_token_retires_the_old_one(client, plant_):
    old = plant_.station_tokens["cut-1"]
    r = client.post("/api/v1/stations/cut-1/token", headers=plant_.auth("admin"))
    assert r.status_code == 200 and r.json["token"].startswith("fls_")
    assert r.json["token"] != old
    assert client.get("/api/v1/runs", headers={"Authorization": f"Bearer {old}"}
                      ).status_code == 401


def test_browser_session_login_needs_csrf_for_changes(client, plant_, admin_password):
    r = client.post("/api/v1/auth/login", json={"username": "admin",
                                                "password": "password-admin"})
    assert r.status_code == 200
    csrf = r.json["csrf_token"]
    assert client.get("/api/v1/runs").status_code == 200
    body = {"code": "X", "name": "Customer"}
    r = client.post("/api/v1/customers", json=body)
    assert r.status_code == 403 and r.json["code"] == "csrf_failed"
    r = client.post("/api/v1/customers", json=body, headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    r = client.post("/api/v1/customers", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
    client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert client.get("/api/v1/runs").status_code == 401


def test_wrong_password_is_refused(client, plant_, admin_password):
    r = client.post("/api/v1/auth/login", json={"username": "admin", "password": "guess"})
    assert r.status_code == 401 and r.json["code"] == "bad_credentials"


def test_admin_creates_a_user_and_issues_their_token(client, plant_):
    h = plant_.auth("admin")
    r = client.post("/api/v1/users", json={"username": "lee", "role": "planner",
                                           "password": "long-enough"}, headers=h)
    assert r.status_code == 201
    token = client.post("/api/v1/tokens", json={"username": "lee"}, headers=h).json["token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json
    assert me["name"] == "lee" and me["role"] == "planner"


def test_users_cannot_issue_tokens_for_others(client, plant_):
    r = client.post("/api/v1/tokens", json={"username": "admin"}, headers=plant_.auth("planner"))
    assert r.status_code == 403
    own = client.post("/api/v1/tokens", json={"username": "planner"},
                      headers=plant_.auth("planner"))
    assert own.status_code == 201


def test_every_change_is_audited_with_who_and_what(client, plant_, app):
    client.post("/api/v1/customers", json={"code": "ACME", "name": "Acme"},
                headers=plant_.auth("planner"))
    from sqlalchemy import select

    from server.models import AuditRecord
    with app.extensions["floorline"].sessions() as s:
        row = s.scalars(select(AuditRecord).where(AuditRecord.entity_key == "ACME")).one()
    assert (row.actor, row.action, row.changes) == ("planner", "customer.create",
                                                    {"name": "Acme"})
