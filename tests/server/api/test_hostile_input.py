"""Input that used to crash the server (500) or leak field rules to anonymous callers."""

from __future__ import annotations

import pytest

HOSTILE_TEXT = ["nul\x00byte", "esc\x1b[31m", "right-to-left \u202etxt.exe", "del\x7f",
                "c1\x85inside", "isolate\u2066x\u2069"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("auth", [True, False], ids=["as admin", "anonymous"])
def test_deeply_nested_json_is_a_clear_400(client, plant_, auth, row_counts):
    before = row_counts()
    headers = {"Content-Type": "application/json", **(plant_.auth("admin") if auth else {})}
    r = client.post("/api/v1/customers", data=nested(100_000), headers=headers)
    assert r.status_code == (400 if auth else 401)
    r = client.post("/api/v1/auth/login", data=nested(100_000), headers=headers)
    assert r.status_code == 400 and r.json["code"] == "invalid_json"
    assert row_counts() == before


def test_deeply_nested_json_to_the_scan_fallback_is_a_rejected_scan(client, plant_):
    r = client.post("/api/v1/scans", data=nested(100_000), headers={
        "Content-Type": "application/json", **plant_.station("cut-1")})
    assert r.status_code == 200 and r.json["outcome"] == "rejected"


@pytest.mark.parametrize("offset", ["9223372036854775808", "99999999999999999999999"])
def test_an_offset_beyond_64_bits_is_refused(client, plant_, offset):
    r = client.get("/api/v1/runs", query_string={"offset": offset},
                   headers=plant_.auth("viewer"))
    assert r.status_code == 400 and r.json["code"] == "invalid_input"


def test_a_step_position_beyond_64_bits_is_not_found(client, plant_):
    r = client.post(f"/api/v1/batches/B-1/steps/{10**23}/quantities", json={"good": 1},
                    headers=plant_.auth("operator"))
    assert r.status_code == 404 and r.json["code"] == "not_found"


@pytest.mark.parametrize("text", HOSTILE_TEXT)
@pytest.mark.parametrize(("url", "field", "base"), [
    ("/api/v1/customers", "name", {"code": "C-1", "name": "Acme"}),
    ("/api/v1/operations", "name", {"code": "DRILL", "name": "Drill"}),
    ("/api/v1/orders", "notes", {"customer": "C-1", "lines": [
        {"item": "FRAME", "quantity": 1, "unit": "pcs"}]}),
    ("/api/v1/runs", "notes", {"lines": [{"item": "FRAME", "quantity": 1, "unit": "pcs"}]}),
], ids=["customer name", "operation name", "order notes", "run notes"])
def test_control_and_bidirectional_characters_are_refused_in_rest_text(
        client, plant_, row_counts, text, url, field, base):
    before = row_counts()
    r = client.post(url, json={**base, field: text}, headers=plant_.auth("admin"))
    assert r.status_code == 400 and r.json["code"] == "invalid_input"
    assert r.json["detail"]["errors"][0]["field"] == field
    assert row_counts() == before


def test_free_text_keeps_line_breaks_and_tabs(client, plant_):
    r = client.post("/api/v1/runs", json={"notes": "two\nlines\tand a tab", "lines": [
        {"item": "FRAME", "quantity": 1, "unit": "pcs"}]}, headers=plant_.auth("planner"))
    assert r.status_code == 201


def test_an_anonymous_caller_learns_nothing_of_a_body_s_rules(client, plant_):
    r = client.post("/api/v1/runs", json={"lines": "not a list"})
    assert r.status_code == 401 and r.json["detail"] == {}
    r = client.post("/api/v1/runs", data="not json", headers={"Content-Type": "text/plain"})
    assert r.status_code == 401
