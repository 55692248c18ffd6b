"""The production list and the job page in Chromium: views, stage filter, search, paging,
summary, the stage x status chart, CSV links; a job's flow picture, timeline and lots.

Jobs are made through the API (tests.support.job_pages); what the pages show is compared
with what was issued and received.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot
from tests.support.job_pages import XSS, job_shop

pytestmark = pytest.mark.browser
SHOP = {}


def _setup(srv) -> None:
    SHOP["shop"] = job_shop(srv, extra_jobs=3)


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server with two stages and seven jobs (tests.support.job_pages)."""
    yield from seeded_server(tmp_path_factory, seeded_template, "jobs", setup=_setup)


@pytest.fixture
def shop(floorline_server):
    return SHOP["shop"]


def rows(page):
    return page.locator("#job-rows tr[data-job]")


def numbers(page) -> set[str]:
    return set(rows(page).evaluate_all("rs => rs.map(r => r.dataset.job)"))


def test_the_tabs_show_each_view_with_its_count_and_keep_it_in_the_url(new_page, shop):
    page = new_page()
    login(page, next_path="/jobs")
    expect(page.locator("#job-tabs [data-view=all] .tab-count")).to_have_text("7")
    expect(rows(page)).to_have_count(7)
    for view, count, expected in (("completed", "1", {shop.done}),
                                  ("unscheduled", "4", {shop.waiting, *shop.extra}),
                                  ("scheduled", "2", {shop.half, shop.next}),
                                  ("ongoing", "6", None)):
        tab = page.locator(f"#job-tabs [data-view={view}]")
        expect(tab.locator(".tab-count")).to_have_text(count)
        tab.click()
        expect(tab).to_have_attribute("aria-current", "page")
        expect(rows(page)).to_have_count(int(count))
        if expected is not None:
            assert numbers(page) == expected
    assert "view=ongoing" in page.url
    page.reload()
    expect(page.locator("#job-tabs [data-view=ongoing]")).to_have_attribute("aria-current", "page")
    expect(rows(page)).to_have_count(6)
    expect(page.locator(f"#job-rows tr[data-job='{shop.half}']")).to_contain_text("in progress")


def test_the_stage_filter_and_search_narrow_the_list_and_the_csv_link(new_page, shop):
    page = new_page()
    login(page, next_path="/jobs")
    expect(page.locator("#job-filter [name=stage] option[value=ASM]")).to_have_count(1)
    page.locator("#job-filter [name=stage]").select_option("ASM")
    expect(rows(page)).to_have_count(2)
    assert numbers(page) == {shop.next, shop.waiting}
    expect(page.locator("#jobs-csv")).to_have_attribute("href", "/api/v1/jobs.csv?stage=ASM")
    page.locator("#job-filter [name=q]").fill("ana")  # the staff member, debounced
    expect(rows(page)).to_have_count(1)
    assert numbers(page) == {shop.next}
    assert re.search(r"stage=ASM&q=ana", page.url)
    href = page.locator("#jobs-csv").get_attribute("href") or ""
    assert href == "/api/v1/jobs.csv?stage=ASM&q=ana"
    csv = page.request.get(href)
    assert csv.ok and shop.next in csv.text() and shop.waiting not in csv.text()
    page.locator("#job-filter [name=q]").fill("no such thing")
    expect(page.locator("#job-rows")).to_contain_text("No jobs match")
    page.locator("#job-filter [name=q]").fill(shop.done)  # the job number
    page.locator("#job-filter [name=stage]").select_option("")
    expect(rows(page)).to_have_count(1)
    page.locator(f"#job-rows a:has-text('{shop.done}')").click()
    expect(page.locator("#job-number")).to_have_text(shop.done)
    page.go_back()
    expect(page.locator("#job-filter [name=q]")).to_have_value(shop.done)
    expect(rows(page)).to_have_count(1)


