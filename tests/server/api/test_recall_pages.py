"""The trace and recall pages as HTML: both directions at once, statuses, the recall screen's
counts and actions by role, and markup in codes never reaching the page."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.recall_floor import recall_floor


@pytest.fixture
def floor(app, client, plant_):
    return recall_floor(app, client, plant_)


@pytest.fixture
def viewer(app, plant_, browser_as):
    return browser_as("viewer")


def embedded(html, name):
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert found, name
    return json.loads(found.group(1))


def test_the_trace_page_draws_both_ways_with_each_nodes_status(viewer, floor):
    r = viewer.get(f"/trace/batch:{floor['half']}?direction=both")
    assert r.status_code == 200
    data = embedded(r.get_data(as_text=True), "trace-data")
    depth = {n["code"]: (n["depth"], n["side"], n["status"]) for n in data["nodes"]}
    assert depth[floor["half"]] == (0, "start", "done")
    assert depth[floor["first"]] == (-1, "back", "split")
    assert depth[floor["a1"]][:2] == (-3, "back") and depth[floor["c"]][:2] == (-3, "back")
    assert depth[floor["serials"][0]] == (1, "forward", "shipped")
    assert depth["SH-2026-00001"] == (2, "forward", "shipped")
    assert data["totals"]["back"] == {"quantity": "6", "unit": "kg"}


@pytest.mark.parametrize("direction", ["back", "forward", "both"])
def test_the_trace_page_keeps_its_direction_in_a_shareable_url(viewer, floor, direction):
    html = viewer.get(f"/trace/{floor['merged']}?direction={direction}").get_data(as_text=True)
    assert f'data-direction="{direction}"' in html and 'aria-current="page"' in html
    assert f'value="{direction}" selected' in html


def test_the_recall_page_shows_counts_the_affected_and_the_exports(viewer, floor):
    r = viewer.get("/recall/HEAT-4711")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert re.search(r'id="count-affected">7<', html) and re.search(r'id="count-shipped">3<', html)
    for code in floor["serials"] + [floor["f"], floor["merged"]]:
        assert f'data-code="{code}"' in html
    assert "/api/v1/recall/HEAT-4711/contacts.csv" in html
    assert "/api/v1/recall/HEAT-4711/events.xlsx" in html and "/epcis" in html
    assert 'id="recall-hold"' not in html  # a viewer cannot quarantine


def test_a_supervisor_sees_the_hold_action_and_then_the_release(app, client, plant_, floor,
                                                                 browser_as):
    boss = browser_as("supervisor")
    assert 'id="recall-hold"' in boss.get("/recall/HEAT-4711").get_data(as_text=True)
    made = client.post("/api/v1/recall/HEAT-4711/hold", json={"reason": "complaint"},
                       headers=plant_.auth("supervisor")).json
    html = boss.get("/recall/HEAT-4711").get_data(as_text=True)
    assert 'id="recall-hold"' not in html
    assert f'class="btn btn-ghost release" data-number="{made["number"]}"' in html


def test_an_unknown_or_hostile_code_is_a_404_page_with_the_search_kept(viewer, floor):
    for path in ("/recall/<b>x</b>", "/trace/<b>x</b>"):
        r = viewer.get(path)
        assert r.status_code == 404
        html = r.get_data(as_text=True)
        assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_the_pages_send_a_browser_without_a_login_to_the_login_page(app, floor):
    for path in ("/recall/HEAT-4711", "/recall", "/trace/HEAT-4711"):
        r = app.test_client().get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login")
