"""Browser fixtures: one headless Chromium per session, a fresh context per test."""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import socketio
from playwright.sync_api import expect

from tests.support.sockets import close_in_background

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
# A 2-core CI machine running four workers, their servers and browsers at once can take
# longer than Playwright's default 5 s to show what a test waits for; waiting longer changes
# nothing a passing test sees.
expect.set_options(timeout=15_000)
# Errors the browser logs by itself while a test has the server down on purpose.
EXPECTED = re.compile(r"Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket connection to")
# Screenshots go to test-artifacts/ (ignored by git); `make screenshots` refreshes the README's.
SCREENSHOTS = Path(os.environ.get(
    "FLOORLINE_SCREENSHOTS",
    Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session (the system one; never downloaded)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def new_page(browser, floorline_server, page_errors):
    """Open pages of the test's server in fresh contexts; JS errors fail the test."""
    contexts = []

    def open_page(width: int = 1280, height: int = 800):
        ctx = browser.new_context(viewport={"width": width, "height": height},
                                  base_url=floorline_server.url)
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda err: page_errors.append(str(err)))
        page.on("console", lambda msg: page_errors.append(msg.text)
                if msg.type == "error" and not EXPECTED.search(msg.text) else None)
        page.on("dialog", lambda d: page_errors.append(f"dialog: {d.message}") or d.dismiss())
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()
    assert not page_errors, page_errors


def scan_body(code: str) -> dict[str, str]:
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "e2e"}


class Station:
    """A python-socketio station client that scans and waits for the ack."""

    def __init__(self, url: str, token: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self._closer: threading.Thread | None = None
        self.client.connect(url, namespaces=["/station"], auth={"token": token},
                            transports=["websocket"], wait_timeout=10)

    def scan(self, code: str) -> dict[str, object]:
        ack: dict[str, object] = self.client.call("scan", scan_body(code), namespace="/station",
                                                  timeout=10)
        return ack

    def close(self) -> None:
        """Disconnect once, without waiting for the close frame (see close_in_background)."""
        if self._closer is None:
            self._closer = close_in_background(self.client)


@pytest.fixture
def station(floorline_server):
    """Connect station clients by name; all are closed after the test."""
    made: list[Station] = []

    def connect(name: str) -> Station:
        client = Station(floorline_server.url, floorline_server.plant.station_tokens[name])
        made.append(client)
        return client

    yield connect
    for client in made:
        client.close()


def run_batches(srv, index: int) -> list[dict[str, object]]:
    run = srv.api("GET", f"/runs/{srv.plant.runs[index]}").json()
    return run["batches"]


def pair_kiosk(page, srv, name: str) -> None:
    """Pair the page's browser with a station and open its kiosk, connected."""
    from playwright.sync_api import expect

    page.goto(f"/kiosk/{name}")
    page.fill("input[name=token]", srv.plant.station_tokens[name])
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_text("Online")


def badge_login(page, badge: str = "BADGE-0001", pin: str = "1234") -> None:
    from playwright.sync_api import expect

    page.click("#btn-login")
    page.fill("#badge", badge)
    page.fill("#pin", pin)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator("#operator-name")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("Online")


def shoot(page, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def seeded_server(tmp_path_factory, seeded_template, name: str,
                  env: dict[str, str] | None = None,
                  setup: Callable[[Any], object] | None = None) -> Iterator[object]:
    """Yield one seeded server for a module (module fixtures wrap this); stop it after.

    It starts on a copy of the worker's seeded demo plant (seeded_template). setup(server)
    runs once it is up: what the module's tests need beyond the demo plant, made through
    the API as a user would."""
    from tests.server_process import FloorlineServer

    tmp = tmp_path_factory.mktemp(name)
    srv = FloorlineServer.on_copy(seeded_template, tmp / "floorline.sqlite", tmp / "instance", env)
    srv.start()
    try:
        if setup is not None:
            setup(srv)
        yield srv
    finally:
        srv.stop()


def login(page, username: str = "planner", password: str = "floorline",
          next_path: str = "") -> None:
    """Log in on the login page (a demo user's password by default) and wait for the header."""
    page.goto(f"/login?next={next_path}" if next_path else "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.locator(".who-name")).to_be_visible()
