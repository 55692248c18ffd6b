"""The link delivers the outbox to a real Socket.IO server, whatever happens to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station.link import CONNECTED, HTTP_FALLBACK, UNAUTHORIZED, Link, LinkSettings
from station.outbox import Outbox
from station.scans import Read, Scan, scan_from_read
from station.transports import HttpTransport, SocketIOTransport
from tests.station.conftest import TOKEN
from tests.station.harness import ServerProcess, free_port
from tests.station.server_records import applied_codes, applied_event_ids, heartbeats
from tests.station.waiting import wait_until

FAST = LinkSettings(call_timeout=3.0, heartbeat_interval=0.2, backoff_initial=0.05,
                    backoff_max=0.5, unauthorized_retry=0.5, http_fallback_after=2)


def make_scans(count: int, prefix: str = "B") -> list[Scan]:
    """Return scans of codes B-0000, B-0001, ..."""
    return [scan_from_read(Read(f"{prefix}-{i:04d}", "QRCode", "camera:0")) for i in range(count)]


class RunningLink:
    """A link running on a thread, stopped at the end of the test."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.stop = threading.Event()
        self.thread = threading.Thread(target=link.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop the link and wait for its thread."""
        self.stop.set()
        self.thread.join(timeout=10)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    """Return an empty outbox."""
    box = Outbox(tmp_path / "outbox.sqlite")
    yield box
    box.close()


@pytest.fixture
def run_link() -> Iterator[Any]:
    """Start links on threads and stop them after the test."""
    running: list[RunningLink] = []

    def start(link: Link) -> RunningLink:
        running.append(RunningLink(link))
        return running[-1]

    yield start
    for item in running:
        item.close()


def test_link_delivers_scans_in_order_and_empties_the_outbox(
    server: ServerProcess, outbox: Outbox, run_link: Any
) -> None:
    scans = make_scans(20)
    for scan in scans:
        outbox.add(scan)
    acks: list[dict[str, Any]] = []
    link = Link(SocketIOTransport(server.url, TOKEN), outbox, settings=FAST,
                on_ack=lambda scan, ack: acks.append(ack))
    run_link(link)
    wait_until(lambda: outbox.depth() == 0)
    assert applied_codes(server.db) == [s.code for s in scans]
    assert [a["event_id"] for a in acks] == [s.event_id for s in scans]
    assert link.status == CONNECTED


def test_link_sends_heartbeats_with_depth_and_sources_and_learns_the_clock_offset(
    server: ServerProcess, outbox: Outbox, run_link: Any
) -> None:
    link = Link(SocketIOTransport(server.url, TOKEN), outbox, settings=FAST,
                source_status=lambda: {"camera:0": "ok"})
    run_link(link)
    wait_until(lambda: len(heartbeats(server.db)) >= 2)
    beat = heartbeats(server.db)[0]
    assert beat["outbox_depth"] == 0
    assert beat["sources"] == {"camera:0": "ok"}
    assert beat["agent_version"]
    assert link.clock_offset is not None
    assert abs(link.clock_offset) < 5


def test_link_loses_nothing_when_the_server_is_killed_and_restarted_mid_stream(
    server: ServerProcess, outbox: Outbox, run_link: Any
) -> None:
    scans = make_scans(150)
    run_link(Link(SocketIOTransport(server.url, TOKEN), outbox, settings=FAST))
    for scan in scans[:100]:
        outbox.add(scan)
    wait_until(lambda: len(applied_event_ids(server.db)) >= 30)
    server.kill()
    for scan in scans[100:]:
        outbox.add(scan)  # scans keep coming while the server is down
    assert outbox.depth() > 0
    server.start()
    wait_until(lambda: outbox.depth() == 0, timeout=60)
    ids = applied_event_ids(server.db)
    assert ids == [s.event_id for s in scans]
    assert len(set(ids)) == len(ids)


def test_link_reports_unauthorized_for_a_bad_token_and_keeps_the_scans(
    server: ServerProcess, outbox: Outbox, run_link: Any
) -> None:
    outbox.add(make_scans(1)[0])
    link = Link(SocketIOTransport(server.url, "wrong-token"), outbox, settings=FAST)
    running = run_link(link)
    wait_until(lambda: link.status == UNAUTHORIZED)
    assert running.thread.is_alive()
    assert outbox.depth() == 1
    assert applied_codes(server.db) == []


def test_link_falls_back_to_http_when_the_websocket_keeps_failing(
    server: ServerProcess, outbox: Outbox, run_link: Any
) -> None:
    scans = make_scans(5)
    for scan in scans:
        outbox.add(scan)
    dead_ws = SocketIOTransport(f"http://127.0.0.1:{free_port()}", TOKEN)
    link = Link(dead_ws, outbox, http=HttpTransport(server.url, TOKEN), settings=FAST)
    run_link(link)
    wait_until(lambda: outbox.depth() == 0)
    assert applied_codes(server.db) == [s.code for s in scans]
    assert link.status == HTTP_FALLBACK


def test_http_transport_reports_a_refused_token_as_unauthorized(
    server: ServerProcess, outbox: Outbox, run_link: Any
) -> None:
    outbox.add(make_scans(1)[0])
    dead_ws = SocketIOTransport(f"http://127.0.0.1:{free_port()}", TOKEN)
    link = Link(dead_ws, outbox, http=HttpTransport(server.url, "wrong"), settings=FAST)
    run_link(link)
    wait_until(lambda: link.status == UNAUTHORIZED)
    assert outbox.depth() == 1
