"""The office receive page: a partial receipt with rejection, scrap and waste in g and ct,
the pending after it asked of the server as it is typed; an over-pending receipt refused
naming the bucket and the amount over, with nothing written; German at every width."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot
from tests.support.job_floor import demo_job

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "job-receive",
                             setup=lambda srv: setattr(srv, "jobs", demo_job(srv)))


def jobs_of(srv):
    return srv.jobs


def field(page, path):
    return page.locator(f'[data-path="{path}"]')


def after(page, bucket, dim):
    return page.locator(f'#balance-rows tr[data-bucket="{bucket}"] .jr-after[data-dim="{dim}"]')


def test_a_partial_receipt_with_rejection_scrap_and_waste_lowers_pending(new_page,
                                                                        floorline_server):
    number = jobs_of(floorline_server)["new_job"]()
    page = new_page(1280, 900)
    login(page, "planner", next_path=f"/jobs/{number}/receive")
    expect(page.locator("h1")).to_have_text("Receive output")
    expect(page.locator('#balance-rows tr[data-bucket="pending"] td').nth(1)).to_have_text("50 g")
    page.wait_for_timeout(600)  # past the check's debounce: an untouched form is not refused
    expect(page.locator("#check-state")).to_be_empty()
    page.select_option('[data-path="rows.0.item"]', "RING")
    field(page, "rows.0.pieces").fill("5")
    field(page, "rows.0.weight").fill("20")
    field(page, "rows.0.waste_weight").fill("5")
    page.select_option('[data-path="rows.0.waste_unit"]', "ct")
    page.get_by_label("Output has rejection").check()
    field(page, "rows.0.rejection.pieces").fill("1")
    field(page, "rows.0.rejection.weight").fill("20")
    page.select_option('[data-path="rows.0.rejection.unit"]', "ct")
    page.get_by_label("Output has scrap").check()
    field(page, "rows.0.scrap.weight").fill("15")
    page.select_option('[data-path="rows.0.scrap.unit"]', "ct")
    # 50 g - 20 g - 20 ct (4 g) - 15 ct (3 g) - 5 ct (1 g): the server's sum, as typed.
    expect(after(page, "pending", "weight")).to_have_text("22 g")
    expect(after(page, "pending", "pieces")).to_have_text("4")
    expect(after(page, "scrapped", "weight")).to_have_text("3 g")
    shoot(page, "job-receive.png", full_page=True)
    page.click("#save-receipt")
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#saved-rows tr")).to_have_count(4)
    scrap_lot = page.locator('#saved-rows tr[data-bucket="scrapped"] a.mono')
    expect(scrap_lot).to_be_visible()
    job = floorline_server.api("GET", f"/jobs/{number}").json()
    assert job["status"] == "in_progress" and len(job["receipts"]) == 1
    assert job["balance"]["weight"]["pending"] == "22"
    lot = floorline_server.api("GET", f"/lots/{scrap_lot.inner_text()}").json()
    assert lot["item"] == "GOLD-SCRAP"
    page.click("#back-to-job")
    expect(page).to_have_url(f"{floorline_server.url}/jobs/{number}")


def test_a_receipt_over_pending_names_the_bucket_and_amount_and_writes_nothing(
        new_page, floorline_server):
    number = jobs_of(floorline_server)["new_job"]()
    page = new_page(1024, 800)
    login(page, "planner", next_path=f"/jobs/{number}/receive")
    page.select_option('[data-path="rows.0.item"]', "RING")
    field(page, "rows.0.pieces").fill("2")
    field(page, "rows.0.weight").fill("60")
    expect(page.locator("#check-state")).to_have_text(
        "Received is 10 g over what is pending (50 g)")
    expect(page.locator('#balance-rows tr[data-bucket="received"]')).to_have_class(
        "jr-over")
    page.click("#save-receipt")
    expect(page.locator("#receive-error")).to_have_text(
        "Received is 10 g over what is pending (50 g)")
    assert floorline_server.api("GET", f"/jobs/{number}").json()["receipts"] == []


def test_fractional_pieces_and_an_unset_scrap_item_are_shown_at_their_fields(
        new_page, floorline_server):
    number = jobs_of(floorline_server)["new_job"]()
    page = new_page(1024, 800)
    login(page, "planner", next_path=f"/jobs/{number}/receive")
    page.select_option('[data-path="rows.0.item"]', "GOLD")
    field(page, "rows.0.pieces").fill("1.5")
    field(page, "rows.0.weight").fill("2")
    page.click("#save-receipt")
    expect(page.locator('label:has([data-path="rows.0.pieces"]) .jr-error')).to_be_visible()
    field(page, "rows.0.pieces").fill("1")
    page.get_by_label("Output has scrap").check()
    field(page, "rows.0.scrap.weight").fill("1")
    page.click("#save-receipt")
    expect(page.locator("#receive-error")).to_contain_text("GOLD has no scrap item")
    assert floorline_server.api("GET", f"/jobs/{number}").json()["receipts"] == []


@pytest.mark.parametrize("width", [390, 800, 1024, 1280, 1920])
def test_the_receive_page_fits_every_width_in_german(new_page, floorline_server, width):
    number = jobs_of(floorline_server)["new_job"]()
    page = new_page(width, 800)
    page.context.add_cookies([{"name": "lang", "value": "de", "url": floorline_server.url}])
    login(page, "planner", next_path=f"/jobs/{number}/receive")
    expect(page.locator("h1")).to_have_text("Ausbeute zurückmelden")
    page.get_by_label("Ausbeute hat Ausschuss").check()
    field(page, "rows.0.weight").fill("5")
    expect(page.locator("#check-state")).not_to_be_empty()
    text = page.inner_text("main")
    for english in ("Receive output", "Output has", "Row 1", "Wasted weight", "Pending",
                    "After this receipt", "Save receipt", "Checked by", "Rejected output"):
        assert english not in text, english
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    if width == 390:
        shoot(page, "job-receive-de-390.png", full_page=True)
