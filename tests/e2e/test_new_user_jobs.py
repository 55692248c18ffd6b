"""Issues 12 and 14's "done when", as a new user would try it, through the pages.

Plant setup (gold items with RING's scrap SKU, two gold lots, stage FAB served by cut-1) is
made over the API, as its own pages are tested elsewhere. Then a planner issues both lots into
a job on the stepper, receives it in two partial receipts on the receive page (one in grams,
one in carats) with rejection, scrap and waste each time, and sees: the balance at zero pending
and the job completed, the flow picture's bands (labels and heights in the hand-computed grams),
the run history, the job counted completed in the stage x status chart on /jobs, both scrap
lots in inventory under GOLD-SCRAP; and
`floorline trace back <received lot>` names both issued lots with their shares.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot
from tests.support.cli import floorline_cli

pytestmark = pytest.mark.browser
CT = Decimal("0.2")  # grams per carat
LOTS = (Decimal(30), Decimal(20))  # g, issued in full with 6 and 4 pieces
# Receipt 1, all in g: 5 good pieces of 20 g, 1 rejected of 4 g, 3 g scrap, 1 g waste.
# Receipt 2, all in ct: 3 good of 50 ct, 1 rejected of 20 ct, 25 ct scrap, 15 ct waste.
FIRST = {"good": (5, "20"), "rejected": (1, "4"), "scrap": "3", "waste": "1"}
SECOND = {"good": (3, "50"), "rejected": (1, "20"), "scrap": "25", "waste": "15"}
RECEIVED = Decimal(20) + 50 * CT  # 30 g
REJECTED = Decimal(4) + 20 * CT  # 8 g
SCRAPPED = Decimal(3) + 25 * CT  # 8 g
WASTE = Decimal(1) + 15 * CT  # 4 g
ISSUED = sum(LOTS, Decimal(0))  # 50 g
assert RECEIVED + REJECTED + SCRAPPED + WASTE == ISSUED  # nothing left pending
# Each node's drawn height in the flow picture, by bucket.
HEIGHTS = """() => Object.fromEntries([...document.querySelectorAll(
    '#job-flow g[data-bucket] rect')].map(r => [r.parentNode.dataset.bucket,
    r.getBBox().height]))"""


def _shop(srv) -> None:
    for sku, kind in (("GOLD", "raw_material"), ("GOLD-SCRAP", "scrap"), ("RING", "finished")):
        assert srv.api("POST", "/items", json={"sku": sku, "name": f"{sku.title()} 18k",
                                               "kind": kind, "unit": "g"}).ok
    assert srv.api("PUT", "/items/RING/scrap-item", json={"scrap_sku": "GOLD-SCRAP"}).ok
    assert srv.api("POST", "/stages", json={"code": "FAB", "name": "Fabrication",
                                            "stations": ["cut-1"]}).ok
    srv.gold = []
    for qty in LOTS:
        r = srv.api("POST", "/lots", json={"item": "GOLD", "quantity": str(qty), "unit": "g",
                                           "location": "STORES"})
        assert r.ok, r.text
        srv.gold.append(r.json()["number"])


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "new-user-jobs", setup=_shop)


def ready(page, path: str) -> None:
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def g(amount: Decimal) -> str:
    """How the pages write an amount of grams: 30 g, 8 g, 0 g."""
    return f"{amount.normalize():f} g"


def create_job_on_the_stepper(page, lots: list[str]) -> str:
    ready(page, "/jobs/new")
    context = page.locator("#step-context")
    context.locator("[name=stage]").select_option("FAB")
    context.locator("[name=product_q]").fill("gold")
    context.locator("[name=product_q]").press("Enter")
    context.get_by_role("button", name="Add GOLD — Gold 18k").click()
    for lot, pieces in zip(lots, ("6", "4"), strict=True):
        row = context.locator(f"#lot-rows tr[data-lot='{lot}']")
        row.get_by_role("checkbox").check()  # the full quantity, the default
        row.locator("[data-part=pieces]").fill(pieces)
    context.get_by_role("button", name="Next").click()
    specs = page.locator("#step-specs")
    expect(specs).to_be_visible()
    specs.locator("[name=shape]").fill("ring")
    specs.get_by_role("button", name="Next").click()
    details = page.locator("#step-details")
    expect(details).to_be_visible()
    expect(details.locator("#summary")).to_contain_text(g(ISSUED))
    details.locator("[name=deadline]").fill("2099-12-31")
    details.locator("[name=assignee]").select_option("planner")
    details.locator("[name=confirm]").check()
    details.get_by_role("button", name="Create job").click()
    ok = page.locator("#step-done #done-ok")
    expect(ok).to_contain_text("is created")
    found = re.search(r"J-\d{4}-\d{5}", ok.inner_text())
    assert found is not None
    return found.group(0)


def receive(page, number: str, unit: str, parts: dict, pending: tuple[str, str]) -> dict:
    """One receipt on the receive page, every amount in unit; return the saved rows' lots."""
    page.goto(f"/jobs/{number}/receive")  # ready once the products are in the row's list
    expect(page.locator('[data-path="rows.0.item"] option[value=RING]')).to_have_count(1)

    def field(path: str):
        return page.locator(f'[data-path="{path}"]')
    field("rows.0.item").select_option("RING")
    pieces, weight = parts["good"]
    field("rows.0.pieces").fill(str(pieces))
    field("rows.0.weight").fill(weight)
    field("rows.0.unit").select_option(unit)
    field("rows.0.waste_weight").fill(parts["waste"])
    field("rows.0.waste_unit").select_option(unit)
    page.get_by_label("Output has rejection").check()
    pieces, weight = parts["rejected"]
    field("rows.0.rejection.pieces").fill(str(pieces))
    field("rows.0.rejection.weight").fill(weight)
    field("rows.0.rejection.unit").select_option(unit)
    page.get_by_label("Output has scrap").check()
    field("rows.0.scrap.weight").fill(parts["scrap"])
    field("rows.0.scrap.unit").select_option(unit)
    after = '#balance-rows tr[data-bucket="pending"] .jr-after[data-dim="{}"]'
    expect(page.locator(after.format("pieces"))).to_have_text(pending[0])
    expect(page.locator(after.format("weight"))).to_have_text(pending[1])
    page.click("#save-receipt")
    expect(page.locator("#saved")).to_be_visible()
    rows = page.locator("#saved-rows tr")
    expect(rows).to_have_count(4)  # good, rejected, scrapped, waste
    lots = {}
    for bucket in ("received", "rejected", "scrapped"):
        link = page.locator(f'#saved-rows tr[data-bucket="{bucket}"] a.mono')
        expect(link).to_be_visible()
        lots[bucket] = link.inner_text()
    expect(page.locator('#saved-rows tr[data-bucket="waste"]')).to_contain_text(
        "recorded as loss")
    return lots


