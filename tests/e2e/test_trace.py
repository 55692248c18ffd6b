"""The trace page in Chromium: search a merged batch, read its sources, follow the links."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Batch
from server.runtime import Runtime
from server.services import batches
from server.services.actors import SYSTEM
from server.settings import Settings
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory):
    """One seeded server for the module, with a batch split in three and two parts merged."""
    from tests.server_process import FloorlineServer

    root = tmp_path_factory.mktemp("trace")
    srv = FloorlineServer(root / "instance", f"sqlite:///{root / 'floorline.sqlite'}")
    srv.instance.mkdir(parents=True, exist_ok=True)
    srv.seed()
    runtime = Runtime.start(Settings(instance_path=str(srv.instance),
                                     database_url=srv.database_url).resolved())
    with runtime.transaction() as s:
        first = s.scalars(select(Batch).where(Batch.state == "waiting")
                          .order_by(Batch.id)).first()
        assert first is not None
        kids = [c["code"] for c in batches.split_batch(s, SYSTEM, first.code, parts=3)["children"]]
        merged = batches.merge_batches(s, SYSTEM, kids[:2])["batch"]["code"]
        srv.trace = {"first": first.code, "run": first.run.number, "kids": kids,  # type: ignore[attr-defined]
                     "merged": merged}
    runtime.engine.dispose()
    srv.start()
    yield srv
    srv.stop()


def login(page, target="/trace"):
    page.goto(f"/login?next={target}")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", "floorline")
    page.click("button[type=submit]")


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
