"""Languages: the picker's cookie, German pages, the browser catalogue, no .mo needed."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from server import i18n
from server.app import create_app
from server.domain.batches import Reason
from server.kiosk_messages import REASON_MESSAGES, REASON_WORDS
from server.migrate import upgrade
from server.services.scans import REASON_TEXT
from tests.conftest import make_settings

CATALOGUE = re.compile(r'<script id="i18n-catalogue" type="application/json">(.*?)</script>')


def make_app(tmp_path, sqlite_url):
    app = create_app(make_settings(tmp_path, sqlite_url))
    upgrade(app.extensions["floorline"].engine)
    return app


@pytest.fixture
def app(tmp_path, sqlite_url):
    app = make_app(tmp_path, sqlite_url)
    yield app
    app.extensions["floorline"].engine.dispose()


def csrf_of(client) -> str:
    client.get("/login")
    with client.session_transaction() as s:
        token: str = s["csrf"]
    return token


def test_login_page_follows_the_lang_cookie_and_accept_language(app):
    client = app.test_client()
    english = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in english and "Password" in english
    client.set_cookie("lang", "de")
    german = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in german and "Passwort" in german and "Password" not in german
    other = app.test_client()
    asked = other.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert "Anmelden" in asked.get_data(as_text=True)


def test_picking_a_language_sets_a_year_long_lax_cookie_and_goes_back(app):
    client = app.test_client()
    answer = client.post("/language", data={"csrf_token": csrf_of(client), "lang": "de",
                                            "next": "/runs?q=PR"})
    assert answer.status_code == 302 and answer.location == "/runs?q=PR"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("lang=de;") and "Max-Age=31536000" in cookie
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_the_picker_refuses_other_sites_unknown_languages_and_missing_csrf(app):
    client = app.test_client()
    token = csrf_of(client)
    away = client.post("/language", data={"csrf_token": token, "lang": "de",
                                          "next": "//evil.example/x"})
    assert away.location == "/runs"
    unknown = client.post("/language", data={"csrf_token": token, "lang": "xx", "next": "/"})
    assert unknown.status_code == 302 and "Set-Cookie" not in unknown.headers
    assert client.post("/language", data={"lang": "de"}).status_code == 403


def test_the_page_embeds_the_browser_share_of_the_catalogue(app):
    client = app.test_client()
    assert json.loads(CATALOGUE.search(client.get("/login").get_data(as_text=True))[1]) == {}
    client.set_cookie("lang", "de")
    catalogue = json.loads(CATALOGUE.search(client.get("/login").get_data(as_text=True))[1])
    assert catalogue["Unknown code"] == "Unbekannter Code"       # a kiosk answer
    assert catalogue["{n} min ago"] == "vor {n} min"             # common.js
    assert "Password" not in catalogue                           # templates translate themselves


def test_error_pages_are_titled_in_the_page_language(app):
    client = app.test_client()
    client.set_cookie("lang", "de")
    page = client.get("/kiosk/no-such-station")
    assert page.status_code == 404 and "<h1>Nicht gefunden</h1>" in page.get_data(as_text=True)


def test_create_app_works_without_compiled_catalogues(tmp_path, sqlite_url, monkeypatch):
    copy = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    assert not list(copy.rglob("*.mo"))
    monkeypatch.setattr(i18n, "TRANSLATIONS", copy)
    app = make_app(tmp_path, sqlite_url)
    client = app.test_client()
    client.set_cookie("lang", "de")
    assert "Passwort" in client.get("/login").get_data(as_text=True)
    app.extensions["floorline"].engine.dispose()


def test_a_stale_compiled_catalogue_is_not_used(tmp_path):
    copy = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    po = i18n.po_path(copy, "de")
    mo = po.with_suffix(".mo")
    mo.write_bytes(b"not a catalogue")
    stamp = po.stat().st_mtime
    os.utime(mo, (stamp - 60, stamp - 60))
    assert i18n.Catalogues(copy).gettext("de").gettext("Password") == "Passwort"


def test_the_kiosk_messages_are_the_server_answers():
    assert set(REASON_MESSAGES) == set(REASON_TEXT.values())
    assert set(REASON_WORDS) == {reason.value.replace("_", " ") for reason in Reason}
