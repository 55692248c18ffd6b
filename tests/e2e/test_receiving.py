"""The receiving page in Chromium: a USB scanner types GS1 labels into the scan field, the
lines fill, the receipt saves, and its lots show on the receipt page (desktop and phone)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot
from tests.support.receiving import make_locations

pytestmark = pytest.mark.browser
GTIN = "09501101530003"
GS = "\x1d"
# What a scanner types for a DataMatrix label: AIM ]d2, GTIN, expiry, 125.50 kg, lot, serial.
LABEL = "]d201" + GTIN + "17271231" + "3102012550" + "10HEAT-4711" + GS + "21C1"


def _racks_supplier_and_gtin(srv) -> None:
    make_locations(srv.api, ["RACK-A", "RACK-B"])
    for method, path, body in (("POST", "/suppliers", {"code": "STEELCO", "name": "Steel Co"}),
                               ("PUT", "/items/ROD-8/gtin", {"gtin": GTIN})):
        res = srv.api(method, path, json=body)
        assert res.status_code in (200, 201), res.text


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server with two racks, a supplier and the GTIN of ROD-8."""
    yield from seeded_server(tmp_path_factory, seeded_template, "receiving",
                             setup=_racks_supplier_and_gtin)


def fits_the_width(page) -> bool:
    """Tell whether the page's content fits the window (wide tables scroll in their card).

    The shared top bar is left out: at phone width it is wider than the screen on every
    page (base.html), which is not this page's to fix."""
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((n) => n.getBoundingClientRect().right > window.innerWidth + 1
                       && !n.parentElement.closest('table.data'))
        .map((n) => n.tagName + '#' + n.id + '.' + n.className).slice(0, 5)""")
    return wide == []


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_scanning_labels_fills_the_lines_and_saving_makes_the_lots(new_page, floorline_server,
                                                                   width, height):
    page = new_page(width, height)
    login(page)
    page.goto("/receiving")
    page.locator("#receipt-supplier").select_option("STEELCO")  # the seed has two suppliers too
    scan = page.locator("#scan")
    expect(scan).to_be_focused()  # ready for the scanner as the page opens
    page.fill("input[name=invoice_number]", f"INV-{width}")
    scan.focus()
    scan.press_sequentially(LABEL)
    scan.press("Enter")
    first = page.locator(".receipt-line").nth(0)
    expect(first.locator("[name=item]")).to_have_value("ROD-8")
    expect(first.locator("[name=quantity]")).to_have_value("125.5")
    expect(first.locator("[name=unit]")).to_have_value("kg")
    expect(first.locator("[name=supplier_lot]")).to_have_value("HEAT-4711")
    expect(first.locator("[name=expiry]")).to_have_value("2027-12-31")
    expect(scan).to_have_value("")
    first.locator("[name=location]").fill("RACK-A")
    first.locator("[name=bin]").fill("3")
    # The second label: the scanner sends FNC1 as Ctrl+] and ends with Tab.
    scan.press_sequentially("]d201" + GTIN + "3101000400" + "10HEAT-4712")
    scan.press("Control+BracketRight")
    scan.press_sequentially("21C2")
    scan.press("Tab")
    second = page.locator(".receipt-line").nth(1)
    expect(second.locator("[name=supplier_lot]")).to_have_value("HEAT-4712")
    expect(second.locator("[name=quantity]")).to_have_value("40")
    expect(second.locator("[name=location]")).to_have_value("RACK-A")  # as the line above
    second.locator("[name=bin]").fill("4")
    assert fits_the_width(page)
    shoot(page, f"receiving-scan-{width}.png", full_page=True)
    page.click("#save-receipt")
    expect(page).to_have_url(re.compile(r"/receiving/RC-\d{4}-\d{5}$"))
    rows = page.locator("#line-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("HEAT-4711")
    expect(rows.nth(0)).to_contain_text("125.5 kg")
    expect(rows.nth(0)).to_contain_text("RACK-A / 3")
    expect(rows.nth(1)).to_contain_text("40 kg")
    expect(page.locator("#labels-pdf")).to_be_visible()
    shoot(page, f"receiving-receipt-{width}.png", full_page=True)
    assert fits_the_width(page)


def test_a_bad_scan_says_why_and_fills_nothing(new_page, floorline_server):
    page = new_page()
    login(page)
    page.goto("/receiving")
    scan = page.locator("#scan")
    scan.press_sequentially("(01)09501101530004(10)X")
    scan.press("Enter")
    expect(page.locator("#scan-error")).to_contain_text("check digit")
    expect(page.locator(".receipt-line [name=supplier_lot]")).to_have_value("")


def test_an_inspection_that_fails_quarantines_the_lots(new_page, floorline_server):
    srv = floorline_server
    made = srv.api("POST", "/receipts", json={"supplier": "STEELCO", "lines": [
        {"gs1": LABEL.replace("HEAT-4711", "HEAT-9"), "location": "RACK-B"}]})
    assert made.status_code == 201, made.text
    page = new_page(390, 844)
    login(page)
    page.goto(f"/receiving/{made.json()['number']}")
    page.select_option("#inspection-form select[name=result]", "fail")
    page.fill("#inspection-form input[name=defects]", "rust")
    page.click("#inspection-form button[type=submit]")
    expect(page.locator("#inspection-rows")).to_contain_text("rust")
    expect(page.locator("#line-rows tr").first).to_contain_text("quarantined")


def test_suppliers_are_added_and_deactivated_on_their_page(new_page, floorline_server):
    page = new_page(390, 844)
    login(page)
    page.goto("/setup/suppliers")
    page.fill("#supplier-form input[name=code]", "ALU")
    page.fill("#supplier-form input[name=name]", "Alu AG")
    page.click("#supplier-form button[type=submit]")
    row = page.locator("tr[data-supplier=ALU]")
    expect(row).to_contain_text("Alu AG")
    row.get_by_role("button", name="Deactivate").click()
    expect(row).to_contain_text("inactive")
    page.fill("#supplier-form input[name=code]", "ALU")
    page.fill("#supplier-form input[name=name]", "again")
    page.click("#supplier-form button[type=submit]")
    expect(page.locator("#supplier-error")).to_contain_text("exists")


def test_the_print_labels_link_gives_the_lots_labels_as_a_pdf(new_page, floorline_server):
    made = floorline_server.api("POST", "/receipts", json={"supplier": "STEELCO", "lines": [
        {"item": "ROD-8", "quantity": "3", "location": "RACK-A"}]})
    assert made.status_code == 201, made.text
    page = new_page()
    login(page)
    page.goto(f"/receiving/{made.json()['number']}")
    href = page.locator("#labels-pdf").get_attribute("href")
    res = page.request.get(href)
    assert res.status == 200 and res.body().startswith(b"%PDF-")
    assert page.goto("/receiving/RC-2026-99999").status == 404
