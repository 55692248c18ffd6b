"""The kiosk on the floor: its work queue, the panels plants buy, offline typing, QR pairing.

One server for the module (tests pick distinct batches); the offline test kills and restarts it.
"""

import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import badge_login, pair_kiosk, run_batches, seeded_server, shoot

pytestmark = pytest.mark.browser

SIZES = [(800, 480), (1024, 600), (1280, 800), (390, 844)]
RESULT_SECONDS = 3


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server for this module's tests, with a short result time."""
    yield from seeded_server(tmp_path_factory, seeded_template, "kiosk-floor",
                             env={"FLOORLINE_LIVE_PUBLIC": "1",
                                  "FLOORLINE_KIOSK_RESULT_SECONDS": str(RESULT_SECONDS)})


BOXES = """(sel) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0)
  .map((e) => { const r = e.getBoundingClientRect();
    return { what: e.id || e.getAttribute("aria-label") || e.textContent.trim().slice(0, 24),
             top: r.top, left: r.left, bottom: r.bottom, right: r.right,
             w: r.width, h: r.height }; })"""


KEPT = """async () => { for (let i = 0; i < 100; i++) {
  if (await caches.match(location.href, { ignoreVary: true })) return true;
  await new Promise((ok) => setTimeout(ok, 100)); } return false; }"""


def boxes(page, selector):
    return page.evaluate(BOXES, selector)


def outside_viewport(page, selector):
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    return [b["what"] for b in boxes(page, selector)
            if b["top"] < -0.5 or b["left"] < -0.5 or b["bottom"] > vh + 0.5
            or b["right"] > vw + 0.5]


def small_targets(page, selector="button, #queue .qrow a"):
    return [(b["what"], round(b["w"]), round(b["h"])) for b in boxes(page, selector)
            if b["w"] < 48 or b["h"] < 48]


def assert_result_fits(page):
    """Every line of the result card is inside the card and inside the viewport."""
    card = boxes(page, "#result")[0]
    parts = boxes(page, "#result > *")
    assert parts, "the result card is empty"
    clipped = [p["what"] for p in parts if p["bottom"] > card["bottom"] + 0.5
               or p["right"] > card["right"] + 0.5]
    assert not clipped, f"cut off in the result card: {clipped}"
    assert not outside_viewport(page, "#result, #result > *")


def assert_dialog_fits(page):
    expect(page.locator("#dlg")).to_be_visible()
    assert page.locator("#dlg-foot button, #dlg-foot a").count() >= 1
    assert not outside_viewport(page, "#dlg-foot button, #dlg-close, #dlg-title")
    assert not small_targets(page, "#dlg button")


