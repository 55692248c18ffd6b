"""Issue 10's "done when", as a new user would try it, in pages only.

An admin sets up two operations, an item with a routing of them, two stations, a badge-only
operator, a customer and an order, and makes a run from the order; each station's kiosk is
paired by its QR code in a fresh browser; the operator badges in at the scanners and works the
queue to the end of the run with taps only (scans come from each station's scanner client).
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Station, seeded_server, shoot

pytestmark = pytest.mark.browser
OPS = {"NU-CUT": "nu-cut-1", "NU-PACK": "nu-pack-1"}  # operation → its station
BADGE = "BADGE-NU-01"


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """A seeded server of its own: the test adds its own catalogue rows, named NU-*."""
    yield from seeded_server(tmp_path_factory, seeded_template, "new-user",
                             env={"FLOORLINE_KIOSK_RESULT_SECONDS": "1"})


def set_up_the_catalogue(page) -> None:
    page.goto("/setup/operations")
    form = page.locator("#op-form")
    for code in OPS:
        form.locator("[name=code]").fill(code)
        form.locator("[name=name]").fill(code.title())
        form.get_by_role("button", name="Add operation").click()
        expect(page.locator(f"#op-rows tr[data-code={code}]")).to_be_visible()
    page.goto("/setup/items")
    form = page.locator("#item-form")
    form.locator("[name=sku]").fill("NU-1")
    form.locator("[name=name]").fill("New user's kit")
    form.locator("[name=kind]").select_option("finished")
    form.get_by_role("button", name="Add item").click()
    expect(page).to_have_url("/setup/items/NU-1")
    for code in OPS:
        page.select_option("#route-op", code)
        page.click("#route-add")
    expect(page.locator("#route-steps li")).to_have_count(2)
    page.click("#route-save")
    expect(page.locator("#routing-version")).to_have_text("version 1")


def set_up_the_stations(page) -> dict[str, str]:
    """Create a station per operation; returns each one's token, shown once."""
    tokens = {}
    page.goto("/setup/stations")
    for op, name in OPS.items():
        page.click("#btn-new")
        form = page.locator("#station-form")
        form.locator("[name=name]").fill(name)
        form.locator("[name=operation]").select_option(op)
        form.get_by_role("button", name="Create station").click()
        expect(page.locator("#token-once")).to_be_visible()
        tokens[name] = page.locator("#token-value").inner_text()
        page.click("#token-hide")
        expect(page.locator(f"tr[data-station='{name}']")).to_contain_text(op)
    return tokens


def add_the_operator(page) -> None:
    page.goto("/setup/users")
    page.click("#btn-new")
    form = page.locator("#user-form")
    form.locator("[name=username]").fill("nora")
    form.locator("[name=display_name]").fill("Nora")
    form.locator("[name=role]").select_option("operator")
    form.locator("[name=badge_code]").fill(BADGE)
    form.get_by_role("button", name="Create user").click()
    expect(page.locator("tr[data-user='nora']")).to_contain_text("Operator")


