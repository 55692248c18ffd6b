"""The trace graph and the recall screen in Chromium: a demo supplier batch traced forward
to serials and a shipment, both ways with a shareable URL, then quarantined and released."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser

SERIALS = ["DEMO-2026-1202-0001", "DEMO-2026-1202-0002"]


def _chain(srv) -> None:
    """Finish a batch of the run the demo's tube lot (H-24817) went into as two serials,
    and ship the first to ACME."""
    from server.runtime import Runtime
    from server.settings import Settings
    from tests.support import chain_rows

    walk = srv.api("GET", "/trace/H-24817?direction=forward").json()
    batch = next(n["code"] for n in walk["nodes"] if n["kind"] == "batch")
    item = srv.api("GET", f"/batches/{batch}").json()["item"]
    rt = Runtime.start(Settings(instance_path=str(srv.instance),
                                database_url=srv.database_url).resolved())
    with rt.transaction() as s:
        chain_rows.complete_serials(s, batch, item, SERIALS, location="STORES", each="1")
        chain_rows.ship(s, "SH-2026-00001", "ACME", [("serial", SERIALS[0], "1")])
    rt.engine.dispose()
    srv.chain = {"batch": batch, "lot": walk["start"]["code"]}


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "trace-recall", setup=_chain)


def test_a_searched_supplier_batch_is_traced_forward_then_both_ways_and_reloads_the_same(
        new_page, floorline_server):
    page = new_page()
    login(page, next_path="/trace")
    page.fill("#trace-code", "H-24817")
    page.select_option("#trace-direction", "forward")
    page.get_by_role("button", name="Trace", exact=True).click()
    lot = floorline_server.chain["lot"]
    expect(page.locator(f'#trace-nodes tr[data-code="{lot}"]')).to_have_count(1)
    for code in SERIALS:
        expect(page.locator(f'#trace-nodes tr[data-code="{code}"]')).to_have_count(1)
    expect(page.locator('#trace-nodes tr[data-code="SH-2026-00001"] .status')).to_have_text(
        "shipped")
    forward = page.locator("#trace-nodes tbody tr").count()
    expect(page.locator("#trace-graph")).to_have_attribute("data-drawn", str(forward),
                                                           timeout=10_000)
    expect(page.locator("#trace-legend li")).to_have_count(9)
    page.locator('#trace-toggle a[data-direction="both"]').click()
    expect(page).to_have_url(re.compile(r"direction=both"))
    expect(page.locator("#trace-summary")).to_contain_text("both ways")
    expect(page.locator('#trace-nodes tr[data-side="back"]')).not_to_have_count(0)
    both = page.locator("#trace-nodes tbody tr").count()
    assert both > forward  # the receipt it came from, too
    edges = page.locator("#trace-edges tbody tr").count()
    page.reload()  # the URL alone says what to show
    expect(page.locator("#trace-nodes tbody tr")).to_have_count(both)
    expect(page.locator("#trace-edges tbody tr")).to_have_count(edges)
    expect(page.locator("#trace-direction")).to_have_value("both")
    shoot(page, "trace-both.png", full_page=True)


def test_a_tapped_node_offers_to_trace_from_it_and_a_table_link_opens_it(
        new_page, floorline_server):
    page = new_page()
    login(page, next_path=f"/trace/{SERIALS[1]}?direction=back")
    expect(page.locator("#trace-graph")).to_have_attribute("data-drawn", re.compile(r"\d+"),
                                                           timeout=10_000)
    page.evaluate("""() => window.floorlineTraceGraph
        .getElementById('batch:' + document.querySelector('#trace-nodes tr[data-kind=batch]')
        .dataset.code).emit('tap')""")
    expect(page.locator("#trace-selected")).to_be_visible()
    page.locator("#trace-selected-trace").click()
    expect(page).to_have_url(re.compile(r"/trace/batch%3A.*direction=back"))
    expect(page.locator("#trace-summary")).to_contain_text(floorline_server.chain["batch"])


def test_the_recall_screen_quarantines_what_is_in_stock_and_releases_it(
        new_page, floorline_server):
    page = new_page(800, 480)  # the smallest office screen it must work on
    login(page, next_path="/recall/H-24817")
    lot = floorline_server.chain["lot"]
    expect(page.locator("#count-shipped")).to_have_text("1")
    expect(page.locator(f'#recall-affected tr[data-code="{SERIALS[0]}"] .shipped')).to_contain_text(
        "ACME")
    expect(page.locator(f'#recall-affected tr[data-code="{lot}"] .where')).to_contain_text("STORES")
    expect(page.locator("#recall-affected")).to_have_attribute("data-ready", "1")
    page.locator("#recall-affected th", has_text="Share").click()
    shares = page.locator("#recall-affected tbody tr td.share").all_inner_texts()
    values = [Fraction(x) for x in shares]
    # Ascending; the suspect lot itself last, with the three quarters it still holds.
    assert values == sorted(values) and values[-1] == Fraction(3, 4)
    page.click("#recall-hold")
    page.fill("#recall-reason", "Supplier notice 2026-17")
    page.click("#recall-ok")
    expect(page.locator("#recall-holds tbody tr")).to_have_count(1)
    expect(page.locator(f'#recall-affected tr[data-code="{lot}"] .status')).to_have_text(
        "quarantined")
    expect(page.locator(f'#recall-affected tr[data-code="{SERIALS[1]}"] .status')).to_have_text(
        "quarantined")
    expect(page.locator(f'#recall-affected tr[data-code="{SERIALS[0]}"] .status')).to_have_text(
        "shipped")
    expect(page.locator("#recall-hold")).to_have_count(0)
    shoot(page, "recall-held-800.png", full_page=True)
    page.locator("#recall-holds button.release").click()
    page.fill("#recall-reason", "Supplier withdrew the notice")
    page.click("#recall-ok")
    expect(page.locator("#recall-holds button.release")).to_have_count(0)
    expect(page.locator(f'#recall-affected tr[data-code="{lot}"] .status')).to_have_text(
        "available")
    expect(page.locator(f'#recall-affected tr[data-code="{SERIALS[1]}"] .status')).to_have_text(
        "in stock")
    expect(page.locator("#recall-hold")).to_be_visible()


def test_a_hold_without_a_reason_stays_open_and_holds_nothing(new_page, floorline_server):
    page = new_page()
    login(page, next_path="/recall/H-24817")
    expect(page.locator("#recall-affected")).to_have_attribute("data-ready", "1")
    holds = page.locator("#recall-holds tbody tr").count()
    page.click("#recall-hold")
    page.click("#recall-ok")  # the reason is required: the browser keeps the dialog open
    expect(page.locator("#recall-dialog")).to_be_visible()
    page.click("#recall-back")
    expect(page.locator("#recall-dialog")).to_be_hidden()
    page.reload()
    expect(page.locator("#recall-holds tbody tr")).to_have_count(holds)
    expect(page.locator("#recall-holds button.release")).to_have_count(0)


WIDE = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [390, 800, 1280, 1920])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_trace_and_recall_pages_fit_every_width_in_either_language(
        new_page, floorline_server, width, lang):
    page = new_page(width, 800)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": floorline_server.url}])
    login(page)
    for path in ("/trace/H-24817?direction=both", "/recall/H-24817", "/recall"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.evaluate(WIDE), f"{path} is wider than {width} px in {lang}"
    shoot(page, f"recall-{lang}-{width}.png", full_page=True)
