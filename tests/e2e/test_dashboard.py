"""The floor monitor: live scans, progress, stations, and resync after a server restart."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Station, run_batches

pytestmark = pytest.mark.browser


def open_dashboard(new_page):
    page = new_page(1920, 1080)
    page.goto("/dashboard")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator(".run-card")).to_have_count(3)
    return page


def test_scan_appears_on_the_dashboard_within_a_second(new_page, floorline_server, station):
    srv = floorline_server
    page = open_dashboard(new_page)
    cut = station("cut-1")
    batches = run_batches(srv, 0)
    for batch in batches[:3]:
        assert cut.scan(batch["code"])["outcome"] == "accepted"
    expect(page.locator("#ticker li").first).to_contain_text(batches[2]["code"])
    card = page.locator(f".run-card[data-run='{srv.plant.runs[0]}']")
    expect(card.locator(".wip")).to_contain_text("WELD3")
    expect(card.locator(".badge")).to_have_text("in progress")
    station("weld-1").scan(batches[5]["code"])  # wrong step: shows in red
    expect(page.locator("#ticker li").first).to_contain_text("Wrong step")
    expect(page.locator(".station[data-station='cut-1'] .st-state")).to_have_text("online")


def test_dashboard_resyncs_after_a_server_restart(new_page, floorline_server):
    srv = floorline_server
    page = open_dashboard(new_page)
    srv.kill()
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("Offline")
    srv.start()
    expect(page.locator("#offline")).to_be_hidden(timeout=10_000)
    cut = Station(srv.url, srv.plant.station_tokens["cut-1"])
    try:
        code = run_batches(srv, 1)[0]["code"]
        assert cut.scan(code)["outcome"] == "accepted"
        expect(page.locator("#ticker li").first).to_contain_text(code)
    finally:
        cut.close()


def test_dashboard_needs_a_login_unless_live_screens_are_public(floorline_server):
    import requests

    srv = floorline_server
    srv.stop()
    srv.env["FLOORLINE_LIVE_PUBLIC"] = "0"
    srv.start()
    res = requests.get(f"{srv.url}/dashboard", allow_redirects=False, timeout=5)
    assert res.status_code == 302 and "/login" in res.headers["Location"]
