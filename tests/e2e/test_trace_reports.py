"""Traceability report pages in Chromium: search a serial, read its cost, genealogy and files."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def floorline_server(tmp_path_factory, sqlite_template):
    """A server on the report chain (tests/support/report_chain.py) with a supervisor login."""
    from werkzeug.security import generate_password_hash

    from server.app import create_app
    from server.models import User
    from tests.conftest import make_settings
    from tests.server.api.conftest import seed_plant
    from tests.server_process import FloorlineServer
    from tests.support.report_chain import build_chain

    tmp = tmp_path_factory.mktemp("trace-reports")
    shutil.copy(sqlite_template, tmp / "floorline.sqlite")
    url = f"sqlite:///{tmp / 'floorline.sqlite'}"
    app = create_app(make_settings(tmp, url))
    seed_plant(app)
    chain = build_chain(app)
    with app.extensions["floorline"].transaction() as s:
        user = s.query(User).filter_by(username="supervisor").one()
        user.password_hash = generate_password_hash("password-supervisor")
    app.extensions["floorline"].engine.dispose()
    srv = FloorlineServer(tmp / "instance", url)
    srv.instance.mkdir(parents=True, exist_ok=True)
    srv.chain = chain  # type: ignore[attr-defined]
    srv.start()
    yield srv
    srv.stop()


def test_a_supervisor_finds_a_serials_cost_and_genealogy_from_the_index(new_page,
                                                                       floorline_server):
    chain = floorline_server.chain
    serial = chain.serials[2]
    page = new_page()
    login(page, "supervisor", "password-supervisor", "/reports")
    page.get_by_role("link", name="Cost roll-up").click()
    page.fill("#report-code", serial)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{floorline_server.url}/reports/cost/{serial}")
    expect(page.locator("#total-cost")).to_have_text("5.7")
    expect(page.locator("#cost-unknown")).to_contain_text(chain.lots["FLUX"])
    expect(page.locator("#report-rows tr")).to_have_count(3)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "report-cost.png")
    res = page.request.get(page.locator("#csv").get_attribute("href"))
    assert res.ok and res.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.text())))
    assert {r["item"]: r["total_cost"] for r in rows} == {"COAT": "1.2", "FLUX": "",
                                                          "STEEL": "4.5"}

    page.goto(f"/reports/genealogy/{serial}")
    expect(page.locator("#materials-table tbody tr")).to_have_count(3)
    expect(page.locator("#materials-table")).to_contain_text("ACME-B1")
    expect(page.locator("#steps-table tbody tr")).to_have_count(4)
    expect(page.locator("#checks-table tbody tr")).to_have_count(5)
    pdf = page.request.get(page.locator("#pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_an_unknown_serial_is_said_in_words_and_the_usage_page_reads_a_range(
        new_page, floorline_server):
    page = new_page(1024, 600)
    login(page, "supervisor", "password-supervisor", "/reports")
    page.goto("/reports/quality-trail/FRM-2099-0101-9999")
    expect(page.locator("#report-error")).to_have_text(
        "There is no report for FRM-2099-0101-9999: no such code.")
    page.goto("/reports/material-usage")
    page.fill("#from", "2026-03-01")
    page.fill("#to", "2026-03-07")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#totals-table tbody tr")).to_have_count(3)
    expect(page.locator("#report-table")).to_contain_text(floorline_server.chain.order)
    expect(page.locator("#totals-table")).to_contain_text("0.9167")
