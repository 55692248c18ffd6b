"""The language picker: German on the runs and login pages, kept on reload, and back."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


def test_picking_german_translates_the_pages_until_english_is_picked(new_page):
    page = new_page()
    page.goto("/login")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", "floorline")
    page.get_by_role("button", name="Log in").click()
    page.goto("/runs")
    expect(page.locator("#run-total")).to_have_text("3 runs")
    page.select_option(".language-picker select", "de")  # submits itself
    expect(page.locator("h1")).to_have_text("Fertigungsaufträge")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.endswith("/runs")
    # Texts from runs.js and common.js come from the embedded catalogue.
    expect(page.locator("#run-total")).to_have_text("3 Fertigungsaufträge")
    expect(page.locator("#run-rows .badge").first).to_have_text(re.compile("offen|in Arbeit"))
    expect(page.locator("#run-rows tr").first.locator("td").nth(6)).to_have_text(
        re.compile(r"^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$"))  # German date order
    shoot(page, "runs-de.png")
    page.reload()
    expect(page.locator("h1")).to_have_text("Fertigungsaufträge")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("h1")).to_have_text("Anmelden")  # the cookie outlives the login
    expect(page.locator(".language-picker button")).to_have_count(0)  # no-JS button only
    shoot(page, "login-de.png")
    page.select_option(".language-picker select", "en")
    expect(page.locator("h1")).to_have_text("Log in")
    page.reload()
    expect(page.locator(".login-card .muted")).to_have_text(
        "Operators log in at their station's kiosk with a badge.")