def make_a_run_from_an_order(page) -> str:
    page.goto("/setup/customers")
    form = page.locator("#customer-form")
    form.locator("[name=code]").fill("NUCO")
    form.locator("[name=name]").fill("New User Co")
    form.get_by_role("button", name="Add customer").click()
    expect(page.locator("tr[data-customer='NUCO']")).to_be_visible()
    page.goto("/setup/orders")
    page.click("#btn-new")
    page.select_option("#order-customer", "NUCO")
    line = page.locator("#order-lines .line-row").nth(0)
    line.locator("[name=item]").select_option("NU-1")
    line.locator("[name=quantity]").fill("4")
    page.get_by_role("button", name="Create order").click()
    expect(page).to_have_url(re.compile(r"/setup/orders/SO-"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#order-status")).to_have_text("Confirmed")
    page.fill("#run-form [name=batches_per_line]", "2")
    page.get_by_role("button", name="Create run from this order").click()
    expect(page.locator("#run-made-link")).to_have_text(re.compile(r"^PR-"))
    return page.locator("#run-made-link").inner_text()


def pair_by_qr(admin, kiosk, srv, name: str) -> None:
    """The admin shows the station's QR; a fresh browser opens what it reads and pairs."""
    import zxingcpp
    from PIL import Image

    admin.goto(f"/setup/stations/{name}/pair")
    expect(admin.locator(".pair-qr svg")).to_be_visible()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(admin.screenshot())))
    urls = [f.text for f in found if f.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(urls) == 1 and urls[0].startswith(f"{srv.url}/kiosk/{name}/pair?code=")
    kiosk.goto(urls[0])
    kiosk.get_by_role("button", name="Pair this kiosk").click()
    expect(kiosk.locator("#conn")).to_have_text("Online")
    expect(kiosk.locator(".kstation-name")).to_have_text(name)


def test_a_new_user_sets_up_pairs_and_works_a_run_to_the_end_in_the_browser(new_page,
                                                                           floorline_server):
    srv = floorline_server
    admin = new_page(1280, 800)
    admin.goto("/login")
    admin.fill("input[name=username]", "admin")
    admin.fill("input[name=password]", "floorline")  # the seed's demo password
    admin.click("button[type=submit]")
    expect(admin.locator(".who-name")).to_be_visible()
    set_up_the_catalogue(admin)
    tokens = set_up_the_stations(admin)
    add_the_operator(admin)
    run = make_a_run_from_an_order(admin)
    batches = srv.api("GET", f"/runs/{run}").json()["batches"]
    assert [(b["item"], b["quantity"]) for b in batches] == [("NU-1", "2"), ("NU-1", "2")]
    codes = [b["code"] for b in batches]

    kiosks, scanners = {}, {}
    try:
        for name, token in tokens.items():
            kiosks[name] = kiosk = new_page(1024, 600)
            pair_by_qr(admin, kiosk, srv, name)
            scanners[name] = scanner = Station(srv.url, token)
            assert scanner.scan(BADGE)["login"]["username"] == "nora"  # badge only, no PIN
            expect(kiosk.locator("#operator-name")).to_have_text("Nora")

        cut, pack = kiosks["nu-cut-1"], kiosks["nu-pack-1"]
        expect(cut.locator("#queue .qrow")).to_have_count(2)
        shoot(cut, "new-user-queue.png")
        for code in codes:
            cut.locator(f"#queue .qrow[data-code='{code}'] .qpick").click()
            expect(cut.locator("#current-batch")).to_have_text(code)
            assert scanners["nu-cut-1"].scan(code)["outcome"] == "accepted"
            expect(cut.locator("#result-steps")).to_contain_text("Next: NU-PACK")
            expect(cut.locator(f"#queue .qrow[data-code='{code}']")).to_have_count(0,
                                                                                  timeout=3000)
        expect(cut.locator("#queue .qempty")).to_be_visible()

        rows = pack.locator("#queue .qrow")
        expect(rows).to_have_count(2)
        for code in codes:
            pack.locator(f"#queue .qrow[data-code='{code}'] .qpick").click()
            expect(pack.locator("#current-batch")).to_have_text(code)
            assert scanners["nu-pack-1"].scan(code)["outcome"] == "accepted"
            expect(pack.locator("#result-steps")).to_contain_text("Batch complete",
                                                                  timeout=3000)
            pack.click("#btn-qty")
            pack.get_by_role("button", name="Clear").click()
            pack.get_by_role("button", name="2", exact=True).click()
            pack.get_by_role("button", name="Save quantities").click()
            expect(pack.locator("#toast")).to_contain_text("Saved NU-PACK quantities")
            expect(pack.locator(f"#queue .qrow[data-code='{code}']")).to_have_count(
                0)
        expect(pack.locator("#queue .qempty")).to_be_visible()
    finally:
        for scanner in scanners.values():
            scanner.close()

    done = srv.api("GET", f"/runs/{run}").json()
    assert done["status"] == "completed"
    assert [b["state"] for b in done["batches"]] == ["done", "done"]
