"""Setup pages for stations, customers, sales orders and users, in Chromium.

Every form is refused by the API's own rules (the error shows, nothing is made) and takes a
good value (which shows in the list). One server serves the whole module; each test makes
names of its own.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser
PASSWORD = "floorline"  # the seed's demo password


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server for the module (the page tests do not disturb each other)."""
    yield from seeded_server(tmp_path_factory, seeded_template, "setup-plant")


def make_user(srv, username: str, role: str) -> None:
    r = srv.api("POST", "/users", json={"username": username, "role": role,
                                        "password": PASSWORD})
    assert r.status_code == 201, r.text


def test_setup_pages_refuse_viewers_and_operators(new_page, floorline_server):
    srv = floorline_server
    for username, role in (("vera", "viewer"), ("otto", "operator"), ("suse", "supervisor")):
        make_user(srv, username, role)
    page = new_page()
    page.goto("/setup/users")
    assert page.url.endswith("/login?next=/setup/users")
    for username, paths in (("vera", ["/setup/stations", "/setup/customers", "/setup/users"]),
                            ("otto", ["/setup/stations", "/setup/orders", "/setup/orders/x"])):
        page = new_page()
        login(page, username)
        for path in paths:
            assert page.goto(path).status == 403, path
            expect(page.locator("#error")).to_contain_text("page needs the")
    page = new_page(390, 844)  # a supervisor's phone
    login(page, "suse")
    assert page.goto("/setup/stations").status == 200
    expect(page.locator("#station-rows tr")).to_have_count(5)
    expect(page.locator("#btn-new")).to_be_hidden()  # creating stations is the admin's
    page.locator("tr[data-station='qc-1'] a").click()
    expect(page.locator("#btn-enable")).to_have_text("Disable station")
    expect(page.locator("#btn-rotate")).to_be_hidden()  # rotating tokens too
    box = page.locator("#station-facts").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.goto("/setup/customers").status == 403
    assert page.goto("/setup/users").status == 403


def test_admin_creates_a_station_and_sees_its_token_once(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page, "admin")
    page.goto("/setup/stations")
    expect(page.locator("#station-rows tr")).to_have_count(5)
    expect(page.locator("tr[data-station='cut-1'] .health")).to_have_text("Offline")
    page.click("#btn-new")
    expect(page.locator("#operation option")).to_have_count(5)
    form = page.locator("#station-form")
    form.locator("[name=name]").fill("cut-1")
    form.locator("[name=operation]").select_option("WELD")
    form.get_by_role("button", name="Create station").click()
    expect(page.locator("#station-error")).to_contain_text("station 'cut-1' exists")
    assert len(srv.api("GET", "/stations").json()) == 5
    form.locator("[name=name]").fill("weld-2")
    form.locator("[name=description]").fill("Second welding cell")
    form.get_by_role("button", name="Create station").click()
    expect(page.locator("#token-once")).to_be_visible()
    expect(page.locator("#token-once")).to_contain_text("must be reconfigured")
    token = page.locator("#token-value").inner_text()
    assert token.startswith("fls_")
    expect(page.locator("#station-rows tr")).to_have_count(6)
    expect(page.locator("tr[data-station='weld-2']")).to_contain_text("WELD")
    # The token is the station's: the API knows it (and refuses it anything but scans).
    assert srv.api("GET", "/runs", role_token=token).status_code == 403
    shoot(page, "setup-stations.png")
    page.click("#token-hide")
    expect(page.locator("#token-once")).to_be_hidden()
    assert page.locator("#token-value").inner_text() == ""


def test_station_page_disables_rotates_and_asks_for_dead_letters(new_page, floorline_server):
    srv = floorline_server
    old = srv.plant.station_tokens["paint-1"]
    page = new_page()
    login(page, "admin")
    page.goto("/setup/stations/paint-1")
    expect(page.locator("#pair-link")).to_have_attribute("href", "/setup/stations/paint-1/pair")
    expect(page.locator("#station-enabled")).to_have_text("Enabled")
    page.fill("#enable-reason", "x" * 2001)
    page.click("#btn-enable")
    expect(page.locator("#enable-error")).to_contain_text("reason")
    assert srv.api("GET", "/stations/paint-1").json()["enabled"] is True
    page.fill("#enable-reason", "Booth cleaning")
    page.click("#btn-enable")
    expect(page.locator("#station-enabled")).to_have_text("Disabled")
    assert srv.api("GET", "/stations/paint-1").json()["enabled"] is False
    page.click("#btn-enable")
    expect(page.locator("#station-enabled")).to_have_text("Enabled")

    page.click("#btn-resend")
    expect(page.locator("#dead-done")).to_contain_text("offline")

    page.click("#btn-rotate")
    expect(page.locator("#rotate-confirm")).to_contain_text("must be reconfigured")
    page.click("#btn-rotate-now")
    expect(page.locator("#token-once")).to_be_visible()
    new = page.locator("#token-value").inner_text()
    assert new.startswith("fls_") and new != old
    assert srv.api("GET", "/runs", role_token=old).status_code == 401
    assert srv.api("GET", "/runs", role_token=new).status_code == 403  # known, a station's
    assert page.goto("/setup/stations/nope").status == 404


