"""The link speaks the whole ack vocabulary: deferred, refusal reasons, clock, dead letters."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from station.link import CONNECTED, UNAUTHORIZED, Link, LinkSettings
from station.outbox import Outbox
from station.protocol import FINAL_OUTCOMES, Outcome, is_final, retry_after
from station.scans import Read, Scan, scan_from_read
from station.transports import SocketIOTransport
from tests.station.conftest import TOKEN
from tests.station.harness import ServerProcess, reference_server_command, station_env
from tests.station.server_records import (
    accepted_codes,
    applied_bodies,
    applied_codes,
    connects,
    heartbeats,
)
from tests.station.waiting import wait_until

FAST = LinkSettings(call_timeout=3.0, heartbeat_interval=0.2, backoff_initial=0.05,
                    backoff_max=0.5, unauthorized_retry=0.5, http_fallback_after=2)


class CountingTransport(SocketIOTransport):
    """The real websocket transport, counting its connects (a flapping link shows here)."""

    connects = 0

    def connect(self) -> None:
        """Count, then connect."""
        self.connects += 1
        super().connect()


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite")
    yield box
    box.close()


@pytest.fixture
def running() -> Iterator[Any]:
    """Run links on threads; stop them after the test."""
    stops: list[tuple[threading.Event, threading.Thread]] = []

    def start(link: Link) -> Link:
        stop = threading.Event()
        thread = threading.Thread(target=link.run, args=(stop,), daemon=True)
        thread.start()
        stops.append((stop, thread))
        return link

    yield start
    for stop, thread in stops:
        stop.set()
        thread.join(timeout=10)


def reference(tmp_path: Path, *knobs: str) -> Iterator[ServerProcess]:
    proc = ServerProcess(reference_server_command([TOKEN], *knobs), tmp_path / "server.sqlite")
    proc.start()
    yield proc
    proc.kill()


def make_scans(count: int, prefix: str = "B", **kw: Any) -> list[Scan]:
    return [scan_from_read(Read(f"{prefix}-{i:03d}", "QRCode", "camera:0"), **kw)
            for i in range(count)]


def test_deferred_is_an_outcome_the_station_keeps_and_the_others_drop() -> None:
    assert Outcome.DEFERRED not in FINAL_OUTCOMES
    assert is_final({"outcome": "accepted"}) and not is_final({"outcome": "deferred"})
    assert not is_final({"outcome": "lost"})
    assert retry_after({"retry_after": 0.25}) == 0.25
    assert retry_after({"retry_after": "soon"}) == 1.0
    assert retry_after({"retry_after": 1e9}) == 300.0


@pytest.fixture
def deferring_server(tmp_path: Path) -> Iterator[ServerProcess]:
    yield from reference(tmp_path, "--defer-first", "4")


def test_a_deferred_scan_keeps_the_link_up_and_is_resent_after_retry_after(
    deferring_server: ServerProcess, outbox: Outbox, running: Any
) -> None:
    scans = make_scans(6)
    for scan in scans:
        outbox.add(scan)
    transport = CountingTransport(deferring_server.url, TOKEN)
    link = running(Link(transport, outbox, settings=FAST))
    wait_until(lambda: outbox.depth() == 0)
    assert applied_codes(deferring_server.db) == [s.code for s in scans]
    assert link.deferrals == 4
    assert transport.connects == 1 and connects(deferring_server.db) == 1
    assert link.status == CONNECTED


def test_the_real_servers_rate_limit_defers_without_dropping_the_link(
    tmp_path: Path, outbox: Outbox, running: Any
) -> None:
    from tests.server_process import FloorlineServer

    srv = FloorlineServer(tmp_path / "instance", f"sqlite:///{tmp_path / 'f.sqlite'}",
                          env={"FLOORLINE_SCAN_RATE_PER_SECOND": "4"})
    srv.instance.mkdir(parents=True)
    plant = srv.seed()
    srv.start()
    try:
        for scan in make_scans(20, "UNKNOWN"):
            outbox.add(scan)
        transport = CountingTransport(srv.url, plant.station_tokens["cut-1"])
        acks: list[dict[str, Any]] = []
        link = running(Link(transport, outbox, settings=FAST,
                            on_ack=lambda scan, ack: acks.append(ack)))
        wait_until(lambda: outbox.depth() == 0, timeout=60)
        assert link.deferrals > 0
        assert transport.connects == 1
        assert [a["reason"] for a in acks] == ["unknown_code"] * 20
    finally:
        srv.stop()


def test_a_refused_station_learns_the_servers_reason(
    server: ServerProcess, outbox: Outbox, running: Any
) -> None:
    link = running(Link(SocketIOTransport(server.url, "wrong-token"), outbox, settings=FAST))
    wait_until(lambda: link.status == UNAUTHORIZED)
    assert link.refusal is not None
    assert "not_authorized: unknown token" in link.refusal


def test_floorline_station_run_with_a_wrong_token_prints_why_it_was_refused(
    floorline_server: Any, tmp_path: Path
) -> None:
    cmd = [sys.executable, "-m", "station", "--server", floorline_server.url,
           "--token", "fls_wrong", "--source", "stdin", "--outbox",
           str(tmp_path / "o.sqlite")]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=station_env())
    try:
        seen = []
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if "UNAUTHORIZED" in line:
                break
        assert "not_authorized: unknown station token" in "".join(seen)
    finally:
        proc.kill()
        proc.wait()


def test_scanned_at_is_corrected_once_by_the_offset_known_when_scanned() -> None:
    read = Read("B-1", "QRCode", "camera:0")
    stamped = scan_from_read(read, clock_offset=3600.0,
                             clock=lambda: "2026-03-01T08:00:00.000Z")
    # Learned at scan time: that offset wins, whatever is known at send time.
    assert stamped.wire_body(7200.0)["scanned_at"] == "2026-03-01T09:00:00.000Z"
    assert stamped.to_body()["scanned_at"] == "2026-03-01T08:00:00.000Z"  # stored raw
    before = scan_from_read(read, clock=lambda: "2026-03-01T08:00:00.000Z")
    assert before.wire_body(None)["scanned_at"] == "2026-03-01T08:00:00.000Z"
    assert before.wire_body(-60.0)["scanned_at"] == "2026-03-01T07:59:00.000Z"


@pytest.fixture
def skewed_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server whose clock is three hours ahead of the station's, allowing 10 minutes."""
    yield from reference(tmp_path, "--clock-skew", "10800", "--max-skew", "600")


