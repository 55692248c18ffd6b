"""Setup pages for the catalogue: the index, operations, items with routings, machines.

Every form sends a bad value and sees the API's refusal with nothing created, then a good
value that appears in the list. One server for the module: each test works on its own rows.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server for the module (the shared fixture starts one per test)."""
    yield from seeded_server(tmp_path_factory, seeded_template, "setupcat")


def names(srv, path, key):
    return [row[key] for row in srv.api("GET", path).json()]


def test_setup_index_links_every_section(new_page):
    page = new_page()
    login(page)
    page.goto("/setup")
    cards = page.locator(".setup-card")
    expect(cards).to_have_count(11)
    assert [cards.nth(i).get_attribute("href") for i in range(11)] == [
        "/setup/operations", "/setup/items", "/setup/machines", "/setup/stations",
        "/setup/stages",
        "/setup/customers", "/setup/orders", "/inventory/locations", "/setup/suppliers",
        "/receiving", "/setup/users"]
    shoot(page, "setup-index.png")
    cards.first.click()
    expect(page.locator("h1")).to_have_text("Operations")


def test_setup_pages_refuse_viewers_and_send_strangers_to_log_in(new_page, floorline_server):
    floorline_server.api("POST", "/users", json={"username": "vic", "role": "viewer",
                                                 "password": "viewer-pass"})
    page = new_page()
    page.goto("/setup/items")
    assert page.url.endswith("/login?next=/setup/items")
    login(page, "vic", "viewer-pass")
    for path in ("/setup", "/setup/operations", "/setup/items/ROD-8", "/setup/machines"):
        assert page.goto(path).status == 403, path
        expect(page.locator("#error")).to_contain_text("page needs the planner role")


def test_operations_refuse_a_duplicate_and_a_long_name_then_add_edit_and_archive(
        new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page)
    page.goto("/setup/operations")
    expect(page.locator("#op-rows tr")).to_have_count(5)
    form = page.locator("#op-form")
    form.locator("[name=code]").fill("CUT")
    form.locator("[name=name]").fill("Cut again")
    form.get_by_role("button", name="Add operation").click()
    expect(form.locator(".form-error")).to_have_text("An operation with this code already exists.")
    form.locator("[name=code]").fill("DEBURR")
    form.locator("[name=name]").fill("x" * 201)
    form.get_by_role("button", name="Add operation").click()
    expect(form.locator("[data-error-for=name]")).to_contain_text("at most 200 characters")
    assert "DEBURR" not in names(srv, "/operations", "code")
    form.locator("[name=name]").fill("Deburr")
    form.locator("[name=is_quality_check]").check()
    form.get_by_role("button", name="Add operation").click()
    new = page.locator("#op-rows tr[data-code=DEBURR]")
    expect(new).to_contain_text("Deburr")
    expect(form.locator("[name=code]")).to_have_value("")
    new.get_by_role("button", name="Edit").click()
    page.fill("#op-edit-form [name=name]", "Deburr edges")
    page.locator("#op-edit-form [name=is_quality_check]").uncheck()
    page.locator("#op-edit-form").get_by_role("button", name="Save").click()
    expect(new).to_contain_text("Deburr edges")
    expect(new.locator("td").nth(2)).to_have_text("No")
    # In a routing: refused, with the API's reason. Unused: archived.
    page.locator("#op-rows tr[data-code=CUT]").get_by_role("button", name="Archive").click()
    expect(page.locator("#op-list-error")).to_contain_text("cannot be archived")
    new.get_by_role("button", name="Archive").click()
    expect(new).to_contain_text("Archived")
    shoot(page, "setup-operations.png")
    op = srv.api("GET", "/operations/DEBURR").json()
    assert (op["name"], op["is_quality_check"], op["archived"]) == ("Deburr edges", False, True)


def test_items_refuse_a_negative_cost_and_a_duplicate_sku_then_add_one(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page)
    page.goto("/setup/items")
    expect(page.locator("#item-rows tr")).to_have_count(6)  # 3 made items, 3 raw materials
    form = page.locator("#item-form")
    form.locator("[name=sku]").fill("PLATE-5")
    form.locator("[name=name]").fill("Plate 5 mm")
    form.locator("[name=kind]").select_option("raw_material")
    form.locator("[name=unit]").select_option("kg")
    form.locator("[name=standard_cost]").fill("-2")
    form.get_by_role("button", name="Add item").click()
    expect(form.locator("[data-error-for=standard_cost]")).to_have_text(
        "Enter an amount of 0 or more, as digits with an optional point.")
    form.locator("[name=sku]").fill("ROD-8")
    form.locator("[name=standard_cost]").fill("2.40")
    form.get_by_role("button", name="Add item").click()
    expect(form.locator(".form-error")).to_have_text("An item with this SKU already exists.")
    assert "PLATE-5" not in names(srv, "/items", "sku")
    form.locator("[name=sku]").fill("PLATE-5")
    form.get_by_role("button", name="Add item").click()
    expect(page).to_have_url("/setup/items/PLATE-5")
    item = srv.api("GET", "/items/PLATE-5").json()
    assert (item["kind"], item["unit"], item["standard_cost"]) == ("raw_material", "kg", "2.400000")
    page.goto("/setup/items")
    expect(page.locator("#item-rows tr[data-sku=PLATE-5]")).to_contain_text("Plate 5 mm")


