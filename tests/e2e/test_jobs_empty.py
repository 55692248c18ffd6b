"""The production list of a plant without jobs: it says so, and a filter says nothing matches."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.browser


def test_a_plant_without_jobs_says_there_are_none_yet(new_page):
    page = new_page()
    login(page, next_path="/jobs")
    expect(page.locator("#job-rows")).to_have_text("No jobs yet")
    expect(page.locator("#overview-table tbody")).to_have_text("No jobs yet")
    expect(page.locator("#job-tabs [data-view=all] .tab-count")).to_have_text("0")
    expect(page.locator("#sum-loss")).to_have_text("—")
    expect(page.locator("#page-info")).to_have_text("Page 1 of 1")
    page.locator("#job-tabs [data-view=completed]").click()
    expect(page.locator("#job-rows")).to_have_text("No jobs match")
    expect(page.locator("a[href='/jobs/new']")).to_be_visible()  # the planner may make one