def test_paging_walks_the_pages_in_the_apis_order(new_page, shop):
    page = new_page()
    login(page, next_path="/jobs?per_page=25")
    page.goto("/jobs?per_page=3")
    expect(page.locator("#page-info")).to_have_text("Page 1 of 3")
    first = numbers(page)
    assert len(first) == 3 and set(shop.extra) == first  # newest first
    expect(page.locator("#page-prev")).to_be_disabled()
    page.locator("#page-next").click()
    expect(page.locator("#page-info")).to_have_text("Page 2 of 3")
    expect(rows(page)).to_have_count(3)
    assert numbers(page).isdisjoint(first)
    page.locator("#page-next").click()
    expect(page.locator("#page-info")).to_have_text("Page 3 of 3")
    expect(rows(page)).to_have_count(1)
    expect(page.locator("#page-next")).to_be_disabled()
    assert "page=3" in page.url and "per_page=3" in page.url
    page.locator("#per-page").select_option("25")
    expect(page.locator("#page-info")).to_have_text("Page 1 of 1")
    expect(rows(page)).to_have_count(7)


def test_the_summary_and_the_stage_by_status_chart_show_the_jobs(new_page, shop):
    page = new_page()
    login(page, next_path="/jobs")
    # Issued 50 + 30 + 20 (the ring lot) + 12.5 + 3 x 1 g; pending 25 + 0 + 20 + 12.5 + 3.
    expect(page.locator("#sum-jobs")).to_have_text("7")
    expect(page.locator("#sum-issued")).to_have_text("115.5 g")
    expect(page.locator("#sum-pending")).to_have_text("60.5 g")
    # Lost: waste 1 g (5 ct) + scrap 2 g (10 ct) + waste 1 g = 4 g of 115.5 g.
    expect(page.locator("#sum-loss")).to_have_text("3.5 %")
    table = page.locator("#overview-table")
    expect(table.locator("tr[data-stage=FAB] td[data-status=open]")).to_have_text("3")
    expect(table.locator("tr[data-stage=FAB] td[data-status=in_progress]")).to_have_text("1")
    expect(table.locator("tr[data-stage=FAB] td[data-status=completed]")).to_have_text("1")
    expect(table.locator("tr[data-stage=ASM] td[data-status=open]")).to_have_text("2")
    expect(table.locator("tr[data-stage=ASM] td[data-status=total]")).to_have_text("2")
    chart = page.evaluate("""() => {
        const c = Chart.getChart(document.getElementById('overview-chart'));
        return {labels: c.data.labels, sets: c.data.datasets.map(d => [d.status, d.data])};
    }""")
    assert chart["labels"] == ["Fabrication", "Assembly"]
    assert dict(chart["sets"]) == {"open": [3, 2], "in_progress": [1, 0], "completed": [1, 0]}
    page.locator("#job-tabs [data-view=completed]").click()
    expect(page.locator("#sum-jobs")).to_have_text("1")
    expect(page.locator("#sum-issued")).to_have_text("30 g")
    expect(page.locator("#sum-loss")).to_have_text("10 %")
    shoot(page, "jobs-1280.png", full_page=True)


