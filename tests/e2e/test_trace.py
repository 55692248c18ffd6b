"""The trace page in Chromium: search a merged batch, read its sources, follow the links."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login as signed_in
from tests.e2e.conftest import seeded_server, shoot

pytestmark = pytest.mark.browser


def _split_and_merge(srv) -> None:
    def ok(method: str, path: str, **body: object) -> dict:
        res = srv.api(method, path, json=body or None)
        assert res.ok, res.text
        return res.json()
    run = srv.plant.runs[0]
    first = next(b["code"] for b in ok("GET", f"/runs/{run}")["batches"]
                 if b["state"] == "waiting")
    kids = [c["code"] for c in ok("POST", f"/batches/{first}/split", parts=3)["children"]]
    merged = ok("POST", "/batches/merge", batches=kids[:2])["batch"]["code"]
    srv.trace = {"first": first, "run": run, "kids": kids, "merged": merged}


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server for the module, with a batch split in three and two parts merged."""
    yield from seeded_server(tmp_path_factory, seeded_template, "trace", setup=_split_and_merge)


def login(page, target="/trace"):
    signed_in(page, next_path=target)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_tracing_a_merged_batch_back_lists_both_inputs_with_their_share(new_page,
                                                                        floorline_server,
                                                                        width, height):
    codes = floorline_server.trace
    page = new_page(width, height)
    login(page)
    page.fill("#trace-code", codes["merged"])
    page.select_option("#trace-direction", "back")
    page.get_by_role("button", name="Trace", exact=True).click()
    rows = page.locator("#trace-nodes tbody tr")
    expect(rows).to_have_count(5)  # merged, its two inputs, their parent, the run
    for code in codes["kids"][:2]:
        expect(page.locator(f'#trace-nodes tr[data-code="{code}"] .share')).not_to_have_text("—")
    expect(page.locator(f'#trace-nodes tr[data-code="{codes["first"]}"] .share')).to_have_text("1")
    expect(page.locator("#trace-graph")).to_have_attribute("data-drawn", "5", timeout=10_000)
    box = page.locator("#trace-graph canvas").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200, box
    expect(page.locator("#trace-edges tbody tr")).to_have_count(5)
    # The trace itself fits the screen (wide tables scroll inside their card); the shared
    # top bar is the base layout's and wider than a phone on every office page.
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter((n) => !n.closest('.table-scroll')
                && n.getBoundingClientRect().right > innerWidth + 1)
        .map((n) => `${n.tagName}#${n.id}.${n.className}`)""")
    assert wide == []
    shoot(page, f"trace-{width}.png", full_page=True)


def test_batch_codes_lead_to_the_batch_page_and_it_back_to_its_trace(new_page,
                                                                      floorline_server):
    codes = floorline_server.trace
    page = new_page()
    login(page, f"/trace/{codes['merged']}?direction=back")
    page.locator("#trace-nodes").get_by_role("link", name=codes["first"]).click()
    expect(page).to_have_url(f"{floorline_server.url}/batches/{codes['first']}")
    page.click("#trace-forward")
    expect(page.locator("#trace-nodes tbody tr")).to_have_count(5)  # itself, 3 parts, merged
    expect(page.locator("#trace-summary")).to_contain_text("forward")
    page.click("#trace-other")
    expect(page.locator("#trace-summary")).to_contain_text("back")


def test_an_unknown_code_says_so_and_keeps_the_search(new_page, floorline_server):
    page = new_page()
    login(page, "/trace/NOPE-123")
    expect(page.locator("#trace-error")).to_contain_text("NOPE-123")
    expect(page.locator("#trace-code")).to_have_value("NOPE-123")
