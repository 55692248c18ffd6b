"""Every office page fits the screen from a phone to a wall monitor, in English and German."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, seeded_server
from tests.support.job_pages import one_job

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, seeded_template):
    """One seeded server with a half-received job for the module: these tests only read pages."""
    yield from seeded_server(tmp_path_factory, seeded_template, "office-fit",
                             setup=lambda srv: setattr(srv, "job", one_job(srv)))


OFFICE_PAGES = ["/runs", "/inventory", "/inventory/locations", "/receiving", "/setup/suppliers",
                "/trace", "/recall", "/setup", "/reports", "/setup/stages", "/jobs", "/jobs/new",
                "/jobs/{job}", "/jobs/{job}/edit", "/jobs/{job}/receive", "/shipments",
                "/shipments/new"]
WIDE = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [390, 800, 1024, 1280, 1920])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_office_pages_fit_the_screen_in_either_language(new_page, floorline_server, width, lang):
    page = new_page(width, 700)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": floorline_server.url}])
    login(page, "admin")
    for path in OFFICE_PAGES:
        page.goto(path.format(job=floorline_server.job))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.evaluate(WIDE), f"{path} is wider than {width} px in {lang}"
        header = page.locator(".topbar").bounding_box()
        assert header is not None and header["x"] + header["width"] <= width + 0.5, path