def test_the_job_page_draws_the_buckets_as_a_flow_and_the_run_history(new_page, shop):
    page = new_page()
    login(page, next_path=f"/jobs/{shop.half}")
    expect(page.locator("#job-status")).to_have_text("in progress")
    facts = page.locator("#job-facts")
    expect(facts.locator("[data-fact=stage]")).to_contain_text("Fabrication")
    expect(facts.locator("[data-fact=staff]")).to_contain_text("Ana")
    expect(facts.locator("[data-fact=deadline]")).to_contain_text("2099-12-31")
    flow = page.locator("#job-flow svg")
    expected = {"issued": "50 g", "received": "20 g", "rejected": "4 g", "scrapped": "0 g",
                "waste": "1 g", "pending": "25 g"}
    for bucket, text in expected.items():
        group = flow.locator(f"g[data-bucket={bucket}]")
        expect(group.locator("text")).to_contain_text(text)
    # Band widths follow the weights: received 20 g is five times rejected 4 g.
    heights = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '#job-flow g[data-bucket] rect')].map(r => [r.parentNode.dataset.bucket,
        r.getBBox().height]))""")
    assert heights["received"] == pytest.approx(5 * heights["rejected"], rel=0.01)
    assert heights["issued"] == pytest.approx(2 * heights["pending"], rel=0.01)
    expect(flow.locator("g[data-bucket=received] text")).to_contain_text("40 %")
    page.locator(".segmented [data-measure=pieces]").click()
    expect(flow.locator("g[data-bucket=issued] text")).to_contain_text("10 pcs")
    expect(flow.locator("g[data-bucket=pending] text")).to_contain_text("4 pcs")
    table = page.locator("#bucket-table")
    expect(table.locator("tr[data-measure=weight] td[data-bucket=pending]")).to_have_text("25 g")
    expect(page.locator("#job-efficiency [data-fact=yield]")).to_contain_text("40 %")
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "50")

    steps = page.locator("#job-timeline > li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("Fabrication")
    expect(steps.nth(0).locator("[data-bucket=received]")).to_contain_text("20 g")
    expect(steps.nth(0).locator("[data-part=losses]")).to_contain_text("1 g")
    expect(steps.nth(1)).to_contain_text("Assembly")
    expect(steps.nth(1).locator(f"a[href='/jobs/{shop.next}']")).to_have_count(1)
    events = page.locator("#job-events li")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_have_attribute("data-what", "issued")
    expect(events.nth(1)).to_have_text(re.compile("Output received"))
    expect(page.locator("#issue-rows a.lot-link")).to_have_count(1)
    expect(page.locator("#receipt-rows tr[data-bucket]")).to_have_count(3)
    expect(page.locator("#job-receive")).to_be_visible()
    shoot(page, "job-1280.png", full_page=True)
    steps.nth(1).locator(f"a[href='/jobs/{shop.next}']").click()
    expect(page.locator("#job-number")).to_have_text(shop.next)
    expect(page.locator("#job-timeline > li.here")).to_contain_text("Assembly")


def test_a_completed_job_offers_no_receive_and_its_history_csv_has_its_stage(new_page, shop):
    page = new_page()
    login(page, next_path=f"/jobs/{shop.done}")
    expect(page.locator("#job-status")).to_have_text("completed")
    expect(page.locator("#job-flow g[data-bucket=pending] text")).to_contain_text("0 g")
    expect(page.locator("#job-flow g[data-bucket=scrapped] text")).to_contain_text("2 g")
    expect(page.locator("#job-receive")).to_be_hidden()
    expect(page.locator(f"a[href='/jobs/{shop.done}/edit']")).to_be_visible()
    csv = page.request.get(f"/api/v1/jobs/{shop.done}/history.csv")
    assert csv.ok and "FAB" in csv.text()


def test_markup_in_product_names_and_shapes_stays_text(new_page, shop):
    page = new_page()
    login(page, next_path="/jobs")
    row = page.locator(f"#job-rows tr[data-job='{shop.waiting}']")
    expect(row).to_contain_text(XSS)
    expect(row.locator("img")).to_have_count(0)
    page.goto(f"/jobs/{shop.waiting}")
    expect(page.locator("#job-facts [data-fact=shape]")).to_contain_text(XSS)
    expect(page.locator("#job-timeline")).to_contain_text("Assembly")
    expect(page.locator("main img")).to_have_count(0)
    assert page.title() != "1"


ENGLISH = ["Production jobs", "Ongoing", "Unscheduled", "Scheduled", "Issued weight",
           "Pending weight", "Loss rate", "Previous", "Next", "Per page", "Page 1", "in progress",
           "Stage", "Where the material went", "Received", "Rejected", "Pending", "Efficiency",
           "Run history", "Issued lots", "Received output", " pcs", "Yield", "raw material"]


def _wider_than(page, width: int) -> list[str]:
    return page.evaluate(f"""() => [...document.querySelectorAll('main *')].filter(
        n => n.getBoundingClientRect().right > {width} + 0.5 && !n.closest('.table-scroll'))
        .map(n => n.tagName + '.' + n.className + '#' + n.id).slice(0, 8)""")


@pytest.mark.parametrize("width", [390, 800, 1024, 1280, 1920])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_job_pages_fit_every_width_in_either_language(new_page, floorline_server, shop,
                                                          width, lang):
    page = new_page(width, 800)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": floorline_server.url}])
    login(page, next_path="/jobs")
    expect(rows(page)).to_have_count(7)
    expect(page.locator("#overview-table tr[data-stage]")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, _wider_than(page, width)
    text = page.locator("main").inner_text()
    if width in (390, 1280):
        shoot(page, f"jobs-{width}-{lang}.png", full_page=True)
    page.goto(f"/jobs/{shop.half}")
    expect(page.locator("#job-flow g[data-bucket=received] text")).to_contain_text("20 g")
    expect(page.locator("#job-timeline > li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, _wider_than(page, width)
    box = page.locator("#job-flow svg").bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    text += page.locator("main").inner_text()
    if lang == "de":
        expect(page.locator("#job-status")).to_have_text("in Arbeit")
        expect(page.locator("#job-flow g[data-bucket=received] text")).to_contain_text("Eingebucht")
        left = [word for word in ENGLISH if word in text]
        assert not left, left
    if width in (390, 1280):
        shoot(page, f"job-{width}-{lang}.png", full_page=True)


def test_a_viewer_reads_the_pages_without_the_planners_actions(new_page, floorline_server, shop):
    floorline_server.api("POST", "/users", json={"username": "vic", "role": "viewer",
                                                 "password": "floorline"})
    page = new_page()
    login(page, "vic", next_path="/jobs")
    expect(rows(page)).to_have_count(7)
    expect(page.locator("a[href='/jobs/new']")).to_be_hidden()
    page.goto(f"/jobs/{shop.half}")
    expect(page.locator("#job-flow g[data-bucket=pending] text")).to_contain_text("25 g")
    for action in ("edit", "receive"):
        expect(page.locator(f"a[href='/jobs/{shop.half}/{action}']")).to_be_hidden()
    expect(page.locator(f"a[href='/api/v1/jobs/{shop.half}/label.pdf']")).to_be_hidden()
    expect(page.locator(f"a[href='/api/v1/jobs/{shop.half}/history.csv']")).to_be_visible()


def test_an_unknown_job_is_a_not_found_page(new_page, shop):
    page = new_page()
    login(page)
    assert page.goto("/jobs/J-2026-99999").status == 404
    expect(page.locator("h1")).to_have_text("Not found")


def test_efficiency_per_stage_and_per_staff_member_matches_the_stats(new_page, floorline_server,
                                                                     shop):
    page = new_page()
    login(page, next_path="/jobs")
    table = page.locator("#efficiency-rows")
    for by in ("stage", "staff"):
        page.locator(f"#efficiency .seg[data-by={by}]").click()
        stats = floorline_server.api("GET", f"/jobs/stats?by={by}").json()["rows"]
        assert stats, by
        expect(table.locator("tr[data-key]")).to_have_count(len(stats))
        for row in stats:
            cells = table.locator(f"tr[data-key='{row['key']}'] td")
            expect(cells.nth(0)).to_have_text(str(row["jobs"]))
            expect(cells.nth(1)).to_have_text(f"{row['weight']['issued']} g")
            expect(cells.nth(7)).to_have_text(
                "—" if row["yield"] is None else re.compile(r"^\d+(\.\d+)? %$"))
    # Every job is issued at one stage: the stage rows add up to the 115.5 g the summary shows.
    page.locator("#efficiency .seg[data-by=stage]").click()
    expect(page.locator("#eff-key")).to_have_text("Stage")
    issued = table.locator("tr[data-key] td:nth-child(3)").all_inner_texts()
    assert sum(float(text.removesuffix(" g").replace(",", "")) for text in issued) == 115.5
    # A range of issue days: every job here was issued today (by the server's clock).
    today = floorline_server.api("GET", "/jobs?per_page=1").json()["jobs"][0]["issued_on"]
    page.fill("#eff-from", today)
    page.dispatch_event("#eff-from", "change")
    page.fill("#eff-to", today)
    page.dispatch_event("#eff-to", "change")
    ranged = floorline_server.api("GET", f"/jobs/stats?by=stage&from={today}&to={today}")
    expect(table.locator("tr[data-key]")).to_have_count(len(ranged.json()["rows"]))
    expect(table.locator("tr[data-key='FAB'] td").nth(0)).to_have_text(
        str(next(r["jobs"] for r in ranged.json()["rows"] if r["key"] == "FAB")))
    page.fill("#eff-from", "2999-01-01")
    page.dispatch_event("#eff-from", "change")
    expect(table).to_contain_text("No jobs issued in this range")
    page.fill("#eff-from", "")
    page.fill("#eff-to", "2000-01-01")  # up to a day before any job
    page.dispatch_event("#eff-to", "change")
    expect(table).to_contain_text("No jobs issued in this range")
