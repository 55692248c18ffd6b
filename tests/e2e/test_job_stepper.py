"""The job stepper in Chromium: a planner creates a job from two lots through the four steps
(Next refuses an invalid step and shows the field's error; Back keeps what was entered), edits
a received job (warning, reason required, change saved) and cancels an open one; the pages
fit a phone in German."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser


def _gold(srv) -> None:
    """Gold (g) with its scrap SKU, a ring, the stage FAB and two gold lots in STORES."""
    for sku, kind in (("GOLD", "raw_material"), ("GOLD-SCRAP", "scrap"), ("RING", "finished")):
        assert srv.api("POST", "/items", json={"sku": sku, "name": sku.title(), "kind": kind,
                                               "unit": "g"}).ok
    assert srv.api("PUT", "/items/RING/scrap-item", json={"scrap_sku": "GOLD-SCRAP"}).ok
    assert srv.api("POST", "/stages", json={"code": "FAB", "name": "Fabrication"}).ok
    for qty in ("30", "20", "40", "25"):
        assert srv.api("POST", "/lots", json={"item": "GOLD", "quantity": qty, "unit": "g",
                                              "location": "STORES"}).ok


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "jobs", setup=_gold)


def gold_lots(srv) -> dict[str, Decimal]:
    found = srv.api("GET", "/jobs/sources?items=GOLD").json()
    return {lot["lot"]: Decimal(lot["on_hand"]) for lot in found}


def api_job(srv, lot: str, quantity: str) -> str:
    r = srv.api("POST", "/jobs", json={"stage": "FAB", "issues": [
        {"lot": lot, "quantity": quantity, "pieces": 4}]})
    assert r.ok, r.text
    return r.json()["number"]


def ready(page, path: str) -> None:
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def test_a_planner_creates_a_job_from_two_lots_in_four_steps(new_page, floorline_server):
    srv = floorline_server
    lot1, lot2 = sorted(gold_lots(srv))[:2]
    page = new_page()
    login(page)
    ready(page, "/jobs/new")
    context = page.locator("#step-context")
    expect(page.locator("#stepper li[aria-current=step]")).to_have_attribute("data-step",
                                                                              "context")
    context.get_by_role("button", name="Next").click()  # nothing chosen yet
    expect(context.locator("[data-error-for=stage]")).to_be_visible()
    expect(context).to_be_visible()

    context.locator("[name=stage]").select_option("FAB")
    context.locator("[name=product_q]").fill("gold")
    context.locator("[name=product_q]").press("Enter")
    context.get_by_role("button", name="Add GOLD — Gold").click()
    row1 = context.locator(f"#lot-rows tr[data-lot='{lot1}']")
    row2 = context.locator(f"#lot-rows tr[data-lot='{lot2}']")
    row1.get_by_role("checkbox").check()
    row1.locator("[data-part=how]").select_option("part")
    row1.locator("[data-part=quantity]").fill("999")
    row1.locator("[data-part=pieces]").fill("6")
    row2.get_by_role("checkbox").check()
    row2.locator("[data-part=pieces]").fill("4")
    context.get_by_role("button", name="Next").click()
    # The API refuses more than the lot holds, and the page says so beside that lot.
    expect(row1.locator(".field-error")).to_contain_text("Not enough on hand")
    expect(row1.locator("[data-part=quantity]")).to_have_attribute("aria-invalid", "true")
    shoot(page, "job-stepper-context.png", full_page=True)
    expect(context).to_be_visible()
    row1.locator("[data-part=quantity]").fill("10")
    context.get_by_role("button", name="Next").click()

    specs = page.locator("#step-specs")
    expect(specs).to_be_visible()
    expect(specs.locator("#item-rows")).to_contain_text("GOLD")
    specs.locator("[name=shape]").fill("round")
    specs.locator("[name=size]").fill("7")
    specs.locator("[name=pieces]").fill("10")
    specs.locator("[name=weight]").fill("30")
    specs.get_by_label("Split the totals evenly").check()
    specs.get_by_role("button", name="Next").click()

    details = page.locator("#step-details")
    expect(details).to_be_visible()
    expect(details.locator("#summary")).to_contain_text(lot1)
    expect(details.locator("#summary")).to_contain_text(lot2)
    expect(details.locator("#summary")).to_contain_text("30 g")
    shoot(page, "job-stepper-details.png", full_page=True)
    # Back keeps what was entered, step by step.
    details.get_by_role("button", name="Back").click()
    expect(specs.locator("[name=shape]")).to_have_value("round")
    specs.get_by_role("button", name="Back").click()
    expect(row1.locator("[data-part=quantity]")).to_have_value("10")
    expect(row2.get_by_role("checkbox")).to_be_checked()
    context.get_by_role("button", name="Next").click()
    specs.get_by_role("button", name="Next").click()

    details.locator("[name=deadline]").fill("2099-12-31")
    details.locator("[name=assignee]").select_option("planner")
    details.locator("[name=notes]").fill("two lots")
    details.get_by_role("button", name="Create job").click()
    expect(details.locator("[data-error-for=confirm]")).to_be_visible()  # not confirmed
    details.locator("[name=confirm]").check()
    details.get_by_role("button", name="Create job").click()

    done = page.locator("#step-done")
    expect(done.locator("#done-ok")).to_contain_text(re.compile(r"Job J-\d{4}-\d{5} is created"))
    number = re.search(r"J-\d{4}-\d{5}", done.locator("#done-ok").inner_text()).group(0)
    job = srv.api("GET", f"/jobs/{number}").json()
    assert {i["lot"] for i in job["issues"]} == {lot1, lot2}
    assert job["balance"]["weight"]["issued"] == "30"
    assert job["balance"]["pieces"]["issued"] == "10"
    assert job["shape"] == "round" and job["notes"] == "two lots"
    assert job["assignee"]["username"] == "planner"
    done.get_by_role("link", name="Close").click()
    expect(page).to_have_url(re.compile(rf"/jobs/{number}$"))


def test_editing_a_received_job_warns_and_needs_a_reason(new_page, floorline_server):
    srv = floorline_server
    lot = sorted(gold_lots(srv))[-1]
    number = api_job(srv, lot, "10")
    assert srv.api("POST", f"/jobs/{number}/receipts", json={
        "location": "STORES", "rows": [{"output_type": "finished", "item": "RING",
                                        "pieces": 1, "weight": "2", "unit": "g"}]}).ok
    page = new_page()
    login(page)
    ready(page, f"/jobs/{number}/edit")
    expect(page.locator("#received-warning")).to_be_visible()
    expect(page.locator("#cancel-job")).to_be_hidden()
    shoot(page, "job-stepper-edit-received.png", full_page=True)
    context = page.locator("#step-context")
    row = context.locator(f"#lot-rows tr[data-lot='{lot}']")
    expect(row.locator("[data-part=quantity]")).to_have_value("10")
    row.locator("[data-part=quantity]").fill("12")
    context.get_by_role("button", name="Next").click()
    page.locator("#step-specs").get_by_role("button", name="Next").click()
    details = page.locator("#step-details")
    details.locator("[name=assignee]").select_option("planner")
    details.locator("[name=confirm]").check()
    details.get_by_role("button", name="Save changes").click()
    expect(details.locator("[data-error-for=reason]")).to_be_visible()
    details.locator("[name=reason]").fill("two more grams for the clasp")
    details.get_by_role("button", name="Save changes").click()
    expect(page.locator("#done-ok")).to_contain_text(f"Job {number} is saved")
    job = srv.api("GET", f"/jobs/{number}").json()
    assert job["balance"]["weight"]["issued"] == "12"
    assert job["assignee"]["username"] == "planner"
    assert job["changes"][-1]["reason"] == "two more grams for the clasp"
    assert job["changes"][-1]["before"]["issues"][0]["quantity"] == "10"


def test_a_planner_cancels_an_open_job_and_its_stock_goes_back(new_page, floorline_server):
    srv = floorline_server
    lot = sorted(gold_lots(srv))[-1]
    had = gold_lots(srv)[lot]
    number = api_job(srv, lot, "5")
    page = new_page(390, 844)
    login(page)
    ready(page, f"/jobs/{number}/edit")
    expect(page.locator("#received-warning")).to_be_hidden()
    page.get_by_role("button", name="Cancel job").click()
    dialog = page.locator("#cancel-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("[name=reason]").fill("order withdrawn")
    dialog.get_by_role("button", name="Cancel job").click()
    expect(page).to_have_url(re.compile(rf"/jobs/{number}$"))
    assert srv.api("GET", f"/jobs/{number}").json()["status"] == "cancelled"
    assert gold_lots(srv)[lot] == had


@pytest.mark.parametrize("width", [390, 1920])
def test_the_stepper_is_german_and_fits(new_page, floorline_server, width):
    srv = floorline_server
    number = api_job(srv, sorted(gold_lots(srv))[0], "1")
    page = new_page(width, 800)
    page.context.add_cookies([{"name": "lang", "value": "de", "url": srv.url}])
    login(page)
    for path in ("/jobs/new", f"/jobs/{number}/edit"):
        ready(page, path)
        expect(page.locator("#stepper")).to_contain_text("Kontext")
        expect(page.locator("#step-context")).to_contain_text("Weiter")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        shoot(page, f"job-stepper-de-{width}-{path.split('/')[-1]}.png", full_page=True)
    stepper = page.locator("#stepper li").all()
    boxes = [li.bounding_box() for li in stepper]
    stacked = all(b["y"] < n["y"] for b, n in pairwise(boxes))
    assert stacked == (width == 390)  # the steps stack on a phone, sit in a row on a desk
    page.keyboard.press("Tab")  # reachable by keyboard: focus lands on a control
    assert page.evaluate("() => document.activeElement !== document.body")


def test_fix_errors_goes_back_to_the_step_with_what_was_entered(new_page, floorline_server):
    """A lot taken by someone else between the check and the save: Done says so, and Fix
    errors reopens the context step with the choices kept and the error beside that lot."""
    srv = floorline_server
    lot = sorted(gold_lots(srv))[1]
    page = new_page()
    login(page)
    ready(page, "/jobs/new")
    context = page.locator("#step-context")
    context.locator("[name=stage]").select_option("FAB")
    context.locator("[name=product_q]").fill("GOLD")
    context.get_by_role("button", name="Search").click()
    context.get_by_role("button", name="Add GOLD — Gold").click()
    row = context.locator(f"#lot-rows tr[data-lot='{lot}']")
    row.get_by_role("checkbox").check()
    row.locator("[data-part=how]").select_option("part")
    row.locator("[data-part=quantity]").fill("2")
    context.get_by_role("button", name="Next").click()
    page.locator("#step-specs").get_by_role("button", name="Next").click()
    details = page.locator("#step-details")
    details.locator("[name=notes]").fill("kept")
    details.locator("[name=confirm]").check()
    assert srv.api("POST", "/jobs", json={"stage": "FAB", "issues": [{"lot": lot}]}).ok
    details.get_by_role("button", name="Create job").click()
    done = page.locator("#step-done")
    expect(done.locator("#done-error")).to_be_visible()
    done.get_by_role("button", name="Fix errors").click()
    expect(context).to_be_visible()
    expect(row.locator(".field-error")).to_be_visible()
    expect(row.locator("[data-part=quantity]")).to_have_value("2")
    expect(details.locator("[name=notes]")).to_have_value("kept")


def test_a_sales_order_line_and_a_custom_per_item_table(new_page, floorline_server):
    srv = floorline_server
    order = srv.plant.order
    lot = sorted(gold_lots(srv))[0]
    page = new_page()
    login(page)
    ready(page, "/jobs/new")
    context = page.locator("#step-context")
    context.locator("[name=order]").select_option(order)
    context.locator("[name=order_line]").select_option("1")
    context.locator("[name=stage]").select_option("FAB")
    context.locator("[name=product_q]").fill("GOLD")
    context.get_by_role("button", name="Search").click()
    context.get_by_role("button", name="Add GOLD — Gold").click()
    row = context.locator(f"#lot-rows tr[data-lot='{lot}']")
    row.get_by_role("checkbox").check()
    row.locator("[data-part=how]").select_option("part")
    row.locator("[data-part=quantity]").fill("3")
    row.locator("[data-part=pieces]").fill("9")
    context.get_by_role("button", name="Next").click()
    specs = page.locator("#step-specs")
    specs.get_by_label("Custom per item").check()
    item = specs.locator("#item-rows tr[data-item=GOLD]")
    item.locator("[data-part=pieces]").fill("x")
    specs.get_by_role("button", name="Next").click()
    expect(item.locator(".field-error")).to_be_visible()  # the API names items[0].pieces
    item.locator("[data-part=pieces]").fill("7")
    item.locator("[data-part=weight]").fill("2.5")
    specs.get_by_role("button", name="Next").click()
    details = page.locator("#step-details")
    details.locator("[name=confirm]").check()
    details.get_by_role("button", name="Create job").click()
    ok = page.locator("#done-ok")
    expect(ok).to_contain_text("is created")
    number = re.search(r"J-\d{4}-\d{5}", ok.inner_text()).group(0)
    job = srv.api("GET", f"/jobs/{number}").json()
    assert (job["order"], job["order_line"], job["policy"]) == (order, 1, "custom")
    assert [(i["item"], i["pieces"], i["weight"], i["unit"]) for i in job["items"]] == \
        [("GOLD", 7, "2.5", "g")]