def test_planner_adds_and_renames_customers(new_page, floorline_server):
    srv = floorline_server
    page = new_page()
    login(page, "planner")
    page.goto("/setup/customers")
    expect(page.locator("#customer-rows tr")).to_have_count(1)
    form = page.locator("#customer-form")
    form.locator("[name=code]").fill("ACME")
    form.locator("[name=name]").fill("Another Acme")
    form.get_by_role("button", name="Add customer").click()
    expect(page.locator("#customer-error")).to_contain_text("customer 'ACME' exists")
    assert len(srv.api("GET", "/customers").json()) == 1
    form.locator("[name=code]").fill("BOLT")
    form.locator("[name=name]").fill("Bolt Works")
    form.get_by_role("button", name="Add customer").click()
    expect(page.locator("tr[data-customer='BOLT']")).to_contain_text("Bolt Works")

    row = page.locator("tr[data-customer='BOLT']")
    row.get_by_role("button", name="Edit").click()
    row.locator("input[name=name]").fill("x" * 201)
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#edit-error")).to_contain_text("name")
    assert {c["code"]: c["name"] for c in srv.api("GET", "/customers").json()}["BOLT"] == \
        "Bolt Works"
    row.locator("input[name=name]").fill("Bolt & Nut Co")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".customer-name")).to_have_text("Bolt & Nut Co")
    page.reload()
    expect(page.locator("tr[data-customer='BOLT']")).to_contain_text("Bolt & Nut Co")


def test_planner_creates_an_order_with_lines_and_moves_it_on(new_page, floorline_server):
    srv = floorline_server
    orders_before = len(srv.api("GET", "/orders").json())
    page = new_page()
    login(page, "planner")
    page.goto("/setup/orders")
    page.click("#btn-new")
    expect(page.locator("#order-customer option")).not_to_have_count(0)
    line = page.locator("#order-lines .line-row").nth(0)
    line.locator("[name=item]").select_option("FRAME-100")
    line.locator("[name=quantity]").fill("-5")
    page.click("#add-line")
    page.click("#add-line")
    expect(page.locator("#order-lines .line-row")).to_have_count(3)
    page.locator("#order-lines .line-row").nth(2).get_by_role("button", name="Remove").click()
    second = page.locator("#order-lines .line-row").nth(1)
    second.locator("[name=item]").select_option("ROD-8")
    expect(second.locator("[name=unit]")).to_have_value("kg")
    second.locator("[name=quantity]").fill("2.5")
    page.fill("#order-form [name=due_date]", "2027-03-01")
    page.get_by_role("button", name="Create order").click()
    expect(page.locator("#order-error")).to_contain_text("line 1 · quantity: must be more than 0")
    shoot(page, "setup-order-form.png")
    assert len(srv.api("GET", "/orders").json()) == orders_before
    line.locator("[name=quantity]").fill("12")
    page.get_by_role("button", name="Create order").click()
    expect(page).to_have_url(re.compile(r"/setup/orders/SO-"))
    number = page.url.rsplit("/", 1)[1]
    expect(page.locator("#line-rows tr")).to_have_count(2)
    expect(page.locator("#line-rows")).to_contain_text("2.5 kg")
    expect(page.locator("#status-actions button")).to_have_text(["Confirm", "Cancel order"])

    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#order-status")).to_have_text("Confirmed")
    expect(page.locator("#status-actions button")).to_have_text(["Start production",
                                                                 "Cancel order"])
    page.get_by_role("button", name="Create run from this order").click()
    expect(page.locator("#run-made-link")).to_have_text(re.compile(r"^PR-"))
    run = page.locator("#run-made-link").inner_text()
    expect(page.locator("#run-links")).to_contain_text(run)
    expect(page.locator("#order-status")).to_have_text("In production")
    expect(page.locator("#status-actions button")).to_have_text(["Mark shipped"])
    shoot(page, "setup-order.png")
    page.click("#run-made-link")
    expect(page).to_have_url(re.compile(f"/runs/{run}$"))

    page.goto("/setup/orders")
    page.select_option("#status-filter", "in_production")
    expect(page.locator(f"tr[data-order='{number}']")).to_be_visible()
    page.select_option("#status-filter", "estimate")
    expect(page.locator(f"tr[data-order='{number}']")).to_have_count(0)


