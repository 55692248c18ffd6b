"""Shipments in Chromium: open one for an order, pick serials and a lot quantity on its page,
ship it; pack at the packing station's kiosk by scanning; every page fits in either language."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from server.runtime import Runtime
from server.seed_trace import finished_serials, seed_trace
from server.settings import Settings
from tests.e2e.conftest import badge_login, login, pair_kiosk, seeded_server, shoot

pytestmark = pytest.mark.browser
WIDE = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _finished_goods(srv) -> None:
    """The demo's shipments, and a way to make fresh serials in finished goods."""
    runtime = Runtime.start(Settings(instance_path=str(srv.instance),
                                     database_url=srv.database_url).resolved())
    with runtime.transaction() as s:
        srv.trace = seed_trace(s, acme_order=srv.plant.order, materials=srv.plant.lots)

    def serials(count: int) -> list[str]:
        with runtime.transaction() as s:
            return finished_serials(s, "FRAME-100", count, material=srv.plant.lots[0],
                                    kg=Decimal(3 * count))
    srv.serials = serials


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "shipments",
                             setup=_finished_goods)


def test_a_planner_opens_a_shipment_picks_serials_and_a_lot_and_ships_it(new_page,
                                                                          floorline_server):
    srv = floorline_server
    codes = srv.serials(2)
    page = new_page(1280, 900)
    login(page, "planner")
    page.goto("/shipments")
    expect(page.locator("#shipment-rows tr").first).to_be_visible()
    page.click("#new-shipment")
    page.select_option("#ship-customer", "NORD")
    page.fill("#ship-date", "2026-12-24")
    page.click("#open-shipment")
    expect(page.locator("#shipment-status")).to_have_text("open")
    number = page.locator("#shipment-number").inner_text()
    page.fill("#pick-q", codes[0])
    row = page.locator(f'#candidate-rows tr[data-code="{codes[0]}"]')
    expect(page.locator("#candidate-rows tr")).to_have_count(1)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Add").click()
    expect(page.locator("#line-rows tr")).to_have_count(1)
    page.fill("#pick-q", codes[1])
    expect(page.locator("#candidate-rows tr")).to_have_count(1)  # this search's answer
    page.locator(f'#candidate-rows tr[data-code="{codes[1]}"]').get_by_role(
        "button", name="Add").click()
    expect(page.locator("#line-rows tr")).to_have_count(2)
    page.fill("#pick-q", srv.trace.lot)
    lot_row = page.locator(f'#candidate-rows tr[data-code="{srv.trace.lot}"]')
    expect(page.locator("#candidate-rows tr")).to_have_count(1)  # not an older search's
    expect(lot_row.locator("td").nth(3)).to_have_text("5 kg")  # 10 made, 5 shipped
    lot_row.locator(".pick-qty").fill("9")
    lot_row.get_by_role("button", name="Add").click()
    expect(page.locator("#pick-error")).to_contain_text("free to ship")
    lot_row.locator(".pick-qty").fill("2.5")
    lot_row.get_by_role("button", name="Add").click()
    expect(page.locator("#line-rows tr")).to_have_count(3)
    page.locator('#line-rows tr[data-line="2"]').get_by_role("button", name="Remove").click()
    expect(page.locator("#line-rows tr")).to_have_count(2)
    shoot(page, "shipment-open.png", full_page=True)
    page.click("#ship-shipment")
    expect(page.locator("#shipment-status")).to_have_text("shipped")
    expect(page.locator("#ship-shipment")).to_be_hidden()
    expect(page.locator(".remove-line")).to_have_count(0)
    got = srv.api("GET", f"/shipments/{number}").json()
    assert (got["status"], [ln["code"] for ln in got["lines"]]) == \
        ("shipped", [codes[0], srv.trace.lot])
    assert srv.api("GET", f"/lots/{srv.trace.lot}").json()["on_hand"] == "2.5"
    page.goto("/shipments")
    page.fill("#filter-customer", "nordwerk")
    page.select_option("#filter-status", "shipped")
    expect(page.locator(f'#shipment-rows tr[data-number="{number}"]')).to_have_count(1)
    expect(page.locator("#shipment-rows tr", has_text="ACME")).to_have_count(0)


def test_the_order_page_links_to_its_shipments(new_page, floorline_server):
    page = new_page(1280, 800)
    login(page, "planner")
    order = floorline_server.plant.order
    page.goto(f"/setup/orders/{order}")
    page.click("#order-shipments")
    expect(page.locator("#shipment-rows tr")).to_have_count(2)
    page.goto(f"/setup/orders/{order}")
    page.click("#order-ship")
    expect(page.locator("#ship-order")).to_have_value(order)
    expect(page.locator("#ship-customer")).to_have_value("ACME")


