"""The completion pages on the server: who may open them, unknown codes as 404 pages, and the
links to them from the batch, run and job pages."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest

from tests.support.completions import complete, done_batch
from tests.support.receiving import receiving_plant


@pytest.fixture
def made(app, client, plant_):
    receiving_plant(app)
    code = done_batch(client, plant_)
    serial = complete(client, plant_, code, quantity_completed=2).json["serials"][0]["code"]
    return code, serial


@pytest.mark.parametrize("path", ["/serials", "/serials/FRAME-2026-0101-0001",
                                  "/batches/B-2026-000001/complete"])
def test_the_pages_send_a_browser_without_a_login_to_the_login_page(app, plant_, path):
    r = app.test_client().get(path)
    assert r.status_code == 302 and path in unquote(r.headers["Location"])


def test_an_operator_opens_the_complete_form_and_a_viewer_is_refused(app, plant_, made,
                                                                     browser_as):
    code, _ = made
    operator = browser_as("operator")
    page = operator.get(f"/batches/{code}/complete")
    assert page.status_code == 200
    assert f'data-code="{code}"' in page.text and 'id="complete-form"' in page.text
    assert 'value="lot"' in page.text and 'id="job-lots"' not in page.text
    batch = operator.get(f"/batches/{code}")
    assert f'href="/batches/{code}/complete"' in batch.text and 'id="quality-checks"' in batch.text
    viewer = browser_as("viewer")
    assert viewer.get(f"/batches/{code}/complete").status_code == 403
    assert f'href="/batches/{code}/complete"' not in viewer.get(f"/batches/{code}").text


def test_a_viewer_opens_the_serial_list_and_a_serial(app, plant_, made, browser_as):
    _, serial = made
    viewer = browser_as("viewer")
    assert 'id="serial-rows"' in viewer.get("/serials").text
    page = viewer.get(f"/serials/{serial.lower()}")
    assert page.status_code == 200 and f'data-serial="{serial}"' in page.text
    assert f"/api/v1/serials/{serial}/label.pdf" in page.text


@pytest.mark.parametrize("path", ["/serials/FRAME-2026-0101-9999", "/serials/%3Cimg%20src=x%3E",
                                  "/batches/B-2026-999999/complete", "/jobs/J-2026-99999/complete"])
def test_unknown_codes_are_404_pages_without_markup(app, plant_, made, browser_as, path):
    operator = browser_as("operator")
    r = operator.get(path)
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert "<img src=x" not in r.text


def test_the_job_page_links_to_its_completion_without_a_lot_output(app, client, plant_,
                                                                   browser_as):
    from tests.support.job_floor import call, jewellery
    lots = jewellery(client, plant_)
    job = call(client, plant_, "POST", "/jobs", {"stage": "FAB", "issues": [{"lot": lots[0]}]})
    operator = browser_as("operator")
    number = quote(job["number"])
    assert f'href="/jobs/{number}/complete"' in operator.get(f"/jobs/{number}").text
    page = operator.get(f"/jobs/{number}/complete")
    assert page.status_code == 200
    # A job's output is in stock as lots already: no lot output, and the lots it is taken from.
    assert 'value="serials"' in page.text and 'value="lot"' not in page.text
    assert 'id="job-lots"' in page.text and 'id="job-lot-hint"' in page.text
