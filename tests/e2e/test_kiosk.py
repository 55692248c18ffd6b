"""The operator kiosk in real Chromium against a real server and station clients."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import badge_login, pair_kiosk, run_batches, shoot

pytestmark = pytest.mark.browser


def test_kiosk_is_refused_without_pairing_or_login(new_page, floorline_server):
    page = new_page()
    page.goto("/kiosk/cut-1")
    expect(page.locator("#pairing")).to_be_visible()
    assert page.locator("#result").count() == 0
    page.fill("input[name=token]", floorline_server.plant.station_tokens["weld-1"])
    page.click("button[type=submit]")
    expect(page.locator(".form-error")).to_contain_text("not this station's token")
    assert page.locator("#result").count() == 0


def test_accepted_scan_shows_green_card_within_a_second(new_page, floorline_server, station):
    page = new_page()
    pair_kiosk(page, floorline_server, "cut-1")
    badge_login(page)
    batch = run_batches(floorline_server, 0)[0]
    ack = station("cut-1").scan(batch["code"])
    assert ack["outcome"] == "accepted"
    expect(page.locator("#result")).to_have_class("result result-accepted flash")
    expect(page.locator("#result-batch")).to_have_text(batch["code"])
    expect(page.locator("#result-steps")).to_contain_text("CUT done")
    expect(page.locator("#result-steps")).to_contain_text("Next: WELD")
    expect(page.locator("#recent li").first).to_contain_text(batch["code"])
    shoot(page, "kiosk-accepted.png")


def test_rejected_scan_shows_reason_and_expected_step(new_page, floorline_server, station):
    page = new_page()
    pair_kiosk(page, floorline_server, "weld-1")
    batch = run_batches(floorline_server, 0)[1]
    ack = station("weld-1").scan(batch["code"])
    assert ack["reason"] == "wrong_step"
    expect(page.locator("#result")).to_have_class("result result-rejected flash")
    expect(page.locator("#result-reason")).to_have_text("Wrong step")
    expect(page.locator("#result-expected")).to_have_text("This batch expects: CUT")
    shoot(page, "kiosk-rejected.png")


def test_unknown_code_typed_on_the_keypad_is_rejected_in_words(new_page, floorline_server):
    page = new_page()
    pair_kiosk(page, floorline_server, "cut-1")
    badge_login(page)
    page.click("#btn-code")
    page.fill("#code-input", "")
    for key in ["B", "-", "9", "9"]:
        page.locator(".keypad .key", has_text=key).first.click()
    expect(page.locator("#code-input")).to_have_value("B-99")
    page.get_by_role("button", name="Record scan").click()
    expect(page.locator("#result-reason")).to_have_text("Unknown code")


def test_quantities_recorded_at_the_kiosk_are_stored(new_page, floorline_server, station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    batch = run_batches(srv, 0)[0]  # FRAME-100, 10 pcs
    station("cut-1").scan(batch["code"])
    expect(page.locator("#current-batch")).to_have_text(batch["code"])
    page.click("#btn-qty")
    page.fill("#qty-rejected", "1")
    page.fill("#qty-scrapped", "1")
    page.fill("#qty-waste", "0")
    expect(page.locator("#qty-good")).to_have_value("8")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.locator("#toast")).to_contain_text("Saved CUT quantities")
    stored = srv.api("GET", f"/batches/{batch['code']}").json()
    assert stored["executions"][0]["good"] == "8"
    assert stored["executions"][0]["rejected"] == "1"
    assert stored["executions"][0]["scrapped"] == "1"
    assert stored["quantity"] == "8"


def test_pieces_are_whole_numbers_in_the_quantities_dialog(new_page, floorline_server, station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    batch = run_batches(srv, 0)[0]  # FRAME-100, 10 pcs
    station("cut-1").scan(batch["code"])
    expect(page.locator("#current-batch")).to_have_text(batch["code"])
    page.click("#btn-qty")
    good = page.locator("#qty-good")
    expect(good).to_have_attribute("inputmode", "numeric")
    expect(good).to_have_attribute("step", "1")
    expect(page.locator(".keypad button", has_text=".")).to_have_count(0)
    page.fill("#qty-rejected", "3.5")
    expect(good).to_have_value("6.5")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.locator("#dlg-error")).to_have_text("pcs are counted in whole numbers, not 6.5")
    stored = srv.api("GET", f"/batches/{batch['code']}").json()
    assert stored["executions"][0]["good"] == "10" and stored["quantity"] == "10"


def test_measured_amounts_keep_decimals_in_the_quantities_dialog(new_page, floorline_server,
                                                                 station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    batch = run_batches(srv, 1)[0]  # ROD-8, 12.5 kg
    station("cut-1").scan(batch["code"])
    expect(page.locator("#current-batch")).to_have_text(batch["code"])
    page.click("#btn-qty")
    expect(page.locator("#qty-good")).to_have_attribute("inputmode", "decimal")
    page.fill("#qty-waste", "0.5")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.locator("#toast")).to_contain_text("Saved CUT quantities")
    assert srv.api("GET", f"/batches/{batch['code']}").json()["quantity"] == "12"


def test_quantities_that_do_not_add_up_are_refused(new_page, floorline_server, station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    batch = run_batches(srv, 0)[0]
    station("cut-1").scan(batch["code"])
    expect(page.locator("#current-batch")).to_have_text(batch["code"])
    page.click("#btn-qty")
    page.fill("#qty-good", "9")
    page.fill("#qty-rejected", "5")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.locator("#dlg-error")).to_contain_text("came in")
    assert srv.api("GET", f"/batches/{batch['code']}").json()["executions"][0]["good"] == "10"


def test_split_at_the_kiosk_is_stored_and_links_child_labels(new_page, floorline_server,
                                                            station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    batch = run_batches(srv, 0)[4]  # BRACKET-20, 50 pcs
    station("cut-1").scan(batch["code"])
    expect(page.locator("#current-batch")).to_have_text(batch["code"])
    page.click("#btn-split")
    page.click("button[data-parts='3']")
    page.get_by_role("button", name="Split batch").click()
    links = page.locator(".child-list a")
    expect(links).to_have_count(3)
    stored = srv.api("GET", f"/batches/{batch['code']}").json()
    assert stored["state"] == "split"
    children = [c["code"] for c in stored["children"]]
    assert sorted(c["quantity"] for c in stored["children"]) == ["16", "16", "18"]
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    assert sorted(hrefs) == sorted(f"/api/v1/batches/{c}/label.pdf" for c in children)


def test_hold_reason_typed_by_a_user_shows_as_text(new_page, floorline_server, station):
    srv = floorline_server
    evil = "<img src=x onerror=alert(1)>"
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    batch = run_batches(srv, 0)[2]
    station("cut-1").scan(batch["code"])
    expect(page.locator("#current-batch")).to_have_text(batch["code"])
    page.click("#btn-hold")
    page.fill("#hold-reason", evil)
    page.get_by_role("button", name="Put on hold").click()
    expect(page.locator("#toast")).to_have_text(f"{batch['code']} is on hold: {evil}")
    assert srv.api("GET", f"/batches/{batch['code']}").json()["hold_reason"] == evil
    assert page.locator("img[src=x]").count() == 0

    planner = new_page()
    planner.goto("/login")
    planner.fill("input[name=username]", "admin")
    planner.fill("input[name=password]", "floorline")
    planner.click("button[type=submit]")
    planner.goto(f"/runs/{srv.plant.runs[0]}")
    cell = planner.locator(f"tr[data-batch='{batch['code']}'] .hold-reason")
    expect(cell).to_have_text(evil)
    assert planner.locator("img[src=x]").count() == 0


def test_operator_can_log_out_and_the_kiosk_stays_paired(new_page, floorline_server):
    page = new_page()
    pair_kiosk(page, floorline_server, "cut-1")
    badge_login(page)
    page.click("#btn-logout")
    expect(page.locator("#btn-login")).to_be_visible()
    expect(page.locator("#result")).to_be_visible()


def test_merge_at_the_kiosk_is_stored(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    codes = [b["code"] for b in run_batches(srv, 1)[:2]]  # ROD-8, both waiting at CUT
    page.click("#btn-merge")
    for code in codes:
        page.fill("#merge-code", code)
        page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#merge-list li")).to_have_count(2)
    page.get_by_role("button", name="Merge batches").click()
    expect(page.locator(".child-list a")).to_have_count(1)
    merged = page.locator(".child-list .mono").inner_text()
    stored = srv.api("GET", f"/batches/{merged}").json()
    assert stored["quantity"] == "25"
    assert sorted(p["code"] for p in stored["parents"]) == sorted(codes)
    assert srv.api("GET", f"/batches/{codes[0]}").json()["state"] == "merged"


def test_an_operator_undoes_their_own_scans_but_not_another_operators(new_page,
                                                                     floorline_server,
                                                                     station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)  # Ana, an operator: she is now logged in at cut-1
    mine, scanned, lees = (b["code"] for b in run_batches(srv, 0)[:3])
    page.click("#btn-code")
    page.fill("#code-input", mine)
    page.get_by_role("button", name="Record scan").click()
    expect(page.locator("#current-batch")).to_have_text(mine)
    page.click("#btn-correct")
    page.fill("#correct-reason", "scanned the wrong frame")
    page.get_by_role("button", name="Undo last change").click()
    expect(page.locator("#toast")).to_contain_text(f"{mine}: complete undone.")
    undone = srv.api("GET", f"/batches/{mine}").json()
    assert (undone["state"], undone["step"]) == ("waiting", "CUT")
    assert undone["audit"][-1]["reason"] == "scanned the wrong frame"
    scanner = station("cut-1")
    scanner.scan(scanned)  # the station's scanner, while Ana is logged in there: her work
    expect(page.locator("#current-batch")).to_have_text(scanned)
    page.click("#btn-correct")
    page.fill("#correct-reason", "wrong frame on the scanner")
    page.get_by_role("button", name="Undo last change").click()
    expect(page.locator("#toast")).to_contain_text(f"{scanned}: complete undone.")
    assert scanner.scan("BADGE-0003")["login"]["username"] == "lee"  # Lee takes the station
    scanner.scan(lees)
    expect(page.locator("#current-batch")).to_have_text(lees)
    page.click("#btn-correct")
    page.fill("#correct-reason", "oops")
    page.get_by_role("button", name="Undo last change").click()
    expect(page.locator("#dlg-error")).to_have_text(
        "only a supervisor can undo someone else's change")
    assert srv.api("GET", f"/batches/{lees}").json()["step"] == "WELD"


def test_an_operator_scraps_a_whole_batch_at_the_kiosk(new_page, floorline_server, station):
    srv = floorline_server
    page = new_page()
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    code = run_batches(srv, 0)[0]["code"]
    station("cut-1").scan(code)
    expect(page.locator("#current-batch")).to_have_text(code)
    page.click("#btn-correct")
    page.get_by_role("button", name="Scrap whole batch").click()
    expect(page.locator("#dlg-error")).to_be_visible()  # a reason is needed
    page.fill("#correct-reason", "crushed in the press")
    page.get_by_role("button", name="Scrap whole batch").click()
    expect(page.locator("#toast")).to_contain_text(f"{code} is scrapped.")
    assert srv.api("GET", f"/batches/{code}").json()["state"] == "scrapped"
    ack = station("weld-1").scan(code)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "batch_closed")


def test_a_badge_at_the_station_scanner_signs_the_operator_in_not_a_red_scan(
    new_page, floorline_server, station
):
    page = new_page()
    pair_kiosk(page, floorline_server, "cut-1")
    expect(page.locator("#conn")).to_have_text("Online")
    ack = station("cut-1").scan("BADGE-0001")
    assert ack["outcome"] == "accepted" and ack["login"]["username"] == "ana"
    expect(page.locator("#result")).to_have_class("result result-welcome flash")
    expect(page.locator("#result-batch")).to_have_text("Ana")
    expect(page.locator("#result-line")).to_contain_text("signed in at this station")
    expect(page.locator("#recent")).not_to_contain_text("BADGE-0001")