def test_the_packing_kiosk_packs_scanned_serials_live_and_ships(new_page, floorline_server,
                                                                station):
    srv = floorline_server
    codes = srv.serials(2)
    page = new_page(1280, 800)
    pair_kiosk(page, srv, "pack-1")
    badge_login(page)
    expect(page.locator("#packing")).to_be_visible()
    expect(page.locator("#pack-number")).to_have_text(srv.trace.shipments[2])  # the demo's
    page.click("#btn-pack-pick")
    page.select_option("#pack-customer-pick", "NORD")
    page.get_by_role("button", name="Open shipment").click()
    expect(page.locator("#pack-number")).not_to_have_text(srv.trace.shipments[2])
    number = page.locator("#pack-number").inner_text()
    pack = station("pack-1")
    ack = pack.scan(codes[0])
    assert (ack["outcome"], ack["transition"], ack["shipment"]) == ("accepted", "packed", number)
    expect(page.locator("#result-title")).to_have_text("✓ Accepted")
    expect(page.locator("#result-steps")).to_contain_text(f"Packed onto {number}")
    expect(page.locator("#pack-lines li")).to_have_count(1)
    assert pack.scan(codes[0])["reason"] == "already_shipped"
    expect(page.locator("#result-reason")).to_have_text("Already on a shipment or shipped")
    pack.scan(codes[1])
    expect(page.locator("#pack-lines li")).to_have_count(2)
    expect(page.locator("#pack-count")).to_have_text("2")
    shoot(page, "kiosk-packing.png")
    page.click("#btn-pack-ship")
    expect(page.locator("#pack-number")).to_have_text("no shipment")
    got = srv.api("GET", f"/shipments/{number}").json()
    assert (got["status"], len(got["lines"])) == ("shipped", 2)
    assert pack.scan(srv.serials(1)[0])["reason"] == "no_shipment_here"
    expect(page.locator("#result-reason")).to_have_text(
        "No shipment is open at this packing station")


@pytest.mark.parametrize("width", [390, 800, 1280, 1920])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_shipment_pages_fit_every_width_in_either_language(new_page, floorline_server,
                                                               width, lang):
    page = new_page(width, 800)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": floorline_server.url}])
    login(page, "planner")
    open_one = floorline_server.trace.shipments[2]
    for path in ("/shipments", "/shipments/new", f"/shipments/{open_one}",
                 f"/shipments/{floorline_server.trace.shipments[0]}"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        if "SH-" in path:
            expect(page.locator("#line-rows tr").first).to_be_visible()
        assert page.evaluate(WIDE), f"{path} is wider than {width} px in {lang}"
    if lang == "de":
        page.goto(f"/shipments/{open_one}")
        expect(page.locator("h1 + .badge, #shipment-status")).to_have_text("offen")


INSIDE = """(sel) => [...document.querySelectorAll(sel)].every((n) => {
  const r = n.getBoundingClientRect();
  return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
})"""


@pytest.mark.parametrize("size", [(800, 480), (1024, 600), (390, 844)],
                         ids=["800x480", "1024x600", "390x844"])
def test_the_packing_kiosk_fits_small_panels_in_german(new_page, floorline_server, station,
                                                       size):
    srv = floorline_server
    page = new_page(*size)
    page.context.add_cookies([{"name": "lang", "value": "de", "url": srv.url}])
    pair_kiosk_de(page, srv)
    badge_login_de(page)
    page.click("#btn-pack-pick")
    page.select_option("#pack-customer-pick", "ACME")
    page.locator("#dlg-foot button").click()
    expect(page.locator("#pack-number")).to_have_text(re.compile(r"^SH-"))
    ack = station("pack-1").scan(srv.serials(1)[0])
    assert ack["transition"] == "packed"
    expect(page.locator("#result-steps")).to_contain_text("Gepackt auf")
    expect(page.locator("#pack-lines li")).to_have_count(1)
    assert page.evaluate(WIDE), f"the packing kiosk is wider than {size[0]} px"
    if size[0] > 400:  # a phone scrolls down to the packing panel
        assert page.evaluate(INSIDE, "#btn-pack-pick, #btn-pack-ship, #result-title")


def pair_kiosk_de(page, srv) -> None:
    page.goto("/kiosk/pack-1")
    page.fill("input[name=token]", srv.plant.station_tokens["pack-1"])
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_text("Online")


def badge_login_de(page) -> None:
    page.click("#btn-login")
    page.fill("#badge", "BADGE-0001")
    page.fill("#pin", "1234")
    page.locator("#dlg-foot button").click()
    expect(page.locator("#operator-name")).to_be_visible()
    expect(page.locator("#btn-pack-pick")).to_be_enabled()  # the kiosk reloaded, logged in
    expect(page.locator("#conn")).to_have_text("Online")