def test_a_skewed_station_clock_is_corrected_and_a_time_rejection_kept_for_a_resend(
    skewed_server: ServerProcess, outbox: Outbox, running: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    early = make_scans(1, "EARLY")[0]           # made before any offset was known
    wrong = make_scans(1, "WRONG", clock_offset=0.0)[0]  # an offset learned, then the clock moved
    outbox.add(early)
    outbox.add(wrong)
    link = Link(SocketIOTransport(skewed_server.url, TOKEN), outbox, settings=FAST)
    transport = link._ws
    assert isinstance(transport, SocketIOTransport)
    transport.on_command("resend_dead_letters", link.resend_dead_letters)
    running(link)
    wait_until(lambda: outbox.depth() == 0)
    assert accepted_codes(skewed_server.db) == ["EARLY-000"]
    sent = datetime.fromisoformat(applied_bodies(skewed_server.db)[0]["scanned_at"])
    assert abs((sent - datetime.now(UTC) - timedelta(hours=3)).total_seconds()) < 60
    # The rejected one is kept, visible, and reported; never deleted.
    assert [d["code"] for d in outbox.dead_letters()] == ["WRONG-000"]
    assert any(r.levelname == "WARNING" and "REJECTED FOR ITS TIME" in r.getMessage()
               for r in caplog.records)
    wait_until(lambda: (heartbeats(skewed_server.db)[-1].get("dead_letters") or {})
               .get("count") == 1)
    assert heartbeats(skewed_server.db)[-1]["dead_letters"]["recent"][0]["code"] == "WRONG-000"
    # A supervisor's resend moves it back with the offset known now: it is taken.
    requests.post(f"{skewed_server.url}/test/command/resend_dead_letters", timeout=5)
    wait_until(lambda: "WRONG-000" in accepted_codes(skewed_server.db))
    # The server commits before it acks; the station drops the scan when the ack arrives.
    wait_until(lambda: outbox.depth() == 0)
    assert outbox.dead_letters() == []


def test_a_clean_stop_sends_a_final_heartbeat_with_the_depth_left(
    server: ServerProcess, outbox: Outbox
) -> None:
    link = Link(SocketIOTransport(server.url, TOKEN), outbox, settings=FAST)
    stop = threading.Event()
    thread = threading.Thread(target=link.run, args=(stop,), daemon=True)
    thread.start()
    wait_until(lambda: len(heartbeats(server.db)) >= 1)
    stop.set()
    thread.join(timeout=10)
    last = heartbeats(server.db)[-1]
    assert last["final"] is True and last["outbox_depth"] == 0


def test_on_the_real_server_a_skewed_station_is_corrected_and_a_dead_letter_resent(
    floorline_server: Any, outbox: Outbox, running: Any
) -> None:
    days = 3 * 86400.0  # the station's clock is three days ahead: "in the future" to the server
    skewed_now = lambda: (datetime.now(UTC) + timedelta(seconds=days)).isoformat()  # noqa: E731
    read = Read("UNKNOWN-SKEW", "QRCode", "camera:0")
    before = scan_from_read(read, clock=skewed_now)  # no offset known yet
    wrong = scan_from_read(Read("UNKNOWN-WRONG", "QRCode", "camera:0"), clock=skewed_now,
                           clock_offset=0.0)  # an offset learned before the clock jumped
    outbox.add(before)
    outbox.add(wrong)
    acks: list[dict[str, Any]] = []
    transport = SocketIOTransport(floorline_server.url,
                                  floorline_server.plant.station_tokens["cut-1"])
    link = Link(transport, outbox, settings=FAST, on_ack=lambda s, a: acks.append(a),
                clock=lambda: datetime.now(UTC).timestamp() + days)
    transport.on_command("resend_dead_letters", link.resend_dead_letters)
    running(link)
    wait_until(lambda: outbox.depth() == 0 and len(acks) == 2)
    assert [a["reason"] for a in acks] == ["unknown_code", "clock_skew"]  # time passed first
    assert [d["code"] for d in outbox.dead_letters()] == ["UNKNOWN-WRONG"]
    supervisor = floorline_server.api("POST", "/tokens", json={"username": "sam"}).json()
    r = floorline_server.api("POST", "/stations/cut-1/dead-letters/resend",
                             role_token=supervisor["token"])
    assert r.status_code == 200
    wait_until(lambda: len(acks) == 3)
    assert acks[2]["reason"] == "unknown_code"  # judged on its code now, not its time
    assert outbox.dead_letters() == []


def test_a_deferred_http_answer_is_an_ack_to_wait_on_not_a_link_failure(
    deferring_server: ServerProcess, outbox: Outbox, running: Any
) -> None:
    from station.link import HTTP_FALLBACK
    from station.transports import HttpTransport

    scans = make_scans(5)
    for scan in scans:
        outbox.add(scan)
    dead_ws = SocketIOTransport("http://127.0.0.1:9", TOKEN)  # websockets blocked
    link = running(Link(dead_ws, outbox, http=HttpTransport(deferring_server.url, TOKEN),
                        settings=FAST))
    wait_until(lambda: outbox.depth() == 0)
    assert applied_codes(deferring_server.db) == [s.code for s in scans]
    assert link.deferrals == 4 and link.status == HTTP_FALLBACK


def test_a_resend_ordered_while_the_station_was_away_is_carried_out_once_on_return(
    floorline_server: Any, outbox: Outbox, running: Any
) -> None:
    held = make_scans(1, "UNKNOWN-HELD")[0]
    outbox.add(held)
    outbox.dead_letter(held, "clock_skew", "too far from the server's clock")
    supervisor = floorline_server.api("POST", "/tokens", json={"username": "sam"}).json()
    r = floorline_server.api("POST", "/stations/cut-1/dead-letters/resend",
                             role_token=supervisor["token"])
    assert r.status_code == 200  # nobody connected: the order waits on the server
    acks: list[dict[str, Any]] = []
    transport = SocketIOTransport(floorline_server.url,
                                  floorline_server.plant.station_tokens["cut-1"])
    link = Link(transport, outbox, settings=FAST, on_ack=lambda s, a: acks.append(a))
    transport.on_command("resend_dead_letters", link.resend_dead_letters)
    running(link)
    wait_until(lambda: len(acks) == 1)
    assert acks[0]["reason"] == "unknown_code" and outbox.dead_letters() == []

    def order_cleared() -> bool:
        health = floorline_server.api("GET", "/stations/cut-1").json()["health"]
        return "resend_order" not in health

    wait_until(order_cleared)
    assert len(acks) == 1  # carried out once, though asked in several heartbeat acks
