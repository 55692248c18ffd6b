"""The job pages on the server, on SQLite and PostgreSQL: who may open them, an unknown job's
404 page, and user text that never reaches the HTML as markup."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest

XSS = "<img src=x onerror=alert(1)>"


def call(client, plant_, method, path, body=None):
    r = client.open(f"/api/v1{path}", method=method, json=body, headers=plant_.auth("planner"))
    assert r.status_code in (200, 201), (path, r.status_code, r.json)
    return r.json


@pytest.fixture
def job(client, plant_):
    """One open job at stage FAB, issued from a lot of an item whose name is markup."""
    call(client, plant_, "POST", "/warehouses", {"code": "MAIN", "name": "Main"})
    call(client, plant_, "POST", "/locations", {"warehouse": "MAIN", "code": "VAULT",
                                                "name": "Vault"})
    call(client, plant_, "POST", "/items", {"sku": "GOLD", "name": XSS, "kind": "raw_material",
                                            "unit": "g"})
    lot = call(client, plant_, "POST", "/lots", {"item": "GOLD", "quantity": "5", "unit": "g",
                                                 "location": "VAULT"})["number"]
    call(client, plant_, "POST", "/stages", {"code": "FAB", "name": XSS})
    return call(client, plant_, "POST", "/jobs", {"stage": "FAB", "issues": [{"lot": lot}],
                                                  "shape": XSS, "notes": XSS})["number"]


@pytest.fixture
def viewer(app, plant_, admin_password_for):
    """A browser logged in as the viewer (the lowest role the job pages allow)."""
    admin_password_for(app, "viewer", "password-viewer")
    browser = app.test_client()
    r = browser.post("/api/v1/auth/login", json={"username": "viewer",
                                                 "password": "password-viewer"})
    assert r.status_code == 200, r.json
    return browser


@pytest.mark.parametrize("path", ["/jobs", "/jobs/J-2026-00001"])
def test_the_job_pages_send_a_browser_without_a_login_to_the_login_page(app, plant_, path):
    r = app.test_client().get(path)
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/login?next=")
    assert path in unquote(r.headers["Location"])


def test_a_viewer_opens_the_list_and_the_job_page(viewer, job):
    listing = viewer.get("/jobs")
    assert listing.status_code == 200
    assert 'href="/jobs"' in listing.text  # the top bar's Jobs link
    assert 'id="job-rows"' in listing.text
    page = viewer.get(f"/jobs/{job}")
    assert page.status_code == 200
    assert f'data-job="{job}"' in page.text
    assert f'href="/api/v1/jobs/{job}/history.csv"' in page.text


@pytest.mark.parametrize("number", ["J-2026-99999", "NOPE", XSS, "J-2026-1'; DROP"])
def test_an_unknown_job_is_a_404_page_that_shows_no_markup(viewer, job, number):
    r = viewer.get(f"/jobs/{quote(number, safe='')}")
    assert r.status_code == 404
    assert r.mimetype == "text/html"
    assert "<img src=x" not in r.text


def test_markup_in_a_jobs_stage_product_shape_and_notes_never_reaches_the_html(viewer, job):
    for url in ("/jobs", f"/jobs/{job}"):
        page = viewer.get(url)
        assert page.status_code == 200, url
        assert "<img src=x" not in page.text, url  # the browser module writes text nodes
