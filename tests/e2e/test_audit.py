"""The audit page in Chromium: entries with hashes, filtering, and "Verify chain" that names an
entry edited in the database behind the server's back."""

import sqlite3

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server, shoot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    yield from seeded_server(tmp_path_factory, seeded_template, "audit")


def test_an_admin_filters_the_trail_and_verifies_the_chain_then_sees_a_forged_entry_named(
        new_page, floorline_server):
    page = new_page()
    login(page, "admin", next_path="/audit")
    expect(page.locator("h1")).to_have_text("Audit trail")
    rows = page.locator("#audit-rows tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("#page-info")).to_contain_text("entries")
    page.fill("input[name=entity_type]", "user")
    page.fill("input[name=key]", "planner")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("user.create")
    hash_cell = rows.first.locator("td.hash")
    expect(hash_cell).to_have_text(hash_cell.get_attribute("title")[:12])

    page.get_by_role("button", name="Verify chain").click()
    expect(page.locator("#verdict-title")).to_have_text("Audit chain OK")
    expect(page.locator("#verdict-text")).to_contain_text("entries verified")
    shoot(page, "audit.png")

    db = sqlite3.connect(floorline_server.database_url[len("sqlite:///"):])
    with db:
        db.execute("DROP TRIGGER audit_records_no_update")
        victim = db.execute("SELECT id FROM audit_records WHERE action = 'user.create' "
                            "AND entity_key = 'planner'").fetchone()[0]
        db.execute("UPDATE audit_records SET actor = 'mallory' WHERE id = ?", (victim,))
    db.close()
    page.get_by_role("button", name="Verify chain").click()
    expect(page.locator("#verdict-title")).to_have_text("Audit chain broken")
    expect(page.locator("#verdict-text")).to_contain_text(f"The first broken entry is {victim}")
    expect(page.locator("#verdict-text")).to_contain_text("its content was changed")
    expect(page.locator("#verdict-entry")).to_contain_text("mallory")


def test_a_planner_reads_the_trail_but_verifying_needs_the_admin(new_page, floorline_server):
    page = new_page(390, 844)
    login(page, "planner", next_path="/audit")
    expect(page.locator("#audit-rows tr").first).to_be_visible()
    expect(page.get_by_role("button", name="Verify chain")).to_be_hidden()
    expect(page.locator("#verify-needs-admin")).to_be_visible()
    expect(page.get_by_role("link", name="Audit")).to_have_count(1)
