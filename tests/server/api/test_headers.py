"""HTTP manners: Allow on 405, security headers on every response, a checkable OpenAPI."""

from __future__ import annotations

import re

import pytest


def test_a_405_says_which_methods_are_allowed(client, plant_):
    r = client.delete("/api/v1/customers", headers=plant_.auth("admin"))
    assert r.status_code == 405 and r.json["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


@pytest.mark.parametrize("url", ["/api/v1/runs", "/api/v1/nope", "/healthz", "/login",
                                 "/api/v1/openapi.json"])
def test_every_response_carries_the_security_headers(client, plant_, url):
    r = client.get(url, headers=plant_.auth("viewer"))
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_api_answers_are_not_cached(client, plant_):
    r = client.post("/api/v1/tokens", json={"username": "viewer"}, headers=plant_.auth("admin"))
    assert r.headers["Cache-Control"] == "no-store"


def test_every_openapi_path_is_a_valid_template_with_declared_parameters(client):
    doc = client.get("/api/v1/openapi.json").json
    for path, ops in doc["paths"].items():
        assert "<" not in path and ">" not in path, path
        names = set(re.findall(r"{(\w+)}", path))
        for op in ops.values():
            declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert declared == names, path
    fmt = doc["paths"]["/api/v1/runs/{number}/labels.{fmt}"]["get"]["parameters"][1]
    assert fmt["schema"]["enum"] == ["pdf", "png", "svg", "zpl"]


def test_every_openapi_operation_declares_its_answer(client):
    doc = client.get("/api/v1/openapi.json").json
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            ok = [v for k, v in op["responses"].items() if k.startswith("2")]
            assert ok and ok[0].get("content"), f"{method} {path}"
    me = doc["paths"]["/api/v1/auth/me"]["get"]["responses"]["200"]["content"]
    ref = me["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(doc["components"]["schemas"][ref]["required"]) == {"name", "role",
                                                                  "csrf_token"}
