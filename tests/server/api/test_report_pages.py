"""The traceability report pages, drawn on the server for a logged-in supervisor."""

from __future__ import annotations

import pytest

from tests.support.report_chain import build_chain


@pytest.fixture
def chain(app, plant_):
    return build_chain(app)


@pytest.fixture
def supervisor(app, plant_, browser_as):
    return browser_as("supervisor")


def test_the_index_links_the_four_traceability_reports(supervisor):
    page = supervisor.get("/reports").text
    for path in ("quality-trail", "genealogy", "cost", "material-usage"):
        assert f'href="/reports/{path}"' in page


def test_each_code_report_page_shows_the_report_and_its_files(supervisor, chain):
    serial = chain.serials[2]
    trail = supervisor.get(f"/reports/quality-trail/{serial}")
    assert trail.status_code == 200 and trail.text.count('data-stage="') == 5
    genealogy = supervisor.get(f"/reports/genealogy/{serial}")
    assert genealogy.status_code == 200
    assert "ACME-B1" in genealogy.text and f"/api/v1/reports/genealogy/{serial}.pdf" in \
        genealogy.text
    cost = supervisor.get(f"/reports/cost/{serial}")
    assert cost.status_code == 200 and 'id="total-cost">5.7<' in cost.text
    assert chain.lots["FLUX"] in cost.text  # named as cost unknown
    # The CSV link is the API's file, which the browser's session may fetch.
    assert supervisor.get(f"/api/v1/reports/cost/{serial}.csv").status_code == 200


def test_a_searched_code_goes_to_its_page_and_an_unknown_one_says_so(supervisor, chain):
    r = supervisor.get(f"/reports/cost?code={chain.runs[0]}")
    assert r.status_code == 302 and r.headers["Location"] == f"/reports/cost/{chain.runs[0]}"
    r = supervisor.get("/reports/genealogy/<b onclick=x>")
    assert r.status_code == 404 and 'id="report-error"' in r.text
    assert "<b onclick=x>" not in r.text  # escaped
    assert supervisor.get("/reports/quality-trail").status_code == 200


def test_the_usage_page_shows_a_range_and_refuses_a_bad_date(supervisor, chain):
    r = supervisor.get("/reports/material-usage?from=2026-03-01&to=2026-03-07")
    assert r.status_code == 200 and "0.9167" in r.text and chain.order in r.text
    r = supervisor.get("/reports/material-usage?from=2026-02-30")
    assert r.status_code == 400 and 'id="report-error"' in r.text
    r = supervisor.get("/reports/material-usage?item=NOPE")
    assert r.status_code == 404


def test_the_report_pages_need_a_supervisor(app, plant_, browser_as, chain):
    operator = browser_as("operator")
    assert operator.get(f"/reports/cost/{chain.serials[0]}").status_code == 403
    assert operator.get("/reports/material-usage").status_code == 403
    r = app.test_client().get("/reports/genealogy")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")


@pytest.mark.parametrize("text", ["nul\x00byte", "esc\x1b[31m"])
def test_the_pages_refuse_control_characters_with_a_404_page(supervisor, text):
    for report in ("quality-trail", "genealogy", "cost"):
        r = supervisor.get(f"/reports/{report}/{text}")
        assert r.status_code == 404 and 'id="report-error"' in r.text
    assert supervisor.get("/reports/material-usage", query_string={"item": text}
                          ).status_code == 404
