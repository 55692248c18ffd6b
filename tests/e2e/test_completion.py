"""Completion in Chromium: the complete & inspect form turns a done batch into serials whose
pages open from the answer; the kiosk at a quality-check station asks for the check's result
on the completing scan, and a fail holds the batch; a job's form takes the pieces of its
received lot into serials. Pages fit 390 to 1920 px in EN and DE."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import badge_login, login, pair_kiosk, seeded_server, shoot

pytestmark = pytest.mark.browser
ROUTE = ("cut-1", "weld-1", "paint-1", "qc-1", "pack-1")  # FRAME-100's stations


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "completion")


def scan(srv, station: str, code: str) -> dict:
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "e2e"}
    res = srv.api("POST", "/scans", srv.plant.station_tokens[station], json=body)
    assert res.status_code == 200 and res.json()["outcome"] == "accepted", res.text
    return res.json()


def frame_batch(srv, stations=ROUTE) -> str:
    """A new run of one FRAME-100 batch of 4 pcs, scanned through the given stations."""
    res = srv.api("POST", "/runs", json={"lines": [{"item": "FRAME-100", "quantity": 4,
                                                    "unit": "pcs", "batches": 1}]})
    assert res.status_code == 201, res.text
    code: str = res.json()["batches"][0]["code"]
    for station in stations:
        scan(srv, station, code)
    return code


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_complete_form_makes_serials_that_open_their_pages(new_page, floorline_server,
                                                               width, height):
    srv = floorline_server
    code = frame_batch(srv)
    page = new_page(width, height)
    login(page)
    page.goto(f"/batches/{code}")
    page.locator("#batch-complete").click()
    expect(page).to_have_url(f"{srv.url}/batches/{code}/complete")
    form = page.locator("#complete-form")
    expect(form.locator("input[name=quantity_completed]")).to_have_value("4")
    expect(form.locator("input[name=inspector]")).not_to_have_value("")
    expect(page.locator("#location option")).not_to_have_count(0)
    form.locator("input[name=quantity_defective]").fill("1")
    form.locator("input[name=bin]").fill("FG-1")
    form.locator("textarea[name=notes]").fill("one dented")
    shoot(page, f"complete-form-{width}.png")
    page.locator("#complete-submit").click()
    expect(page.locator("#answer-title")).to_have_text("3 serials made")
    links = page.locator("#answer-serials a.serial-link")
    expect(links).to_have_count(3)
    expect(page.locator("#print-labels")).to_be_visible()
    assert page.locator("#print-labels").get_attribute("href").endswith("/labels.pdf")
    shoot(page, f"complete-answer-{width}.png")
    first = links.first.text_content()
    links.first.click()
    expect(page.locator("#serial-code")).to_have_text(first)
    expect(page.locator("#serial-status")).to_have_text("in stock")
    expect(page.locator("#serial-facts")).to_contain_text("Steel frame 100")
    expect(page.locator("#completion-facts")).to_contain_text("one dented")
    expect(page.locator("#check-rows tr")).to_have_count(1)
    shoot(page, f"serial-{width}.png")
    again = srv.api("GET", f"/batches/{code}/complete").json()
    assert (again["completed"], again["left"]) == ("4", "0")


def test_the_serials_list_searches_and_filters(new_page, floorline_server):
    srv = floorline_server
    code = frame_batch(srv)
    body = {"quantity_completed": 2, "quantity_defective": 0, "result": "fail",
            "output": "serials", "location": "STORES"}
    made = srv.api("POST", f"/batches/{code}/complete", json=body).json()["serials"]
    page = new_page()
    login(page)
    page.goto("/serials")
    page.locator("#serial-status").select_option("quarantined")
    page.locator("#serial-q").fill(made[1]["code"])
    rows = page.locator("#serial-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(made[1]["code"])
    expect(rows.first).to_contain_text("quarantined")


def test_the_kiosk_asks_for_the_check_at_a_quality_station_and_a_fail_holds(new_page,
                                                                           floorline_server):
    srv = floorline_server
    code = frame_batch(srv, ROUTE[:3])  # waiting at QC
    page = new_page()
    pair_kiosk(page, srv, "qc-1")
    badge_login(page, "BADGE-0005", "")
    scan(srv, "qc-1", code)
    dialog = page.locator("#dlg")
    expect(dialog).to_be_visible()
    expect(page.locator("#dlg-title")).to_contain_text(code)
    dialog.get_by_role("button", name="Fail (puts the batch on hold)").click()
    page.fill("#qc-defects", "2")
    page.fill("#qc-notes", "weld crack")
    shoot(page, "kiosk-quality-check.png")
    dialog.get_by_role("button", name="Record check").click()
    expect(page.locator("#toast")).to_contain_text("is on hold")
    batch = srv.api("GET", f"/batches/{code}").json()
    assert batch["state"] == "on_hold"
    checks = srv.api("GET", f"/quality-checks?subject={code}").json()
    assert [(c["stage"], c["step"], c["station"], c["result"], c["defects"], c["inspector"])
            for c in checks] == [("step", 3, "qc-1", "fail", 2, "raj")]


def test_a_past_quality_step_is_checked_from_the_batch_page(new_page, floorline_server):
    srv = floorline_server
    code = frame_batch(srv, ROUTE[:4])
    page = new_page()
    login(page)
    page.goto(f"/batches/{code}")
    form = page.locator("#check-form")
    expect(form).to_be_visible()
    expect(page.locator("#check-step option")).to_have_count(1)
    form.locator("select[name=result]").select_option("conditional")
    form.locator("input[name=notes]").fill("paint run, accepted")
    form.get_by_role("button", name="Record check").click()
    expect(page.locator("#check-rows tr")).to_have_count(1)
    expect(page.locator("#check-rows")).to_contain_text("paint run, accepted")


FIT = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [390, 800, 1280, 1920])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_completion_pages_fit_the_screen_in_either_language(new_page, floorline_server,
                                                                width, lang):
    srv = floorline_server
    code = frame_batch(srv)
    body = {"quantity_completed": 1, "quantity_defective": 0, "result": "pass",
            "output": "serials", "location": "STORES"}
    serial = srv.api("POST", f"/batches/{code}/complete", json=body).json()["serials"][0]
    page = new_page(width, 700)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": srv.url}])
    login(page, "admin")
    for path in (f"/batches/{code}/complete", "/serials", f"/serials/{serial['code']}",
                 f"/batches/{code}"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.evaluate(FIT), f"{path} is wider than {width} px in {lang}"


def test_the_item_page_sets_the_serial_type_its_codes_start_with(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page, "admin")
    page.goto("/setup/items/BRACKET-20")
    field = page.locator("#serial-type")
    expect(field).to_have_attribute("placeholder", "BRACKET2")
    field.fill("brk")
    page.get_by_role("button", name="Save serial type").click()
    expect(page.locator("#serial-type-example")).to_contain_text("BRK-")
    assert srv.api("GET", "/items/BRACKET-20").json()["serial_type"] == "BRK"
    field.fill("BADGE")
    page.get_by_role("button", name="Save serial type").click()
    expect(page.locator("#serial-type-form .form-error")).to_be_visible()
    assert srv.api("GET", "/items/BRACKET-20").json()["serial_type"] == "BRK"


def test_the_trace_floor_builds_on_a_running_seeded_server(floorline_server):
    from tests.support.trace_floor import build_trace_floor, server_api
    floor = build_trace_floor(server_api(floorline_server))
    assert len(floor.serials["1a"]) == 3 and len(floor.serials["M"]) == 9
    serial = floorline_server.api("GET", f"/serials/{floor.serials['1a'][0]}").json()
    assert serial["batch"] == floor.batches["1a"] and serial["status"] == "in_stock"


def test_a_job_completes_the_pieces_of_its_received_lot_into_serials(new_page, floorline_server):
    srv = floorline_server

    def ok(method: str, path: str, body: dict) -> dict:
        res = srv.api(method, path, json=body)
        assert res.status_code in (200, 201), (path, res.text)
        return res.json()

    for sku, unit in (("GOLD-E2E", "g"), ("PENDANT-E2E", "pcs")):
        ok("POST", "/items", {"sku": sku, "name": sku.title(), "kind": "finished", "unit": unit})
    gold = ok("POST", "/lots", {"item": "GOLD-E2E", "quantity": "30", "unit": "g",
                                "location": "STORES"})["number"]
    ok("POST", "/stages", {"code": "FABE2E", "name": "Fabrication", "stations": ["cut-1"]})
    job = ok("POST", "/jobs", {"stage": "FABE2E", "issues": [{"lot": gold, "pieces": 6}],
                               "items": [], "policy": "match_issued"})["number"]
    rows = ok("POST", f"/jobs/{job}/receipts", {"location": "STORES", "rows": [
        {"output_type": "finished", "item": "PENDANT-E2E", "pieces": 4, "weight": "20",
         "unit": "g"}]})["receipt"]["rows"]
    (received,) = [r["lot"] for r in rows if r["bucket"] == "received"]
    page = new_page(1280, 800)
    login(page)
    page.goto(f"/jobs/{job}/complete")
    expect(page.locator("#job-lots tbody tr")).to_have_count(1)
    expect(page.locator("#job-lots")).to_contain_text(received)
    expect(page.locator("#job-lots")).to_contain_text("4 pcs")
    expect(page.locator("#output option[value=lot]")).to_have_count(0)
    form = page.locator("#complete-form")
    expect(form.locator("input[name=quantity_completed]")).to_have_value("4")
    form.locator("input[name=quantity_completed]").fill("3")
    page.locator("#complete-submit").click()
    expect(page.locator("#answer-title")).to_have_text("3 serials made")
    assert srv.api("GET", f"/lots/{received}").json()["on_hand"] == "1"
