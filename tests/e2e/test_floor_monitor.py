"""The floor monitor read from 3 m (sizes, andon, held work) and a batch's history page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, run_batches, shoot

pytestmark = pytest.mark.browser

# The minimums docs/floor-monitor.md states, in CSS px at 1920x1080 (see monitor.css).
MIN_PX = {".st-name": 40, ".st-state": 34, ".tick-line": 34, ".run-number": 44,
          ".held": 34, ".andon-tile": 40}

SIZES = """sel => [...document.querySelectorAll(sel)].map(
    n => parseFloat(getComputedStyle(n).fontSize))"""
# Everything drawn lies inside the viewport's width, and no text box is wider than its parent.
OVERFLOW = """() => {
  const doc = document.documentElement, w = doc.clientWidth, bad = [];
  if (doc.scrollWidth > w) bad.push('page ' + doc.scrollWidth);
  for (const n of document.querySelectorAll('main *, header *, #andon *')) {
    const r = n.getBoundingClientRect();
    if (r.width && r.height && r.right > w + 0.5) bad.push(n.className + ' ' + r.right);
  }
  return bad;
}"""




def test_the_floor_monitor_reads_from_three_metres_with_held_work_and_a_station_andon(
        new_page, floorline_server, station):
    srv = floorline_server
    first, second = run_batches(srv, 0), run_batches(srv, 1)
    held = first[1]["code"]
    r = srv.api("POST", f"/batches/{held}/hold", json={"reason": "weld seam cracked"})
    assert r.status_code == 200, r.text
    cut = station("cut-1")
    assert cut.scan(second[0]["code"])["outcome"] == "accepted"
    assert station("qc-1").scan(second[1]["code"])["outcome"] == "rejected"

    page = new_page(1920, 1080)
    page.goto("/dashboard")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator(".run-card")).to_have_count(3)
    # 20 open batches in the demo's three runs; the held one is not moving work.
    expect(page.locator("#total-held b")).to_have_text("1")
    expect(page.locator("#total-wip b")).to_have_text("19")
    card = page.locator(f".run-card[data-run='{srv.plant.runs[0]}']")
    expect(card.locator(".wip")).to_contain_text("CUT7")
    expect(card.locator(".wip-held")).to_contain_text("1 held")
    expect(card.locator(".run-eta")).to_contain_text("No pace yet")
    row = page.locator(f"#held li[data-batch='{held}']")
    expect(row).to_contain_text("weld seam cracked")
    expect(row.locator("a.batch-link")).to_have_attribute("href", f"/batches/{held}")
    expect(page.locator("#ticker li").first).to_contain_text("Wrong step")
    expect(page.locator("#andon")).to_be_hidden()  # stations never seen are not alarms

    cut.close()  # the station goes away: a bold alert with words and an icon, not colour alone
    andon = page.locator("#andon .andon-tile[data-key='station:cut-1']")
    expect(andon).to_contain_text("Station offline")
    expect(andon.locator(".andon-icon")).to_have_text("✖")
    for selector, least in MIN_PX.items():
        sizes = page.evaluate(SIZES, selector)
        assert sizes and min(sizes) >= least, (selector, sizes)
    assert page.evaluate(OVERFLOW) == []
    shoot(page, "dashboard.png")

    station("cut-1")  # back online: the alert clears
    expect(page.locator("#andon")).to_be_hidden()


@pytest.mark.parametrize(("width", "height"), [(800, 480), (1280, 720), (1024, 768)])
def test_a_smaller_screen_shows_the_whole_monitor_scaled_to_fit(new_page, floorline_server,
                                                               width, height):
    page = new_page(width, height)
    page.goto("/dashboard")
    expect(page.locator(".run-card").first).to_be_visible()
    assert page.evaluate(OVERFLOW) == []
    bottom = page.evaluate("() => document.querySelector('.dgrid').getBoundingClientRect().bottom")
    assert bottom <= height + 0.5  # the grid ends on the screen: nothing hides below it
    shoot(page, f"dashboard-{width}.png")


def test_a_batch_page_shows_steps_refused_scans_splits_and_audit(new_page, floorline_server,
                                                                 station):
    srv = floorline_server
    code = run_batches(srv, 1)[0]["code"]
    assert station("qc-1").scan(code)["outcome"] == "rejected"  # wrong step: kept, with why
    assert station("cut-1").scan(code)["outcome"] == "accepted"
    split = srv.api("POST", f"/batches/{code}/split", json={"parts": 2, "reason": "two racks"})
    assert split.status_code == 201, split.text
    kids = [c["code"] for c in split.json()["children"]]

    page = new_page(1280, 900)
    login(page, "admin")
    page.goto(f"/runs/{srv.plant.runs[1]}")
    expect(page.locator("#run-kpis")).to_contain_text("Completed at")
    page.locator(f"#batch-rows a.batch-link[href='/batches/{code}']").click()
    expect(page.locator("#batch-code")).to_have_text(code)
    expect(page.locator("#steps tbody tr")).to_have_count(1)
    expect(page.locator("#steps tbody")).to_contain_text("cut-1")
    refused = page.locator("#scans tr.scan-rejected")
    expect(refused).to_contain_text("Wrong step")
    expect(refused).to_contain_text("expected CUT")
    expect(refused).to_contain_text("qc-1")
    expect(page.locator("#children a.batch-link")).to_have_count(2)
    expect(page.locator("#audit")).to_contain_text("batch.split")
    expect(page.locator("#audit")).to_contain_text("two racks")
    expect(page.locator(f"#audit a.batch-link[href='/batches/{kids[1]}']")).to_be_visible()
    shoot(page, "batch.png", full_page=True)
    page.locator(f"#children a[href='/batches/{kids[0]}']").click()
    expect(page.locator("#parents")).to_contain_text(code)

    for url in ("/batches/B-NOPE", "/runs/NOPE"):
        res = page.goto(url)
        assert res is not None and res.status == 404, url
        expect(page.locator("#error")).to_be_visible()


def test_a_stalled_batch_raises_an_andon_that_clears_when_it_is_scanned(
        new_page, floorline_server, station):
    srv = floorline_server
    srv.stop()
    srv.env["FLOORLINE_STALL_MIN_SECONDS"] = "0"  # any idle batch of a started run is stalled
    srv.start()
    batches = run_batches(srv, 1)
    cut = station("cut-1")
    assert cut.scan(batches[0]["code"])["outcome"] == "accepted"  # the run starts
    page = new_page(1920, 1080)
    page.goto("/dashboard")
    tile = page.locator(f"#andon .andon-tile[data-key='batch:{batches[1]['code']}']")
    expect(tile).to_contain_text("Batch stalled")
    expect(tile.locator(".andon-icon")).to_have_text("⚠")
    expect(tile).to_contain_text("CUT")
    assert cut.scan(batches[1]["code"])["outcome"] == "accepted"
    expect(tile).to_have_count(0)