def test_an_order_page_shows_the_refusal_of_a_move_made_stale(new_page, floorline_server):
    srv = floorline_server
    order = srv.api("POST", "/orders", json={"customer": "ACME", "lines": [
        {"item": "BRACKET-20", "quantity": "30", "unit": "pcs"}]}).json()
    page = new_page()
    login(page, "planner")
    page.goto(f"/setup/orders/{order['number']}")
    expect(page.locator("#status-actions button")).to_have_count(2)
    # Someone else cancels it meanwhile; the page still offers Confirm.
    srv.api("POST", f"/orders/{order['number']}/status", json={"status": "cancelled"})
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#status-error")).to_contain_text(
        "an order in cancelled cannot become confirmed")
    assert srv.api("GET", f"/orders/{order['number']}").json()["status"] == "cancelled"
    page.reload()
    expect(page.locator("#status-actions button")).to_have_count(0)
    expect(page.locator("#run-form")).to_be_hidden()


def test_admin_creates_edits_deactivates_users_and_revokes_their_tokens(new_page,
                                                                         floorline_server):
    srv = floorline_server
    page = new_page()
    login(page, "admin")
    page.goto("/setup/users")
    expect(page.locator("tr[data-user='admin']")).to_be_visible()
    expect(page.locator("tr[data-user='admin'] .btn-active")).to_have_count(0)  # not yourself
    page.click("#btn-new")
    form = page.locator("#user-form")
    form.locator("[name=username]").fill("nina")
    form.locator("[name=role]").select_option("operator")
    form.locator("[name=badge_code]").fill("BADGE-0077")
    form.locator("[name=pin]").fill("12")
    form.get_by_role("button", name="Create user").click()
    expect(page.locator("#user-error")).to_contain_text("pin")
    form.locator("[name=username]").fill("admin")
    form.locator("[name=pin]").fill("2468")
    form.get_by_role("button", name="Create user").click()
    expect(page.locator("#user-error")).to_contain_text("user 'admin' exists")
    assert "nina" not in [u["username"] for u in srv.api("GET", "/users").json()]
    form.locator("[name=username]").fill("nina")
    form.locator("[name=display_name]").fill("Nina")
    form.get_by_role("button", name="Create user").click()
    row = page.locator("tr[data-user='nina']")
    expect(row).to_contain_text("Operator")
    expect(row.locator(".set-flags")).to_have_text(re.compile("badge.*PIN"))
    assert "2468" not in page.content() and "BADGE-0077" not in page.content()

    token = srv.api("POST", "/tokens", json={"username": "nina", "name": "script"}).json()
    row.get_by_role("button", name="Edit").click()
    edit = page.locator("#edit-form")
    expect(edit.locator("[name=display_name]")).to_have_value("Nina")
    edit.locator("[name=pin]").fill("abcd")
    edit.get_by_role("button", name="Save").click()
    expect(page.locator("#edit-error")).to_contain_text("pin")
    edit.locator("[name=role]").select_option("supervisor")
    edit.locator("[name=display_name]").fill("Nina K")
    edit.locator("[name=pin]").fill("13579")
    edit.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Supervisor")
    expect(row).to_contain_text("Nina K")
    nina = next(u for u in srv.api("GET", "/users").json() if u["username"] == "nina")
    assert (nina["role"], nina["has_pin"], nina["has_badge"]) == ("supervisor", True, True)

    tokens = page.locator("#token-rows tr")
    expect(tokens).to_have_count(1)
    expect(tokens).to_contain_text("script")
    assert srv.api("GET", "/auth/me", role_token=token["token"]).status_code == 200
    tokens.get_by_role("button", name="Revoke").click()
    expect(tokens).to_contain_text("Revoked")
    assert srv.api("GET", "/auth/me", role_token=token["token"]).status_code == 401
    shoot(page, "setup-users.png")

    row.get_by_role("button", name="Deactivate").click()
    expect(row).to_contain_text("Deactivated")
    row.get_by_role("button", name="Reactivate").click()
    expect(row.locator(".badge")).to_have_text("Active")