def test_the_queue_lists_the_station_s_batches_and_follows_a_scan_live(new_page,
                                                                      floorline_server,
                                                                      station):
    srv = floorline_server
    page = new_page(1280, 800)
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    waiting = srv.api("GET", "/stations/cut-1/queue").json()
    rows = page.locator("#queue .qrow")
    expect(rows).to_have_count(len(waiting))
    expect(rows.first).to_have_attribute("data-code", waiting[0]["code"])
    expect(rows.first.locator("a.batch-link")).to_have_attribute(
        "href", f"/batches/{waiting[0]['code']}")
    expect(rows.first).to_contain_text(f"{waiting[0]['quantity']} {waiting[0]['unit']}")
    expect(rows.first).to_contain_text(waiting[0]["run"])

    welder = new_page(1280, 800)
    pair_kiosk(welder, srv, "weld-1")
    code = run_batches(srv, 0)[0]["code"]
    expect(welder.locator("#queue .qrow")).to_have_count(0)
    assert station("cut-1").scan(code)["outcome"] == "accepted"
    expect(page.locator(f"#queue .qrow[data-code='{code}']")).to_have_count(0)
    expect(welder.locator(f"#queue .qrow[data-code='{code}']")).to_have_count(1)
    expect(welder.locator("#queue .qrow").first).to_contain_text("Ready")

    picked = page.locator("#queue .qrow").nth(1)
    picked.locator(".qpick").click()
    expect(page.locator("#current-batch")).to_have_text(picked.get_attribute("data-code"))
    expect(picked).to_have_class("qrow qrow-on")
    shoot(page, "kiosk-queue.png")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_kiosk_fits_the_panel_result_dialogs_and_targets(new_page, floorline_server,
                                                             station, size):
    srv = floorline_server
    n = SIZES.index(size)
    frames = [b for b in run_batches(srv, 0) + run_batches(srv, 2) if b["item"] == "FRAME-100"]
    mine, filler = frames[1 + n]["code"], frames[-1]["code"]
    rod = run_batches(srv, 1)[n]["code"]
    cutter = station("cut-1")
    for code in (mine, filler):
        if srv.api("GET", f"/batches/{code}").json()["step"] == "CUT":
            cutter.scan(code)  # now waiting at WELD
    page = new_page(*size)
    pair_kiosk(page, srv, "weld-1")
    assert_result_fits(page)
    page.click("#btn-login")
    assert_dialog_fits(page)
    page.fill("#badge", "BADGE-0001")
    page.fill("#pin", "1234")
    page.locator("#dlg-foot button").click()
    expect(page.locator("#operator-name")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("Online")

    welder = station("weld-1")
    assert welder.scan(mine)["outcome"] == "accepted"
    expect(page.locator("#result-steps")).to_contain_text("Next: PAINT")
    assert_result_fits(page)
    if size == (800, 480):
        shoot(page, "kiosk-800x480.png")
    assert welder.scan(rod)["reason"] == "wrong_step"
    expect(page.locator("#result-expected")).to_have_text("This batch expects: CUT",
                                                          timeout=2000)
    assert_result_fits(page)
    expect(page.locator("#result-title")).to_have_text("Ready",
                                                       timeout=(RESULT_SECONDS + 3) * 1000)

    page.locator(f"#queue .qrow[data-code='{filler}'] .qpick").click()
    expect(page.locator("#current-batch")).to_have_text(filler)
    assert not small_targets(page)
    assert not outside_viewport(page, "#actions button")
    for button in ("#btn-code", "#btn-batch", "#btn-qty", "#btn-split", "#btn-merge",
                   "#btn-hold", "#btn-correct"):
        page.click(button)
        assert_dialog_fits(page)
        page.click("#dlg-close")
        expect(page.locator("#dlg")).to_be_hidden()


def test_an_operator_works_the_queue_to_the_end_of_a_run_with_taps_only(new_page,
                                                                       floorline_server,
                                                                       station):
    srv = floorline_server
    assert srv.api("POST", "/items", json={"sku": "KIT-1", "name": "Kit", "kind": "finished",
                                           "unit": "pcs", "routing": ["PACK"]}).ok
    run = srv.api("POST", "/runs", json={"lines": [{"item": "KIT-1", "quantity": 4,
                                                    "unit": "pcs", "batches": 3}]}).json()
    first, second, third = (b["code"] for b in run["batches"])
    page = new_page(1024, 600)
    pair_kiosk(page, srv, "pack-1")
    packer = station("pack-1")
    assert packer.scan("BADGE-0006")["login"]["username"] == "eve"  # no PIN: badge only
    expect(page.locator("#operator-name")).to_have_text("Eve")
    rows = page.locator("#queue .qrow")
    expect(rows).to_have_count(3)

    def tap_row(code):
        page.locator(f"#queue .qrow[data-code='{code}'] .qpick").click()
        expect(page.locator("#current-batch")).to_have_text(code)

    tap_row(first)
    page.click("#btn-split")
    page.get_by_role("button", name="Split batch").click()
    expect(page.locator(".child-list li")).to_have_count(2)
    page.get_by_role("button", name="Done").click()
    expect(rows).to_have_count(4)  # first's two halves joined the queue
    tap_row(second)
    page.click("#btn-merge")
    page.locator(f"#merge-waiting button[data-code='{third}']").click()
    page.get_by_role("button", name="Merge batches").click()
    page.get_by_role("button", name="Done").click()
    expect(rows).to_have_count(3)  # two halves and the merged batch

    for _ in range(3):
        code = rows.first.get_attribute("data-code")
        tap_row(code)
        assert packer.scan(code)["outcome"] == "accepted"
        expect(page.locator("#result-steps")).to_contain_text("Batch complete")
        page.click("#btn-qty")
        page.get_by_role("button", name="Clear").click()
        page.get_by_role("button", name="1", exact=True).click()
        page.get_by_role("button", name="Save quantities").click()
        expect(page.locator("#toast")).to_contain_text("Saved PACK quantities")
        expect(page.locator(f"#queue .qrow[data-code='{code}']")).to_have_count(0,
                                                                               timeout=3000)
    expect(page.locator("#queue .qempty")).to_be_visible()
    done = srv.api("GET", f"/runs/{run['number']}").json()
    assert done["status"] == "completed"
    assert sorted(b["state"] for b in done["batches"]) == \
        ["done", "done", "done", "merged", "merged", "split"]


def test_a_kiosk_pairs_by_the_qr_code_an_admin_shows_once(new_page, floorline_server):
    import zxingcpp
    from PIL import Image

    srv = floorline_server
    admin = new_page(1280, 800)
    admin.goto("/login")
    admin.fill("input[name=username]", "admin")
    admin.fill("input[name=password]", "floorline")
    admin.click("button[type=submit]")
    admin.goto("/setup/stations/paint-1/pair")
    expect(admin.locator(".pair-qr svg")).to_be_visible()
    shoot(admin, "kiosk-pairing-qr.png")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(admin.screenshot())))
    urls = [f.text for f in found if f.format == zxingcpp.BarcodeFormat.QRCode]
    assert urls == [f"{srv.url}/kiosk/paint-1/pair?code={admin.inner_text('#pair-code')}"]

    kiosk = new_page(1024, 600)
    kiosk.goto(urls[0])
    expect(kiosk.locator("#conn")).to_have_count(0)  # opening the link alone pairs nothing
    kiosk.get_by_role("button", name="Pair this kiosk").click()
    expect(kiosk.locator("#conn")).to_have_text("Online")
    expect(kiosk.locator(".kstation-name")).to_have_text("paint-1")

    again = new_page(1024, 600)
    again.goto("/kiosk/paint-1")
    again.fill("input[name=code]", urls[0])  # a USB scanner types the QR's URL
    again.click("button[type=submit]")
    expect(again.locator(".form-error")).to_contain_text("already used")


def test_codes_typed_while_the_server_is_down_are_kept_and_sent_once(new_page,
                                                                    floorline_server):
    srv = floorline_server
    page = new_page(1280, 800)
    pair_kiosk(page, srv, "cut-1")
    badge_login(page)
    codes = [b["code"] for b in run_batches(srv, 1)[4:6]]  # ROD-8, waiting at CUT
    assert page.evaluate(KEPT)  # the page is kept for a reload while the server is down
    srv.kill()
    expect(page.locator("#conn")).to_have_text("Offline")
    for code in codes:
        page.click("#btn-code")
        page.fill("#code-input", code)
        page.get_by_role("button", name="Record scan").click()
        expect(page.locator("#dlg")).to_be_hidden()
    expect(page.locator("#pending")).to_have_text("2 scans waiting to send")
    page.reload()
    expect(page.locator("#pending")).to_have_text("2 scans waiting to send")
    srv.start()
    expect(page.locator("#conn")).to_have_text("Online", timeout=10000)
    expect(page.locator("#pending")).to_be_hidden(timeout=10000)
    for code in codes:
        batch = srv.api("GET", f"/batches/{code}").json()
        assert batch["step"] == "QC"
        assert [s["outcome"] for s in batch["scans"]] == ["accepted"]
