"""Station health as screens show it: a station that cannot store scans, held scans, resend."""

import threading

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Station, pair_kiosk

pytestmark = pytest.mark.browser

TROUBLE = {
    "outbox_depth": 2, "refused_reads": 3, "refused_by_reason": {"outbox_unwritable": 3},
    "outbox": {"healthy": False, "writable": False, "readable": True,
               "error": "attempt to write a readonly database"},
    "dead_letters": {"count": 1, "recent": [{
        "event_id": "9b1c3c4e-0000-4000-8000-000000000001", "code": "B-2026-HELD",
        "scanned_at": "2026-01-01T08:00:00Z", "reason": "clock_skew",
        "message": "scanned_at is too far from the server's clock"}]},
}


class Agent(Station):
    """A station client that reports trouble and records the commands it is sent."""

    def __init__(self, url: str, token: str) -> None:
        self.commands: list[dict[str, object]] = []
        self.got_command = threading.Event()
        super().__init__(url, token)
        self.client.on("resend_dead_letters", self._command, namespace="/station")

    def _command(self, data: dict[str, object]) -> None:
        self.commands.append(data)
        self.got_command.set()

    def heartbeat(self, body: dict[str, object]) -> None:
        self.client.call("heartbeat", body, namespace="/station", timeout=10)


@pytest.fixture
def agent(floorline_server):
    made = Agent(floorline_server.url, floorline_server.plant.station_tokens["cut-1"])
    yield made
    made.close()


def login_admin(page):
    page.goto("/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "floorline")
    page.click("button[type=submit]")
    expect(page.locator(".who-name")).to_be_visible()


def test_dashboard_shows_a_station_that_cannot_store_scans_and_resends_its_held_scans(
    new_page, agent
):
    page = new_page(1920, 1080)
    login_admin(page)
    page.goto("/dashboard")
    expect(page.locator("#conn")).to_have_text("Live")
    agent.heartbeat(TROUBLE)
    tile = page.locator(".station[data-station='cut-1']")
    expect(tile.locator(".st-state")).to_have_text("cannot store scans")
    expect(tile.locator(".st-alerts")).to_contain_text("not writable")
    expect(tile.locator(".st-alerts")).to_contain_text("3 reads not stored")
    expect(tile.locator(".st-dead-list")).to_contain_text("B-2026-HELD")
    tile.get_by_role("button", name="Resend held scans").click()
    assert agent.got_command.wait(5)
    assert agent.commands[0]["requested_by"] == "admin"


def test_an_anonymous_dashboard_shows_held_scans_but_offers_no_resend(new_page, agent):
    page = new_page(1920, 1080)
    page.goto("/dashboard")
    expect(page.locator("#conn")).to_have_text("Live")
    agent.heartbeat(TROUBLE)
    tile = page.locator(".station[data-station='cut-1']")
    expect(tile.locator(".st-dead-list")).to_contain_text("B-2026-HELD")
    expect(tile.get_by_role("button", name="Resend held scans")).to_have_count(0)


def test_an_agent_that_left_without_a_word_shows_its_outbox_as_unknown(new_page, agent):
    page = new_page(1920, 1080)
    page.goto("/dashboard")
    expect(page.locator("#conn")).to_have_text("Live")
    agent.heartbeat({"outbox_depth": 1})
    tile = page.locator(".station[data-station='cut-1']")
    expect(tile).to_contain_text("outbox 1")
    agent.close()
    expect(tile.locator(".st-state")).to_have_text("offline")
    expect(tile).to_contain_text("outbox unknown")


def test_the_kiosk_warns_when_its_station_cannot_store_scans(new_page, floorline_server, agent):
    page = new_page()
    pair_kiosk(page, floorline_server, "cut-1")
    banner = page.locator("#station-health")
    expect(banner).to_be_hidden()
    agent.heartbeat(TROUBLE)
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Scans are not being stored.")
    expect(banner).to_contain_text("B-2026-HELD")
    agent.heartbeat({"outbox_depth": 0, "outbox": {"healthy": True, "writable": True,
                                                    "readable": True}})
    expect(banner).to_be_hidden()
