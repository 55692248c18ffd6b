"""The production stages setup page, a station's stage and an item's scrap SKU, in Chromium.

A planner adds stages (a duplicate is refused, nothing made), renames and reorders them,
archives one, chooses the stations serving a stage and is shown the refusal when a station
already serves another stage; the station page sets its stage, the item page its scrap SKU.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser


def stages_setup(srv) -> None:
    for code, name, stations in (("FAB", "Fabrication", ["cut-1"]), ("ASM", "Assembly", [])):
        r = srv.api("POST", "/stages", json={"code": code, "name": name, "stations": stations})
        assert r.status_code == 201, r.text
    r = srv.api("POST", "/items", json={"sku": "GOLD-SCRAP", "name": "Gold scrap",
                                        "kind": "scrap", "unit": "g"})
    assert r.status_code == 201, r.text


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "setup-stages",
                             setup=stages_setup)


def stages(srv):
    return {s["code"]: s for s in srv.api("GET", "/stages").json()}


def test_a_planner_adds_renames_reorders_and_archives_stages(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page)
    page.goto("/setup")
    page.locator(".setup-card[href='/setup/stages']").click()
    expect(page.locator("h1")).to_have_text("Production stages")
    rows = page.locator("#stage-rows tr")
    expect(rows).to_have_count(2)
    form = page.locator("#stage-form")
    form.locator("[name=code]").fill("FAB")
    form.locator("[name=name]").fill("Again")
    form.get_by_role("button", name="Add stage").click()
    expect(form.locator(".form-error")).to_contain_text("FAB")
    assert stages(srv)["FAB"]["name"] == "Fabrication"
    form.locator("[name=code]").fill("POL")
    form.locator("[name=name]").fill("Polish")
    form.get_by_role("button", name="Add stage").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_have_attribute("data-code", "POL")

    page.get_by_role("button", name="Move POL up").click()
    expect(rows.nth(1)).to_have_attribute("data-code", "POL")
    got = stages(srv)
    assert [c for c, _ in sorted(got.items(), key=lambda kv: kv[1]["position"])] == \
        ["FAB", "POL", "ASM"]

    pol = page.locator("#stage-rows tr[data-code=POL]")
    pol.get_by_role("button", name="Edit").click()
    page.fill("#stage-edit-form [name=name]", "Polishing & <b>buffing</b>")
    page.locator("#stage-edit-form").get_by_role("button", name="Save").click()
    expect(pol.locator(".stage-name")).to_have_text("Polishing & <b>buffing</b>")  # text, not HTML
    pol.get_by_role("button", name="Archive").click()
    expect(pol.locator(".badge")).to_have_text("Archived")
    assert stages(srv)["POL"]["archived"] is True
    pol.get_by_role("button", name="Restore").click()
    expect(pol.locator(".badge")).to_have_text("Active")
    shoot(page, "setup-stages.png")


def test_a_station_serving_another_stage_is_refused_then_moved(new_page, floorline_server):
    srv = floorline_server
    page = new_page(390, 844)
    login(page)
    page.goto("/setup/stages")
    asm = page.locator("#stage-rows tr[data-code=ASM]")
    asm.get_by_role("button", name="Edit").click()
    boxes = page.locator("#stage-station-boxes")
    expect(boxes).to_contain_text("(serves FAB)")
    boxes.locator("input[value='cut-1']").check()
    boxes.locator("input[value='weld-1']").check()
    page.locator("#stage-edit-form").get_by_role("button", name="Save").click()
    error = page.locator("#stage-edit-form [data-error-for=stations]")
    expect(error).to_contain_text("cut-1 already serves stage FAB")
    got = stages(srv)
    assert got["ASM"]["stations"] == [] and got["FAB"]["stations"] == ["cut-1"]
    boxes.locator("input[value='cut-1']").uncheck()
    page.locator("#stage-edit-form").get_by_role("button", name="Save").click()
    expect(asm.locator(".stage-served")).to_have_text("weld-1")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # The station page moves cut-1 from FAB to ASM: off its old stage first, then on.
    page.goto("/setup/stations/cut-1")
    expect(page.locator("#station-stage")).to_have_value("FAB")
    expect(page.locator("#stage-text")).to_contain_text("FAB — Fabrication")
    page.select_option("#station-stage", "ASM")
    page.locator("#btn-stage").click()
    expect(page.locator("#stage-text")).to_contain_text("ASM — Assembly")
    got = stages(srv)
    assert got["FAB"]["stations"] == [] and got["ASM"]["stations"] == ["cut-1", "weld-1"]
    page.select_option("#station-stage", "")
    page.locator("#btn-stage").click()
    expect(page.locator("#stage-text")).to_have_text("This station serves no production stage.")
    assert stages(srv)["ASM"]["stations"] == ["weld-1"]


def test_the_item_page_sets_and_clears_the_scrap_sku(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page)
    page.goto("/setup/items/ROD-8")
    select = page.locator("#scrap-sku")
    expect(select).to_have_value("")
    expect(select.locator("option").nth(1)).to_have_attribute("value", "GOLD-SCRAP")  # scrap first
    select.select_option("GOLD-SCRAP")
    page.get_by_role("button", name="Save scrap SKU").click()
    expect(page.locator("#toast")).to_contain_text("Scrap SKU saved.")
    assert srv.api("GET", "/items/ROD-8").json()["scrap_sku"] == "GOLD-SCRAP"
    page.reload()
    expect(page.locator("#scrap-sku")).to_have_value("GOLD-SCRAP")
    page.locator("#scrap-sku").select_option("")
    page.get_by_role("button", name="Save scrap SKU").click()
    expect(page.locator("#toast")).to_contain_text("Scrap SKU saved.")
    assert srv.api("GET", "/items/ROD-8").json()["scrap_sku"] is None


def test_the_stages_page_reads_in_german(new_page, floorline_server):
    page = new_page()
    page.context.add_cookies([{"name": "lang", "value": "de", "url": floorline_server.url}])
    login(page)
    page.goto("/setup/stages")
    expect(page.locator("h1")).to_have_text("Produktionsstufen")
    expect(page.locator("#stage-rows tr[data-code=FAB] .badge")).to_have_text("Aktiv")