def test_a_new_user_issues_two_lots_receives_twice_and_traces_back(new_page, floorline_server,
                                                                   monkeypatch):
    srv = floorline_server
    page = new_page(1280, 900)
    login(page, "planner")
    number = create_job_on_the_stepper(page, srv.gold)

    # 50 g - 20 - 4 - 3 - 1 = 22 g and 10 - 5 - 1 = 4 pcs left; then all of it, in carats.
    first = receive(page, number, "g", FIRST, ("4", "22 g"))
    expect(page.locator("#saved-title")).to_contain_text("in progress")
    second = receive(page, number, "ct", SECOND, ("0", "0 g"))
    expect(page.locator("#saved-title")).to_contain_text("completed")

    page.click("#back-to-job")
    expect(page).to_have_url(f"{srv.url}/jobs/{number}")
    expect(page.locator("#job-status")).to_have_text("completed")
    flow = page.locator("#job-flow svg")
    bands = {"issued": ISSUED, "received": RECEIVED, "rejected": REJECTED,
             "scrapped": SCRAPPED, "waste": WASTE, "pending": Decimal(0)}
    for bucket, grams in bands.items():
        expect(flow.locator(f"g[data-bucket={bucket}] text")).to_contain_text(g(grams))
    expect(flow.locator("g[data-bucket=received] text")).to_contain_text("60 %")  # 30 of 50
    heights = page.evaluate(HEIGHTS)
    # Band widths follow the weights: 30 g received is 3.75 times 8 g rejected, and each
    # bucket's share of the issued node is its share of the 50 g.
    assert heights["received"] == pytest.approx(float(RECEIVED / REJECTED) * heights["rejected"],
                                                rel=0.01)
    for bucket in ("received", "rejected", "scrapped", "waste"):
        assert heights[bucket] == pytest.approx(float(bands[bucket] / ISSUED) * heights["issued"],
                                                rel=0.01), bucket
    assert flow.locator("g[data-bucket=pending] path").count() == 0  # nothing pending: no band
    assert heights["scrapped"] == pytest.approx(2 * heights["waste"], rel=0.01)
    table = page.locator("#bucket-table")
    expect(table.locator("tr[data-measure=weight] td[data-bucket=pending]")).to_have_text("0 g")
    expect(page.locator("#job-receive")).to_be_hidden()
    steps = page.locator("#job-timeline > li")
    expect(steps).to_have_count(1)
    expect(steps.nth(0)).to_contain_text("Fabrication")
    expect(steps.nth(0).locator("[data-bucket=received]")).to_contain_text(g(RECEIVED))
    # The stage's losses are its scrap and its waste: 8 g + 4 g = 12 g, 24 % of 50 g.
    expect(steps.nth(0).locator("[data-part=losses]")).to_contain_text(
        f"Lost {g(SCRAPPED + WASTE)} (24 %)")
    expect(page.locator("#job-events li")).to_have_count(3)  # issued, two receipts
    expect(page.locator("#issue-rows a.lot-link")).to_have_count(2)
    shoot(page, "job-flow.png", full_page=True)
    page.locator(".segmented [data-measure=pieces]").click()  # 6 + 4 issued, 5 + 3 good
    for bucket, pieces in (("issued", 10), ("received", 8), ("rejected", 2), ("pending", 0)):
        expect(flow.locator(f"g[data-bucket={bucket}] text")).to_contain_text(f"{pieces} pcs")
    heights = page.evaluate(HEIGHTS)
    assert heights["received"] == pytest.approx(0.8 * heights["issued"], rel=0.01)
    assert heights["rejected"] == pytest.approx(0.2 * heights["issued"], rel=0.01)

    job = srv.api("GET", f"/jobs/{number}").json()
    assert job["status"] == "completed" and len(job["receipts"]) == 2
    assert {k: Decimal(job["balance"]["weight"][k]) for k in bands} == bands
    assert job["balance"]["pieces"]["pending"] in (0, "0")

    page.goto("/jobs")
    cell = page.locator("#overview-table tr[data-stage=FAB] td[data-status=completed]")
    expect(cell).to_have_text("1")
    chart = page.evaluate("""() => Object.fromEntries(Chart.getChart(
        document.getElementById('overview-chart')).data.datasets.map(d => [d.status, d.data]))""")
    assert chart["completed"] == [1]

    for receipt, scrap_grams in ((first, Decimal(3)), (second, 25 * CT)):
        page.goto(f"/inventory/lots/{receipt['scrapped']}")
        facts = page.locator("#lot-facts")
        expect(facts).to_contain_text("GOLD-SCRAP")
        expect(facts).to_contain_text(g(scrap_grams))
    # Both scrap lots are in stock under GOLD-SCRAP on the inventory list, and only they.
    page.goto("/inventory")
    page.locator("#lot-filter [name=item]").fill("GOLD-SCRAP")
    scrap_rows = page.locator("#lot-rows tr[data-lot]")
    expect(scrap_rows).to_have_count(2)
    for receipt, scrap_grams in ((first, Decimal(3)), (second, 25 * CT)):
        lot_row = page.locator(f"#lot-rows tr[data-lot='{receipt['scrapped']}']")
        expect(lot_row).to_contain_text("GOLD-SCRAP")
        expect(lot_row).to_contain_text(g(scrap_grams))
    page.goto(f"/inventory/lots/{first['rejected']}")
    expect(page.locator("#lot-status")).to_have_text(re.compile("quarantined", re.I))

    run = floorline_cli(monkeypatch, srv.instance, srv.database_url)
    received = second["received"]
    body = json.loads(run("trace", "back", received, "--json"))
    share = {n["code"]: Fraction(n["share"]) for n in body["nodes"]}
    lot1, lot2 = srv.gold
    assert share[number] == 1
    assert (share[lot1], share[lot2]) == (Fraction(3, 5), Fraction(2, 5))  # 30 g and 20 g of 50
    tree = run("trace", "back", received)
    # The tree a person reads names each issued lot under the job, with its share.
    assert re.search(rf"<- job {number}  share 1\b", tree), tree
    for lot, grams, part in ((lot1, 30, "3/5"), (lot2, 20, "2/5")):
        assert re.search(rf"issue {grams} g <- lot {lot}  share {part}\b", tree), tree
