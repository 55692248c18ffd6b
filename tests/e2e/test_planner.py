"""Planner pages: login, run list and creation, the run page with its flow graph."""

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import login, run_batches, shoot

pytestmark = pytest.mark.browser


def test_wrong_password_is_refused(new_page):
    page = new_page()
    page.goto("/runs")
    assert page.url.endswith("/login?next=/runs")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", "nope")
    page.click("button[type=submit]")
    expect(page.locator(".form-error")).to_have_text("wrong username or password")


def test_planner_creates_a_run_from_batch_specs(new_page, floorline_server):
    page = new_page()
    login(page)
    page.goto("/runs")
    expect(page.locator("#run-rows tr")).to_have_count(3)
    page.click("#btn-new")
    page.select_option("select[name=item]", "ROD-8")
    page.fill("input[name=quantity]", "7.5")
    page.fill("input[name=batches]", "2")
    page.fill("#run-notes", "rush <b>order</b>")
    page.get_by_role("button", name="Create run").click()
    expect(page.locator("#batch-rows tr")).to_have_count(2)
    number = page.locator("#run-number").inner_text()
    run = floorline_server.api("GET", f"/runs/{number}").json()
    assert run["notes"] == "rush <b>order</b>"
    assert [b["quantity"] for b in run["batches"]] == ["7.5", "7.5"]
    page.goto("/runs")
    page.fill("#search", number)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#run-rows tr")).to_have_count(1)
    expect(page.locator("#run-rows")).to_contain_text("rush <b>order</b>")


def test_run_page_shows_batches_flow_graph_and_timeline(new_page, floorline_server, station):
    srv = floorline_server
    batches = run_batches(srv, 0)
    cut = station("cut-1")
    for batch in batches[:6]:
        cut.scan(batch["code"])
    station("weld-1").scan(batches[0]["code"])
    srv.api("POST", f"/batches/{batches[4]['code']}/split", json={"parts": 2})
    srv.api("POST", f"/batches/{batches[1]['code']}/hold", json={"reason": "Weld seam check"})
    flow = srv.api("GET", f"/runs/{srv.plant.runs[0]}/flow").json()
    assert len(flow["nodes"]) == 10 and len(flow["edges"]) == 2
    assert {e["relation"] for e in flow["edges"]} == {"split"}
    assert len(flow["timeline"]) == 7

    page = new_page()
    login(page, "admin")
    page.goto(f"/runs/{srv.plant.runs[0]}")
    expect(page.locator("#batch-rows tr")).to_have_count(10)
    expect(page.locator("#flow canvas").first).to_be_attached()
    expect(page.locator("#timeline .tl-seg")).to_have_count(7)
    expect(page.locator(f"tr[data-batch='{batches[1]['code']}'] .hold-reason")).to_have_text(
        "Weld seam check")
    expect(page.locator("#print-labels")).to_have_attribute(
        "href", f"/api/v1/runs/{srv.plant.runs[0]}/labels.pdf")
    # A live update redraws only the row that changed: a row being clicked stays in place.
    page.evaluate("code => { window.keptRow = "
                  "document.querySelector(`tr[data-batch='${code}']`); }", batches[7]["code"])
    cut.scan(batches[6]["code"])
    expect(page.locator(f"tr[data-batch='{batches[6]['code']}']")).to_contain_text("PAINT",
                                                                                  timeout=1000)
    assert page.evaluate("() => window.keptRow.isConnected")
    page.wait_for_timeout(600)  # let the graph lay out before the screenshot
    shoot(page, "run.png", full_page=True)


def test_pages_send_security_headers(floorline_server):
    res = requests.get(f"{floorline_server.url}/kiosk/cut-1", timeout=5)
    assert res.status_code == 200
    csp = res.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert res.headers["X-Content-Type-Options"] == "nosniff"


