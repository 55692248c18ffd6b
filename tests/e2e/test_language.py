"""The language picker: German on the login and runs pages, kept on reload, and back."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


def test_picking_german_translates_the_pages_until_english_is_picked(new_page):
    page = new_page()
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Log in")
    page.select_option(".language-picker select", "de")
    expect(page.locator("h1")).to_have_text("Anmelden")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".language-picker button")).to_have_count(0)  # the select submits
    shoot(page, "login-de.png")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", "floorline")
    page.get_by_role("button", name="Anmelden").click()
    page.goto("/runs")
    expect(page.locator("h1")).to_have_text("Fertigungsaufträge")
    # Texts from runs.js and common.js come from the embedded catalogue.
    expect(page.locator("#run-total")).to_have_text("3 Fertigungsaufträge")
    expect(page.locator("#run-rows .badge").first).to_have_text(re.compile("offen|in Arbeit"))
    expect(page.locator("#run-rows tr").first.locator("td").nth(6)).to_have_text(
        re.compile(r"^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$"))  # German date order
    expect(page.get_by_role("link", name="Abmelden")).to_have_count(0)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    shoot(page, "runs-de.png")
    page.reload()
    expect(page.locator("h1")).to_have_text("Fertigungsaufträge")
    page.select_option(".language-picker select", "en")
    expect(page.locator("h1")).to_have_text("Production runs")
    expect(page.locator("#run-total")).to_have_text("3 runs")
    assert page.url.endswith("/runs")
