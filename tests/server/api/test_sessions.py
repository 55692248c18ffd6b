"""Taking access back: logout ends the session server-side, tokens expire and are revoked,
users are deactivated (with their tokens and sessions)."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from server.cli import main
from server.models import ApiToken, utcnow


def login(client, password="password-admin"):
    r = client.post("/api/v1/auth/login", json={"username": "admin", "password": password})
    assert r.status_code == 200, r.json
    return {"X-CSRF-Token": r.json["csrf_token"]}


def cookie_of(client):
    return client.get_cookie("session").value


def test_a_copied_session_cookie_stops_working_after_logout(app, client, plant_,
                                                            admin_password):
    csrf = login(client)
    copy = app.test_client()
    copy.set_cookie("session", cookie_of(client))
    assert copy.get("/api/v1/auth/me").status_code == 200
    assert client.post("/api/v1/auth/logout", headers=csrf).status_code == 200
    assert copy.get("/api/v1/auth/me").status_code == 401
    assert copy.get("/runs").status_code == 302  # pages send it to the login form too


def test_a_revoked_token_is_refused_at_once(client, plant_):
    admin = plant_.auth("admin")
    tokens = client.get("/api/v1/tokens", query_string={"username": "viewer"},
                        headers=admin).json
    assert [t["name"] for t in tokens] == ["api"] and "token" not in tokens[0]
    assert client.get("/api/v1/runs", headers=plant_.auth("viewer")).status_code == 200
    r = client.post(f"/api/v1/tokens/{tokens[0]['id']}/revoke", headers=admin)
    assert r.status_code == 200 and r.json["revoked_at"]
    r = client.get("/api/v1/runs", headers=plant_.auth("viewer"))
    assert r.status_code == 401 and r.json["code"] == "bad_token"


def test_users_revoke_their_own_tokens_but_not_others(client, plant_):
    mine = client.get("/api/v1/tokens", headers=plant_.auth("planner")).json
    assert [t["username"] for t in mine] == ["planner"]
    others = client.get("/api/v1/tokens", headers=plant_.auth("admin")).json
    viewer_token = next(t for t in others if t["username"] == "viewer")
    r = client.post(f"/api/v1/tokens/{viewer_token['id']}/revoke", headers=plant_.auth("planner"))
    assert r.status_code == 404
    assert client.get("/api/v1/runs", headers=plant_.auth("viewer")).status_code == 200
    r = client.post(f"/api/v1/tokens/{mine[0]['id']}/revoke", headers=plant_.auth("planner"))
    assert r.status_code == 200


def test_a_token_with_an_expiry_stops_working_when_it_expires(app, client, plant_):
    r = client.post("/api/v1/tokens", json={"username": "viewer", "expires_in": 3600},
                    headers=plant_.auth("admin"))
    token = {"Authorization": f"Bearer {r.json['token']}"}
    assert client.get("/api/v1/runs", headers=token).status_code == 200
    with app.extensions["floorline"].transaction() as s:
        row = s.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
        assert row.expires_at - utcnow() <= timedelta(hours=1)
        row.expires_at = utcnow() - timedelta(seconds=1)  # as if an hour had passed
    assert client.get("/api/v1/runs", headers=token).status_code == 401


def test_a_token_cannot_be_made_to_expire_in_the_past(client, plant_, row_counts):
    before = row_counts()
    r = client.post("/api/v1/tokens", json={"username": "viewer", "expires_in": -5},
                    headers=plant_.auth("admin"))
    assert r.status_code == 400 and row_counts() == before


def test_deactivating_a_user_ends_their_tokens_and_sessions(app, client, plant_,
                                                           admin_password):
    login(client)
    assert client.get("/api/v1/auth/me").status_code == 200
    other = app.test_client()
    r = other.post("/api/v1/users/admin/active", json={"active": False, "reason": "left"},
                   headers=plant_.auth("planner"))
    assert r.status_code == 403  # admins only
    # A second admin deactivates the first.
    client2 = app.test_client()
    create = client2.post("/api/v1/users", json={"username": "root2", "role": "admin"},
                          headers=plant_.auth("admin"))
    assert create.status_code == 201
    token2 = client2.post("/api/v1/tokens", json={"username": "root2"},
                          headers=plant_.auth("admin")).json["token"]
    r = client2.post("/api/v1/users/admin/active", json={"active": False, "reason": "left"},
                     headers={"Authorization": f"Bearer {token2}"})
    assert r.status_code == 200 and r.json["active"] is False
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/runs", headers=plant_.auth("admin")).status_code == 401
    r = client.post("/api/v1/auth/login", json={"username": "admin",
                                                "password": "password-admin"})
    assert r.status_code == 401


def test_an_admin_cannot_deactivate_themself(client, plant_):
    r = client.post("/api/v1/users/admin/active", json={"active": False},
                    headers=plant_.auth("admin"))
    assert r.status_code == 409
    assert client.get("/api/v1/runs", headers=plant_.auth("admin")).status_code == 200


def test_the_cli_lists_revokes_and_expires_tokens_and_deactivates_users(app, plant_,
                                                                        monkeypatch):
    settings = app.extensions["floorline"].settings
    monkeypatch.setenv("FLOORLINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FLOORLINE_INSTANCE_PATH", settings.instance_path)
    monkeypatch.setenv("FLOORLINE_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("FLOORLINE_CONFIG", "/nonexistent")
    cli = CliRunner()
    made = cli.invoke(main, ["token", "create", "viewer", "--name", "short",
                             "--expires-in", "1h"])
    assert made.exit_code == 0, made.output
    listed = cli.invoke(main, ["token", "list", "--user", "viewer"])
    assert listed.exit_code == 0 and "short" in listed.output and made.output.strip() \
        not in listed.output
    client = app.test_client()
    new = {"Authorization": f"Bearer {made.output.strip()}"}
    assert client.get("/api/v1/runs", headers=new).status_code == 200
    token_id = next(line.split()[0] for line in listed.output.splitlines() if "short" in line)
    revoked = cli.invoke(main, ["token", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/runs", headers=new).status_code == 401
    bad = cli.invoke(main, ["token", "create", "viewer", "--expires-in", "soon"])
    assert bad.exit_code != 0 and "expires-in" in bad.output
    off = cli.invoke(main, ["user", "deactivate", "viewer", "--reason", "left"])
    assert off.exit_code == 0, off.output
    assert client.get("/api/v1/runs", headers=plant_.auth("viewer")).status_code == 401