def test_badge_login_works_only_at_a_paired_kiosk(floorline_server):
    srv = floorline_server
    web = requests.Session()
    page = web.get(f"{srv.url}/login", timeout=5).text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    res = web.post(f"{srv.url}/api/v1/auth/badge", json={"badge": "BADGE-0001", "pin": "1234"},
                   headers={"X-CSRF-Token": csrf}, timeout=5)
    assert res.status_code == 403 and res.json()["code"] == "not_a_kiosk"
    web.post(f"{srv.url}/kiosk/cut-1/pair", timeout=5,
             data={"token": srv.plant.station_tokens["cut-1"], "csrf_token": csrf})
    wrong = web.post(f"{srv.url}/api/v1/auth/badge", json={"badge": "BADGE-0001", "pin": "0000"},
                     headers={"X-CSRF-Token": csrf}, timeout=5)
    assert wrong.status_code == 401
    no_csrf = web.post(f"{srv.url}/api/v1/auth/badge", json={"badge": "BADGE-0001",
                                                            "pin": "1234"}, timeout=5)
    assert no_csrf.status_code == 403
    ok = web.post(f"{srv.url}/api/v1/auth/badge", json={"badge": "BADGE-0001", "pin": "1234"},
                  headers={"X-CSRF-Token": csrf}, timeout=5)
    assert ok.status_code == 200 and ok.json()["user"]["username"] == "ana"


def test_planner_makes_an_additional_run_from_an_order_and_names_who_is_responsible(
        new_page, floorline_server):
    srv = floorline_server
    first = srv.api("GET", f"/orders/{srv.plant.order}").json()
    assert first["status"] == "in_production" and len(first["runs"]) == 1
    page = new_page()
    login(page)
    page.goto("/runs")
    page.click("#btn-order")
    page.select_option("#order-select", srv.plant.order)
    expect(page.locator("#order-info")).to_contain_text(first["runs"][0])
    page.fill("#order-responsible", "sam")
    page.get_by_role("button", name="Generate run").click()
    expect(page.locator("#order-error")).to_contain_text("already has run")
    page.check("#order-additional")
    page.fill("#order-reason", "replace the batches scrapped at paint")
    page.get_by_role("button", name="Generate run").click()
    expect(page.locator("#run-kpis")).to_contain_text("sam")
    number = page.locator("#run-number").inner_text()
    run = srv.api("GET", f"/runs/{number}").json()
    assert (run["responsible"], run["sales_order"]) == ("sam", srv.plant.order)
    assert srv.api("GET", f"/orders/{srv.plant.order}").json()["runs"] == [first["runs"][0],
                                                                          number]


def test_planner_cancels_a_run_and_its_batches_are_refused_at_stations(
        new_page, floorline_server, station):
    srv = floorline_server
    code = run_batches(srv, 1)[0]["code"]
    page = new_page()
    login(page)
    page.goto(f"/runs/{srv.plant.runs[1]}")
    expect(page.locator("#batch-rows tr")).to_have_count(6)
    page.click("#btn-cancel-run")
    page.get_by_role("button", name="Cancel run", exact=True).last.click()
    expect(page.locator("#reason-input")).to_be_visible()  # a reason is required
    page.fill("#reason-input", "customer withdrew the order")
    page.click("#reason-ok")
    expect(page.locator("#run-status")).to_have_text("cancelled")
    expect(page.locator(f"tr[data-batch='{code}']")).to_contain_text("cancelled")
    expect(page.locator("#btn-cancel-run")).to_be_hidden()
    ack = station("cut-1").scan(code)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "run_cancelled")


def test_a_batch_is_scrapped_and_the_scrap_undone_from_the_run_page(new_page, floorline_server):
    srv = floorline_server
    code = run_batches(srv, 1)[0]["code"]
    page = new_page()
    login(page)
    page.goto(f"/runs/{srv.plant.runs[1]}")
    row = page.locator(f"tr[data-batch='{code}']")
    row.get_by_role("button", name="Scrap").click()
    page.fill("#reason-input", "dropped off the forklift")
    page.click("#reason-ok")
    expect(row).to_contain_text("scrapped")
    assert srv.api("GET", f"/batches/{code}").json()["state"] == "scrapped"
    row.get_by_role("button", name="History").click()
    expect(page.locator("#history-rows")).to_contain_text("dropped off the forklift")
    row.get_by_role("button", name="Undo").click()
    page.fill("#reason-input", "it was the batch beside it")
    page.click("#reason-ok")
    expect(row).to_contain_text("waiting")
    expect(page.locator("#history-rows")).to_contain_text("Undo of scrap")
    assert srv.api("GET", f"/batches/{code}").json()["state"] == "waiting"
