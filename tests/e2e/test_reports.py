"""Report pages in Chromium: each renders its table and a sized chart, at two screen sizes."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Batch, RoutingStep, Station, StepExecution
from server.runtime import Runtime
from server.services import batches
from server.services.actors import SYSTEM
from server.settings import Settings
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser

PAGES = {"output": 1, "cycle-time": 1, "yield": 1, "wip-ageing": 1}  # rows at least


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory):
    """One seeded server for the module, with timed steps, losses and a hold to report."""
    from tests.server_process import FloorlineServer

    root = tmp_path_factory.mktemp("reports")
    srv = FloorlineServer(root / "instance", f"sqlite:///{root / 'floorline.sqlite'}")
    srv.instance.mkdir(parents=True, exist_ok=True)
    srv.seed()
    _add_history(srv)
    srv.start()
    yield srv
    srv.stop()


def _add_history(srv) -> None:
    runtime = Runtime.start(Settings(instance_path=str(srv.instance),
                                     database_url=srv.database_url).resolved())
    now = datetime.now(UTC)
    with runtime.transaction() as s:
        stations = {st.operation.code: st.id for st in s.scalars(select(Station))}
        rows = s.scalars(select(Batch).order_by(Batch.id)).all()
        for i, batch in enumerate(rows[:12]):
            for position in (0, 1):
                step = s.scalars(select(RoutingStep).where(
                    RoutingStep.routing_id == batch.routing_id,
                    RoutingStep.position == position)).one()
                finished = now - timedelta(hours=30 - 2 * i - position)
                scrapped = Decimal(1) if i % 4 == 1 else Decimal(0)
                s.add(StepExecution(
                    batch_id=batch.id, step_id=step.id, position=position,
                    station_id=stations[step.operation.code], operator="ana",
                    started_at=finished - timedelta(seconds=240 + 37 * i + 60 * position),
                    finished_at=finished, quantity_in=batch.quantity,
                    quantity_good=batch.quantity - scrapped, quantity_scrapped=scrapped))
            batch.created_at = now - timedelta(hours=2 * i)
        batches.hold_batch(s, SYSTEM, rows[12].code, "burr on edge")
    runtime.engine.dispose()


def login(page, username="planner", password="floorline"):
    page.goto("/login?next=/reports")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.locator(".report-card")).to_have_count(8)


def check_report(page, name: str) -> None:
    page.goto(f"/reports/{name}")
    expect(page.locator("#report-rows tr").first).to_be_visible(timeout=10_000)
    assert page.locator("#report-rows tr").count() >= PAGES[name]
    box = page.locator("#chart").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, box
    drawn = page.evaluate("() => Chart.getChart(document.getElementById('chart'))"
                          ".data.datasets.map((d) => d.data.length)")
    assert drawn and all(n > 0 for n in drawn), drawn
    # Wide tables scroll inside their card; the page itself does not scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("#report-error")).to_be_hidden()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1024, 600)])
def test_each_report_page_shows_its_table_and_a_chart(new_page, width, height):
    page = new_page(width, height)
    login(page)
    for name in PAGES:
        check_report(page, name)
    if width == 1280:
        page.goto("/reports/cycle-time")
        expect(page.locator("#report-rows tr").first).to_be_visible()
        shoot(page, "report-cycle-time.png")


def test_the_yield_page_lists_reasons_and_wip_links_the_oldest_batches(new_page):
    page = new_page()
    login(page)
    page.goto("/reports/yield")
    expect(page.locator("#reasons-rows")).to_contain_text("burr on edge")
    expect(page.locator("#report-rows")).to_contain_text("%")
    page.goto("/reports/wip-ageing")
    link = page.locator("#oldest-rows a.batch-link").first
    expect(link).to_have_attribute("href", "/batches/" + link.inner_text())


def test_a_range_is_kept_in_the_url_and_the_csv_link(new_page, floorline_server):
    page = new_page()
    login(page)
    page.goto("/reports/output?from=2026-01-01&to=2026-01-07")
    expect(page.locator("#report-empty")).to_be_visible()
    expect(page.locator("#csv")).to_have_attribute(
        "href", "/reports/output.csv?from=2026-01-01&to=2026-01-07")
    page.fill("#from", "2026-01-09")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#report-error")).to_have_text(
        "Pick a start on or before the end, at most 366 days apart.")
    res = page.request.get("/reports/output.csv")
    assert res.ok and res.headers["content-type"].startswith("text/csv")
    assert res.text().splitlines()[0] == "day,shift,station,operation,unit,steps,batches,good"


def test_reports_ask_for_a_login(new_page):
    page = new_page()
    page.goto("/reports/cycle-time")
    assert page.url.endswith("/login?next=/reports/cycle-time")
