"""A job's label at the kiosk: scanned at its stage's station it opens a receipt form on the
touchscreen; the receipt lowers pending; elsewhere the scan is refused in words."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import badge_login, pair_kiosk, seeded_server, shoot
from tests.support.job_floor import demo_job

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "kiosk-jobs",
                             setup=lambda srv: setattr(srv, "jobs", demo_job(srv)))


def receipts(srv, number):
    return srv.api("GET", f"/jobs/{number}").json()["receipts"]


def test_a_job_scanned_at_its_stage_records_a_receipt_and_pending_drops(
        new_page, floorline_server, station):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    page = new_page(1280, 800)
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    ack = station("cut-1").scan(number)
    assert (ack["outcome"], ack["transition"]) == ("accepted", "job_opened")
    expect(page.locator("#result-batch")).to_have_text(number)
    expect(page.locator("#result-line")).to_contain_text("10 pcs, 50 g pending")
    expect(page.locator("#jr-form")).to_be_visible()
    expect(page.locator("#jr-now")).to_have_text("Pending: 10 pcs, 50 g")
    page.select_option('#jr-form [data-path="rows.0.item"]', "RING")
    page.fill('#jr-form [data-path="rows.0.pieces"]', "4")
    page.click('#jr-form [data-path="rows.0.weight"]')
    for key in "20":
        page.locator(".keypad .key", has_text=key).first.click()
    page.get_by_label("Output has rejection").check()
    page.fill('#jr-form [data-path="rows.0.rejection.weight"]', "10")
    page.select_option('#jr-form [data-path="rows.0.rejection.unit"]', "ct")
    expect(page.locator("#jr-next")).to_have_text("After this receipt: 6 pcs, 28 g pending")
    shoot(page, "kiosk-job-receipt.png")
    save = page.get_by_role("button", name="Save receipt")
    save.dblclick()  # a double tap records one receipt
    expect(page.locator("#jr-saved")).to_have_text("Pending: 6 pcs, 28 g")
    assert len(receipts(srv, number)) == 1
    assert srv.api("GET", f"/jobs/{number}").json()["balance"]["weight"]["pending"] == "28"


def test_a_job_code_typed_at_the_kiosk_opens_its_receipt_form_once(new_page, floorline_server):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    page = new_page(1024, 600)
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    page.click("#btn-code")
    pad = page.locator("#dlg-body .keypad")
    pad.get_by_role("button", name="Clear", exact=True).click()
    for key in number:  # J-2026-00001: the keypad has a J key, the dash and the digits
        pad.get_by_role("button", name=key, exact=True).click()
    expect(page.locator("#code-input")).to_have_value(number)
    page.get_by_role("button", name="Record scan").click()
    expect(page.locator("#jr-form")).to_be_visible()
    page.select_option('#jr-form [data-path="rows.0.item"]', "RING")
    page.fill('#jr-form [data-path="rows.0.pieces"]', "10")
    page.fill('#jr-form [data-path="rows.0.weight"]', "50")
    expect(page.locator("#jr-next")).to_have_text("After this receipt: 0 pcs, 0 g pending")
    page.get_by_role("button", name="Save receipt").click()
    expect(page.locator("#jr-saved")).to_have_text("Pending: 0 pcs, 0 g")
    assert len(receipts(srv, number)) == 1
    assert srv.api("GET", f"/jobs/{number}").json()["status"] == "completed"


def test_a_job_scanned_at_another_stages_station_is_refused(new_page, floorline_server,
                                                            station):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    page = new_page()
    pair_kiosk(page, srv, "weld-1")
    ack = station("weld-1").scan(number)
    assert ack["reason"] == "wrong_stage"
    expect(page.locator("#result")).to_have_class("result result-rejected flash")
    expect(page.locator("#result-reason")).to_have_text("This job is at another stage")
    expect(page.locator("#result-expected")).to_have_text("This job is at stage Fabrication")
    expect(page.locator("#jr-form")).to_have_count(0)
    shoot(page, "kiosk-job-wrong-stage.png")


def test_a_job_scanned_where_no_stage_is_served_is_refused(new_page, floorline_server,
                                                           station):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    page = new_page()
    pair_kiosk(page, srv, "paint-1")
    assert station("paint-1").scan(number)["reason"] == "no_stage_here"
    expect(page.locator("#result-reason")).to_have_text(
        "This station serves no production stage")
    assert receipts(srv, number) == []


def test_a_completed_job_scanned_at_its_stage_is_refused_as_closed(new_page, floorline_server,
                                                                   station):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    srv.jobs["api"]("POST", f"/jobs/{number}/receipts", {"location": "STORES", "rows": [{
        "output_type": "finished", "item": "RING", "pieces": 10, "weight": "50", "unit": "g"}]})
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    ack = station("cut-1").scan(number)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "job_closed")
    expect(page.locator("#result-reason")).to_have_text("This job is completed or cancelled",
                                                        timeout=2000)
    expect(page.locator("#jr-form")).to_have_count(0)
    assert len(receipts(srv, number)) == 1


@pytest.mark.parametrize("size", [(800, 480), (390, 844)])
def test_the_receipt_form_fits_small_panels_and_phones(new_page, floorline_server, station,
                                                       size):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    page = new_page(*size)
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    station("cut-1").scan(number)
    expect(page.locator("#jr-form")).to_be_visible()
    save = page.get_by_role("button", name="Save receipt")
    expect(save).to_be_in_viewport()
    box = save.bounding_box()
    assert box is not None and box["height"] >= 48
    assert page.evaluate("() => { const b = document.querySelector('#dlg-body');"
                         " return b.scrollWidth <= b.clientWidth + 1; }")
    shoot(page, f"kiosk-job-receipt-{size[0]}x{size[1]}.png")


def test_a_wrong_stage_refusal_is_said_in_german(new_page, floorline_server, station):
    srv = floorline_server
    number = srv.jobs["new_job"]()
    page = new_page()
    page.context.add_cookies([{"name": "lang", "value": "de", "url": srv.url}])
    pair_kiosk_de(page, srv, "weld-1")
    station("weld-1").scan(number)
    expect(page.locator("#result-reason")).to_have_text(
        "Dieser Auftrag ist in einer anderen Stufe")
    expect(page.locator("#result-expected")).to_have_text(
        "Dieser Auftrag ist in der Stufe Fabrication")


def pair_kiosk_de(page, srv, name):
    """Pair as pair_kiosk does, waiting for the German "Online"."""
    page.goto(f"/kiosk/{name}")
    page.fill("input[name=token]", srv.plant.station_tokens[name])
    page.click("button[type=submit]")
    expect(page.locator("#conn")).not_to_have_text("Verbinde…")
    expect(page.locator("#conn")).to_have_class("conn conn-ok")
