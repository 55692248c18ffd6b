"""Issue 11's "done when", as a new user would try it, in pages only.

A planner receives two supplier shipments of round bar into lots in two racks (one by a USB
scanner typing a GS1 label into the receiving page, one typed by hand on a phone), issues part
of each lot to the demo's ROD-8 run from its page, splits one of the run's batches there and
merges two of its parts, and then:
`floorline trace forward <lot>` gives each batch its exact share of that lot's weight, and the
trace page back from the merged batch lists both supplier lots with their shares.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from fractions import Fraction

import pytest
from playwright.sync_api import expect

from server.seed_inventory import RAW_MATERIALS
from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser
GS = "\x1d"
BAR_GTIN = next(gtin for sku, _, gtin, _ in RAW_MATERIALS if sku == "BAR-8")
# The first shipment as a scanner types its DataMatrix: AIM ]d2, GTIN, expiry 2028-12-31,
# net weight 240.00 kg (3102), supplier lot, GS (lot is variable length), serial; then Enter.
LABEL = "]d201" + BAR_GTIN + "17281231" + "3102024000" + "10H-31001" + GS + "21C7"
W1, W2 = Fraction(240), Fraction(80)  # the two lots' weights, kg
# Issued to the run, kg: together what its batches weigh (6 x 12.5 kg). A run given more than
# its batches weigh keeps the rest in a forward trace (server/domain/attribution.py).
W1_ISSUED, W2_ISSUED = Fraction(60), Fraction(15)
BATCH = Fraction(25, 2)  # the run's batches: 6 of 12.5 kg
PARTS = [Fraction(5), Fraction(9, 2), Fraction(3)]  # one batch split into these, kg


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """A seeded server of its own (the test writes lots, issues, splits and merges)."""
    yield from seeded_server(tmp_path_factory, seeded_template, "new-user-inventory")


def the_rod_run(srv) -> tuple[str, list[str]]:
    """The demo's run of six 12.5 kg ROD-8 batches, made of BAR-8."""
    number = srv.plant.runs[1]
    batches = srv.api("GET", f"/runs/{number}").json()["batches"]
    assert [(b["item"], b["quantity"], b["unit"]) for b in batches] == [("ROD-8", "12.5", "kg")] * 6
    return number, [b["code"] for b in batches]


def receive_by_scanning(page, srv) -> str:
    page.goto("/receiving")
    page.locator("#receipt-supplier").select_option("NORDSTAHL")
    page.fill("input[name=invoice_number]", "NS-INV-20001")
    scan = page.locator("#scan")
    scan.focus()
    scan.press_sequentially(LABEL)
    scan.press("Enter")
    line = page.locator(".receipt-line").nth(0)
    expect(line.locator("[name=item]")).to_have_value("BAR-8")  # found by its GTIN
    expect(line.locator("[name=quantity]")).to_have_value("240")
    expect(line.locator("[name=unit]")).to_have_value("kg")
    expect(line.locator("[name=supplier_lot]")).to_have_value("H-31001")
    expect(line.locator("[name=expiry]")).to_have_value("2028-12-31")
    line.locator("[name=location]").fill("STORES")
    line.locator("[name=bin]").fill("R3-01")
    shoot(page, "new-user-receiving-scan.png", full_page=True)
    page.click("#save-receipt")
    return saved_lot(page, srv, "H-31001", "240 kg", "STORES / R3-01")


def receive_by_hand(page, srv) -> str:
    page.goto("/receiving")
    page.locator("#receipt-supplier").select_option("WESTFALIA")
    page.fill("input[name=invoice_number]", "WS-7781")
    line = page.locator(".receipt-line").nth(0)
    line.locator("[name=item]").select_option("BAR-8")
    expect(line.locator("[name=unit]")).to_have_value("kg")  # the item's unit
    line.locator("[name=supplier_lot]").fill("WS-5521")
    line.locator("[name=quantity]").fill("80")
    line.locator("[name=location]").fill("LINESIDE")
    line.locator("[name=bin]").fill("R4-02")
    page.click("#save-receipt")
    return saved_lot(page, srv, "WS-5521", "80 kg", "LINESIDE / R4-02")