def test_item_page_edits_fields_and_versions_the_routing_without_moving_batches(
        new_page, floorline_server):
    srv = floorline_server
    active = sum(1 for run in srv.plant.runs
                 for b in srv.api("GET", f"/runs/{run}").json()["batches"]
                 if b["item"] == "BRACKET-20" and b["state"] == "waiting")
    page = new_page(390, 844)  # a phone: the routing editor is buttons, big enough to tap
    login(page)
    page.goto("/setup/items/BRACKET-20")
    steps = page.locator("#route-steps li")
    expect(steps).to_have_count(3)
    form = page.locator("#item-form")
    form.locator("[name=name]").fill("y" * 201)
    form.get_by_role("button", name="Save item").click()
    expect(form.locator("[data-error-for=name]")).to_contain_text("at most 200 characters")
    assert srv.api("GET", "/items/BRACKET-20").json()["name"] == "Bracket 20 mm"
    form.locator("[name=name]").fill("Bracket 20 mm, zinc")
    form.get_by_role("button", name="Save item").click()
    expect(page.locator("#toast")).to_have_text("Item saved.")
    # CUT, PAINT, QC → add WELD, move it up twice, remove QC: CUT, WELD, PAINT.
    page.select_option("#route-op", "WELD")
    page.click("#route-add")
    page.get_by_role("button", name="Move WELD up").click()
    page.get_by_role("button", name="Move WELD up").click()
    page.get_by_role("button", name="Remove QC").click()
    assert [steps.nth(i).get_attribute("data-op") for i in range(3)] == ["CUT", "WELD", "PAINT"]
    page.fill("#route-note", "weld before paint")
    page.click("#route-save")
    expect(page.locator("#routing-version")).to_have_text("version 2")
    rows = page.locator("#version-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("current")
    expect(rows.nth(0).locator(".active-batches")).to_have_text("0")
    expect(rows.nth(1).locator(".active-batches")).to_have_text(str(active))
    page.evaluate("document.getElementById('toast').hidden = true")
    page.set_viewport_size({"width": 1280, "height": 800})
    shoot(page, "setup-item-routing.png", full_page=True)
    item = srv.api("GET", "/items/BRACKET-20").json()
    assert [s["operation"] for s in item["routing"]] == ["CUT", "WELD", "PAINT"]
    assert item["name"] == "Bracket 20 mm, zinc"
    batch = next(b for b in srv.api("GET", f"/runs/{srv.plant.runs[0]}").json()["batches"]
                 if b["item"] == "BRACKET-20")
    assert srv.api("GET", f"/batches/{batch['code']}").json()["routing"] == ["CUT", "PAINT", "QC"]


def test_machines_refuse_a_duplicate_code_then_add_edit_and_disable(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page, "admin")
    page.goto("/setup/machines")
    expect(page.locator("#machine-rows tr")).to_have_count(5)
    form = page.locator("#machine-form")
    form.locator("[name=code]").fill("M-CUT-1")
    form.locator("[name=name]").fill("Second saw")
    form.get_by_role("button", name="Add machine").click()
    expect(form.locator(".form-error")).to_have_text("A machine with this code already exists.")
    assert names(srv, "/machines", "code").count("M-CUT-1") == 1
    form.locator("[name=code]").fill("SAW-2")
    form.locator("[name=station]").select_option("cut-1")
    form.get_by_role("button", name="Add machine").click()
    row = page.locator("#machine-rows tr[data-code=SAW-2]")
    expect(row).to_contain_text("cut-1")
    row.get_by_role("button", name="Edit").click()
    page.fill("#machine-edit-form [name=name]", "Band saw")
    page.select_option("#machine-edit-form [name=station]", "")
    page.locator("#machine-edit-form").get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Band saw")
    row.get_by_role("button", name="Disable").click()
    expect(row).to_contain_text("Disabled")
    machine = next(m for m in srv.api("GET", "/machines").json() if m["code"] == "SAW-2")
    assert (machine["name"], machine["station"], machine["enabled"]) == ("Band saw", None, False)


def test_a_planner_sees_machines_but_no_admin_forms(new_page):
    page = new_page()
    login(page)
    page.goto("/setup/machines")
    expect(page.locator("#machine-rows tr").first).to_be_visible()
    expect(page.locator("#machine-form")).to_be_hidden()
    expect(page.get_by_text("needs the admin role")).to_be_visible()
