"""Inventory pages in Chromium: locations, receive a lot, filter, the lot page, issue material.

A planner works at a desk (1280x800) and on a phone (390x844); refusals show the API's
reason in the form, and what was done shows in the ledger.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser
PASSWORD = "floorline"


def _main_store(srv) -> None:
    assert srv.api("POST", "/warehouses", json={"code": "MAIN", "name": "Main store"}).ok
    assert srv.api("POST", "/locations", json={"warehouse": "MAIN", "code": "RAW",
                                               "name": "Raw material"}).ok


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server with warehouse MAIN and its location RAW."""
    yield from seeded_server(tmp_path_factory, seeded_template, "inventory", setup=_main_store)


def receive(page, qty: str, bin_: str) -> str:
    page.goto("/inventory")
    form = page.locator("#receive-form")
    expect(form.locator("[name=location] option[value=RAW]")).to_have_count(1)  # loaded
    form.locator("[name=item]").fill("ROD-8")
    form.locator("[name=quantity]").fill(qty)
    form.locator("[name=unit]").fill("kg")
    form.locator("[name=location]").select_option("RAW")
    form.locator("[name=bin]").fill(bin_)
    form.locator("[type=submit]").click()
    row = page.locator("#lot-rows tr", has_text=bin_)
    expect(row).to_contain_text(f"{qty} kg")
    return row.get_attribute("data-lot") or ""


def test_a_planner_adds_a_location_receives_a_lot_and_issues_it_to_a_run(new_page,
                                                                         floorline_server):
    run = floorline_server.plant.runs[0]
    page = new_page()
    login(page)
    page.goto("/inventory/locations")
    form = page.locator("#location-form")
    expect(form.locator("[name=warehouse] option[value=MAIN]")).to_have_count(1)  # loaded
    form.locator("[name=code]").fill("RAW")
    form.locator("[name=name]").fill("Again")
    form.locator("[type=submit]").click()
    expect(page.locator("#location-error")).to_contain_text("exists")
    form.locator("[name=code]").fill("LINE")
    form.locator("[type=submit]").click()
    expect(page.locator("tr[data-location='LINE']")).to_contain_text("MAIN")

    number = receive(page, "5", "A-01")
    page.locator("#lot-filter [name=status]").select_option("quarantined")
    expect(page.locator("#lot-rows")).to_contain_text("No lots match")
    page.locator("#lot-filter [name=status]").select_option("available")
    page.locator(f"#lot-rows tr[data-lot='{number}'] a").click()

    expect(page.locator("#lot-facts")).to_contain_text("5 kg")
    issue = page.locator("#issue-form")
    issue.locator("[name=code]").fill(run)
    issue.locator("[name=quantity]").fill("6")
    issue.locator("[type=submit]").click()
    expect(page.locator("#issue-error")).to_contain_text("on hand")
    issue.locator("[name=quantity]").fill("2")
    issue.locator("[type=submit]").click()
    expect(page.locator("#lot-facts")).to_contain_text("3 kg")
    expect(page.locator("#ledger-rows tr[data-kind='issue']")).to_contain_text(f"run:{run}")
    shoot(page, "inventory-lot-1280.png", full_page=True)

    page.goto(f"/runs/{run}")
    page.locator("#issue-material").click()
    expect(page.locator("#issue-form [name=code]")).to_have_value(run)
    expect(page.locator(f"#issue-form [name=lot] option[value='{number}']")).to_have_count(1)
    page.locator("#issue-form [name=lot]").select_option(number)
    page.locator("#issue-form [type=submit]").click()
    expect(page.locator("#issued")).to_contain_text("0 kg left")
    page.goto(f"/inventory/lots/{number}")
    expect(page.locator("#lot-status")).to_have_text("Consumed")


def test_the_inventory_page_and_issue_form_fit_a_phone(new_page, floorline_server):
    run = floorline_server.plant.runs[0]
    page = new_page(390, 844)
    login(page)
    number = receive(page, "4", "P-07")
    shoot(page, "inventory-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("#lot-filter", "#receive-form"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    page.goto(f"/inventory/lots/{number}")
    issue = page.locator("#issue-form")
    box = issue.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    issue.locator("[name=code]").fill(run)
    issue.locator("[name=quantity]").fill("1500")
    issue.locator("[name=unit]").fill("g")
    issue.locator("[type=submit]").click()
    expect(page.locator("#lot-facts")).to_contain_text("2.5 kg")
    shoot(page, "inventory-lot-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_viewer_sees_lots_but_no_actions(new_page, floorline_server):
    floorline_server.api("POST", "/users", json={"username": "vic", "role": "viewer",
                                                 "password": PASSWORD})
    page = new_page()
    login(page, "vic")
    page.goto("/inventory")
    expect(page.locator("#receive-form")).to_be_hidden()
    assert page.goto("/inventory/issue").status == 403
    assert page.goto("/inventory/lots/NOPE-1").status == 404


def test_a_lot_label_scanned_at_a_station_shows_the_issue_on_its_kiosk(new_page, floorline_server):
    from tests.e2e.conftest import Station, badge_login, pair_kiosk

    srv = floorline_server
    made = srv.api("POST", "/stations", json={"name": "cut-9", "operation": "CUT",
                                              "scan_mode": "toggle"})
    assert made.status_code == 201, made.text
    srv.plant.station_tokens["cut-9"] = made.json()["token"]
    run = srv.api("POST", "/runs", json={"lines": [{"item": "ROD-8", "quantity": 3,
                                                    "unit": "kg", "batches": 1}]}).json()
    batch = run["batches"][0]["code"]
    lot = srv.api("POST", "/lots", json={"item": "ROD-8", "quantity": "7.5", "unit": "kg",
                                         "location": "RAW", "bin": "K-01"}).json()["number"]
    page = new_page()
    pair_kiosk(page, srv, "cut-9")
    badge_login(page)
    scanner = Station(srv.url, srv.plant.station_tokens["cut-9"])
    try:
        assert scanner.scan(lot)["reason"] == "no_batch_here"
        expect(page.locator("#result")).to_contain_text(
            "No batch in process or just scanned at this station")
        assert scanner.scan(batch)["transition"] == "start"
        ack = scanner.scan(lot)
    finally:
        scanner.close()
    assert (ack["transition"], ack["lot"], ack["batch"], ack["quantity"]) == \
        ("issued", lot, batch, "7.5")
    expect(page.locator("#result-batch")).to_have_text(lot)
    expect(page.locator("#result-steps")).to_contain_text(f"Lot {lot}: 7.5 kg issued to {batch}")
    expect(page.locator("#recent li").first).to_contain_text("issued to")
    shoot(page, "kiosk-lot-issued.png")