def saved_lot(page, srv, supplier_lot: str, quantity: str, place: str) -> str:
    """Wait for the receipt page, check its one line and return its lot number."""
    expect(page).to_have_url(re.compile(r"/receiving/RC-\d{4}-\d{5}$"))
    row = page.locator("#line-rows tr")
    expect(row).to_have_count(1)
    for text in (supplier_lot, quantity, place):
        expect(row).to_contain_text(text)
    receipt = srv.api("GET", f"/receipts/{page.url.rsplit('/', 1)[1]}").json()
    return str(receipt["lines"][0]["lot"])


def issue_from_the_run_page(page, run: str, lot: str, kg: Fraction, left: Fraction) -> None:
    page.goto(f"/runs/{run}")
    page.locator("#issue-material").click()
    form = page.locator("#issue-form")
    expect(form.locator("[name=code]")).to_have_value(run)
    expect(form.locator(f"[name=lot] option[value='{lot}']")).to_have_count(1)  # loaded
    form.locator("[name=lot]").select_option(lot)
    form.locator("[name=quantity]").fill(str(kg))
    form.locator("[name=unit]").fill("kg")
    form.locator("[type=submit]").click()
    expect(page.locator("#issued")).to_contain_text(f"{left} kg left")


def split_and_merge_on_the_run_page(page, srv, run: str, batch: str) -> tuple[list[str], str]:
    """Split batch into PARTS from the run page and merge its first two parts."""
    page.goto(f"/runs/{run}")
    page.locator(f"tr[data-batch='{batch}']").get_by_role("button", name="Split").click()
    page.fill("#split-input", ", ".join(str(float(p)).removesuffix(".0") for p in PARTS))
    page.locator("#split-dialog").get_by_role("button", name="Split batch").click()
    expect(page.locator("#toast")).to_contain_text(f"{batch} split into {len(PARTS)} batches")
    expect(page.locator(f"tr[data-batch='{batch}'] .badge")).to_have_text("split")
    made = [b for b in srv.api("GET", f"/runs/{run}").json()["batches"]
            if Fraction(b["quantity"]) in PARTS and b["state"] == "waiting"]
    parts = [b["code"] for b in made]
    assert [Fraction(b["quantity"]) for b in made] == PARTS
    merge = page.locator("#btn-merge")
    expect(merge).to_be_disabled()
    for code in parts[:2]:
        page.locator(f"tr[data-batch='{code}'] .merge-pick").check()
    merge.click()
    toast = page.locator("#toast", has_text="Merged into")
    expect(toast).to_be_visible()
    merged = re.search(r"Merged into (\S+?)\.", toast.inner_text())
    assert merged is not None
    expect(page.locator(f"tr[data-batch='{merged.group(1)}']")).to_contain_text("9.5 kg")
    # The batch flow is drawn again with the parts and the merged batch (6 + 3 + 1).
    expect(page.locator("#flow")).to_have_attribute("data-drawn", "10")
    shoot(page, "new-user-run-split-merge.png", full_page=True)
    return parts, merged.group(1)


def trace_cli(srv, direction: str, code: str) -> tuple[dict[str, object], str]:
    """Run `floorline trace` on the test server's database: its JSON and its tree."""
    env = {**os.environ, "FLOORLINE_DATABASE_URL": srv.database_url,
           "FLOORLINE_INSTANCE_PATH": str(srv.instance), "FLOORLINE_CONFIG": "/nonexistent"}
    out = []
    for extra in (["--json"], []):
        done = subprocess.run([sys.executable, "-m", "server.cli", "trace", direction, code,
                               *extra], env=env, capture_output=True, text=True, timeout=60,
                              check=False)
        assert done.returncode == 0, done.stderr
        out.append(done.stdout)
    return json.loads(out[0]), out[1]


def shares(body: dict[str, object]) -> dict[str, Fraction]:
    return {n["code"]: Fraction(n["share"]) for n in body["nodes"]}  # type: ignore[attr-defined,index]


def test_a_new_user_receives_issues_splits_merges_and_traces_both_ways(new_page,
                                                                      floorline_server):
    srv = floorline_server
    run, batches = the_rod_run(srv)
    desk = new_page(1280, 800)
    login(desk)
    lot1 = receive_by_scanning(desk, srv)
    shoot(desk, "new-user-receipt.png", full_page=True)
    phone = new_page(390, 844)  # the second shipment is typed in at the dock, on a phone
    login(phone)
    lot2 = receive_by_hand(phone, srv)

    issue_from_the_run_page(desk, run, lot1, W1_ISSUED, W1 - W1_ISSUED)
    issue_from_the_run_page(desk, run, lot2, W2_ISSUED, W2 - W2_ISSUED)
    desk.goto("/inventory")
    for lot, left in ((lot1, W1 - W1_ISSUED), (lot2, W2 - W2_ISSUED)):
        expect(desk.locator(f"#lot-rows tr[data-lot='{lot}']")).to_contain_text(f"{left} kg")
    shoot(desk, "new-user-inventory.png", full_page=True)

    parts, merged = split_and_merge_on_the_run_page(desk, srv, run, batches[0])

    # Forward from the scanned lot: each batch gets its issued share over the run's batches,
    # the parts their proportion of the split batch, the merged batch the sum of its two.
    each = W1_ISSUED / W1 / len(batches)
    expected = {lot1: Fraction(1), run: W1_ISSUED / W1, **dict.fromkeys(batches, each)}
    expected |= {p: each * q / BATCH for p, q in zip(parts, PARTS, strict=True)}
    expected[merged] = expected[parts[0]] + expected[parts[1]]
    body, tree = trace_cli(srv, "forward", "H-31001")  # the supplier's batch number
    assert body["start"] == {"kind": "lot", "code": lot1}  # type: ignore[index]
    assert shares(body) == expected
    amounts = {n["code"]: Fraction(n["amount"]) for n in body["nodes"]}  # type: ignore[attr-defined]
    assert amounts[batches[1]] == Fraction(10) and amounts[merged] == Fraction(38, 5)  # kg
    assert f"issue 60 kg -> run {run}  share 1/4 = 60 kg" in tree
    assert f"produce 12.5 kg -> batch {batches[1]}  share 1/24 = 10 kg" in tree
    assert f"merge 5 kg -> batch {merged}  share 19/600 = 7.6 kg" in tree

    # Back from the merged batch: both lots, each owed what it gave the run over all it got.
    back, _ = trace_cli(srv, "back", merged)
    got = shares(back)
    assert (got[lot1], got[lot2]) == (W1_ISSUED / (W1_ISSUED + W2_ISSUED),
                                      W2_ISSUED / (W1_ISSUED + W2_ISSUED)) == (4 / Fraction(5),
                                                                               1 / Fraction(5))
    desk.goto("/trace")
    desk.fill("#trace-code", merged)
    desk.select_option("#trace-direction", "back")
    desk.get_by_role("button", name="Trace", exact=True).click()
    for lot, supplier_lot, share in ((lot1, "H-31001", got[lot1]), (lot2, "WS-5521", got[lot2])):
        row = desk.locator(f'#trace-nodes tr[data-kind="lot"][data-code="{lot}"]')
        # The exact fraction, then its decimal where they differ ("4/5 ≈ 0.8").
        expect(row.locator(".share")).to_have_text(
            re.compile(rf"^{share}( ≈ {float(share)})?$".replace(".", r"\.")))
        expect(row.locator(".supplier-batch")).to_contain_text(supplier_lot)
    expect(desk.locator("#trace-graph")).to_have_attribute("data-drawn", re.compile(r"\d+"),
                                                            timeout=10_000)
    shoot(desk, "new-user-trace-back.png", full_page=True)


def test_a_split_that_does_not_add_up_says_why_on_the_run_page_and_changes_nothing(
        new_page, floorline_server):
    srv = floorline_server
    run = srv.plant.runs[1]
    before = srv.api("GET", f"/runs/{run}").json()["batches"]
    batch = next(b["code"] for b in before if b["state"] == "waiting")
    page = new_page(390, 844)
    login(page)
    page.goto(f"/runs/{run}")
    page.locator(f"tr[data-batch='{batch}']").get_by_role("button", name="Split").click()
    page.fill("#split-input", "5, 5")  # 10 of 12.5 kg
    page.locator("#split-dialog").get_by_role("button", name="Split batch").click()
    expect(page.locator("#split-error")).to_be_visible()
    expect(page.locator("#split-dialog")).to_be_visible()  # stays open to correct it
    assert srv.api("GET", f"/runs/{run}").json()["batches"] == before
