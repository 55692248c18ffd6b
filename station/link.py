"""Deliver the outbox to the server in order, reconnecting with backoff."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from station import __version__
from station.backoff import Backoff
from station.errors import LinkError, OutboxError, Unauthorized
from station.feedback import Feedback, NoFeedback
from station.outbox import Outbox
from station.protocol import (
    RESEND_DEAD_LETTERS,
    Outcome,
    is_time_rejection,
    outcome_of,
    retry_after,
)
from station.scans import Scan, utc_now_iso
from station.transports import Ack, Transport

log = logging.getLogger(__name__)

DEAD_LETTERS_REPORTED = 20  # how many dead letters a heartbeat lists (the count is exact)

# Link statuses, visible in logs and to the agent.
CONNECTING = "connecting"
CONNECTED = "connected"
HTTP_FALLBACK = "http-fallback"
OFFLINE = "offline"
UNAUTHORIZED = "unauthorized"
STOPPED = "stopped"


@dataclass(frozen=True)
class LinkSettings:
    """Tune delivery: timeouts, heartbeat, retry pacing, HTTP fallback."""

    call_timeout: float = 10.0
    heartbeat_interval: float = 15.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    unauthorized_retry: float = 60.0
    http_fallback_after: int = 3


class Link:
    """Send the oldest scan, wait for its ack, remove it; one call in flight keeps order."""

    def __init__(self, websocket: Transport, outbox: Outbox, *,
                 http: Transport | None = None, settings: LinkSettings | None = None,
                 feedback: Feedback | None = None,
                 source_status: Callable[[], dict[str, str]] = dict,
                 on_ack: Callable[[Scan, Ack], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._ws = websocket
        self._http = http
        self._outbox = outbox
        self.settings = settings or LinkSettings()
        self._feedback = feedback or NoFeedback()
        self._source_status = source_status
        self._on_ack = on_ack
        self._clock = clock  # the station's wall clock, which may be wrong
        self._backoff = Backoff(self.settings.backoff_initial, self.settings.backoff_max)
        self._ws_failures = 0
        self._ws_retry_at = 0.0
        self._next_heartbeat = 0.0
        self._hold_until = 0.0  # a deferred ack asked us to wait until then
        self.status = CONNECTING
        self.refusal: str | None = None  # why the server last refused the station
        self.clock_offset: float | None = None
        self.extra_status: Callable[[], dict[str, Any]] = dict
        self.deferrals = 0
        self._orders_lock = threading.Lock()
        self._orders_done: set[str] = set()
        self._resend_done: str | None = None

    def run(self, stop: threading.Event) -> None:
        """Deliver until stop is set; every failure is logged and retried, never fatal."""
        while not stop.is_set():
            try:
                transport = self._transport(stop)
                if transport is not None:
                    self._serve(transport, stop)
            except Unauthorized as err:
                self._close()
                self.status, self.refusal = UNAUTHORIZED, str(err)
                log.error("UNAUTHORIZED: %s; check the station token, retrying in %.0fs",
                          err, self.settings.unauthorized_retry)
                stop.wait(self.settings.unauthorized_retry)
            except LinkError as err:
                self._close()
                self.status = OFFLINE
                log.warning("link lost: %s; %d scans wait in the outbox", err,
                            self._outbox.depth())
                self._backoff.wait(stop)
        self._final_heartbeat()
        self._close()
        self.status = STOPPED

    def heartbeat_soon(self) -> None:
        """Send a heartbeat at the next turn (something the server should see changed)."""
        self._next_heartbeat = 0.0

    def _transport(self, stop: threading.Event) -> Transport | None:
        """Return a usable transport, preferring the websocket; None after a failed try."""
        if self._ws.connected:
            return self._ws
        use_http = self._http is not None and self._ws_failures >= self.settings.http_fallback_after
        if use_http and time.monotonic() < self._ws_retry_at:
            return self._http
        try:
            self._ws.connect()
        except Unauthorized:
            raise
        except LinkError as err:
            self._ws_failures += 1
            if self._http is not None and self._ws_failures >= self.settings.http_fallback_after:
                self._ws_retry_at = time.monotonic() + self._backoff.next_delay()
                self.status = HTTP_FALLBACK
                log.warning("websocket failing (%s); sending over HTTP meanwhile", err)
                return self._http
            raise
        log.info("connected to the server over websocket")
        self.refusal = None
        self._ws_failures = 0
        self._backoff.reset()
        self._next_heartbeat = 0.0
        self.status = CONNECTED
        return self._ws

    def _serve(self, transport: Transport, stop: threading.Event) -> None:
        """Heartbeat when due and send one scan if there is one (and no deferral holds)."""
        if time.monotonic() >= self._next_heartbeat:
            self._heartbeat(transport)
            self._next_heartbeat = time.monotonic() + self.settings.heartbeat_interval
        wait = min(0.5, max(0.0, self._next_heartbeat - time.monotonic()))
        held = self._hold_until - time.monotonic()
        if held > 0:
            stop.wait(min(wait, held))  # the link stays up: heartbeats go on meanwhile
            return
        try:
            if not self._outbox.wait_for_scan(wait) or stop.is_set():
                return
            scan = self._outbox.oldest()
        except OutboxError as err:
            # A corrupt page must not take the link down: heartbeats say what is wrong.
            log.error("cannot read the outbox: %s", err)
            stop.wait(max(wait, 0.5))
            return
        if scan is not None:
            self._deliver(transport, scan)
            if transport is self._http:
                self.status = HTTP_FALLBACK
            self._backoff.reset()

    def _deliver(self, transport: Transport, scan: Scan) -> None:
        """Send one scan and drop it from the outbox only once the server is done with it."""
        self._outbox.mark_attempt(scan.event_id)
        ack = transport.send_scan(scan.wire_body(self.clock_offset), self.settings.call_timeout)
        outcome = outcome_of(ack)
        if ack.get("event_id") != scan.event_id or outcome is None:
            raise LinkError(f"malformed ack for {scan.event_id}: {ack!r}")
        if outcome is Outcome.DEFERRED:
            wait = retry_after(ack)
            self.deferrals += 1
            self._hold_until = time.monotonic() + wait
            log.info("scan %s deferred by the server (%s); resending in %.2fs", scan.code,
                     ack.get("reason") or "", wait)
            return
        if is_time_rejection(ack):
            self._dead_letter(scan, ack)
        else:
            self._outbox.remove(scan.event_id)
            log.info("scan %s %s: %s %s", scan.code, outcome.value, ack.get("reason") or "",
                     ack.get("transition") or "")
        self._feedback.notify(ack)
        if self._on_ack is not None:
            self._on_ack(scan, ack)

    def _dead_letter(self, scan: Scan, ack: Ack) -> None:
        """Keep a scan refused for its time where a supervisor can see and resend it."""
        log.warning("scan %s (scanned_at %s) REJECTED FOR ITS TIME: %s; kept as a dead letter "
                    "for a supervisor to resend", scan.code, scan.scanned_at,
                    ack.get("message") or ack.get("reason"))
        try:
            self._outbox.dead_letter(scan, str(ack.get("reason")), str(ack.get("message") or ""))
        except OutboxError as err:
            # Not deleted either: it stays first in the outbox, resent after the back-off.
            raise LinkError(f"cannot keep dead letter {scan.event_id}: {err}") from err
        self.heartbeat_soon()

    def resend_dead_letters(self, command: object = None) -> int:
        """Move the dead letters back into the outbox, timed by the clock offset known now.

        A command comes live and again in heartbeat acks until reported done, so each
        order (by its id) is carried out once.
        """
        order = command.get("order") if isinstance(command, dict) else None
        with self._orders_lock:
            if order is not None and order in self._orders_done:
                return 0
            try:
                moved = self._outbox.resend_dead_letters(self.clock_offset)
            except OutboxError as err:
                log.error("cannot resend dead letters: %s", err)
                return 0
            if order is not None:
                self._orders_done.add(str(order))
                self._resend_done = str(order)
        log.warning("supervisor asked to resend dead letters: %d back in the outbox", moved)
        self.heartbeat_soon()
        return moved

    def _run_commands(self, ack: Ack) -> None:
        """Carry out the commands a heartbeat ack repeats (sent while we were away)."""
        commands = ack.get("commands")
        for command in commands if isinstance(commands, list) else []:
            if isinstance(command, dict) and command.get("name") == RESEND_DEAD_LETTERS:
                self.resend_dead_letters(command)

    def status_report(self, *, final: bool = False) -> dict[str, Any]:
        """Return the heartbeat body: outbox depth and health, dead letters, sources."""
        body: dict[str, Any] = {
            "outbox_depth": _or_none(self._outbox.depth),
            "outbox": self._outbox.health(),
            "sources": self._source_status(),
            "clock": utc_now_iso(),
            "agent_version": __version__,
            "deferrals": self.deferrals,
        }
        count = _or_none(self._outbox.dead_letter_count)
        listed = _or_none(lambda: self._outbox.dead_letters(DEAD_LETTERS_REPORTED)) or []
        body["dead_letters"] = {"count": count, "recent": listed}
        if self.clock_offset is not None:
            body["clock_offset"] = round(self.clock_offset, 3)
        if self._resend_done is not None:
            body["resend_done"] = self._resend_done
        body.update(self.extra_status())
        if final:
            body["final"] = True
        return body

    def _heartbeat(self, transport: Transport) -> None:
        """Report health and estimate the clock offset from the ack's server time."""
        sent = self._clock()
        ack = transport.heartbeat(self.status_report(), self.settings.call_timeout)
        received = self._clock()
        if ack and "server_time" in ack:
            self.clock_offset = estimate_offset(str(ack["server_time"]), sent, received)
            if abs(self.clock_offset) > 2.0:
                log.warning("station clock is %.1fs off the server's; correcting scanned_at",
                            -self.clock_offset)
        if ack:
            self._run_commands(ack)

    def _final_heartbeat(self) -> None:
        """Tell the server on a clean stop what is left, so it does not show a stale depth."""
        if not self._ws.connected:
            return
        try:
            self._ws.heartbeat(self.status_report(final=True), min(2.0, self.settings.call_timeout))
        except LinkError as err:
            log.info("no final heartbeat: %s", err)

    def _close(self) -> None:
        """Drop the websocket so the next round reconnects from scratch."""
        self._ws.close()


def _or_none(read: Callable[[], Any]) -> Any:
    """Return what an outbox read gives, or None when the outbox cannot be read."""
    try:
        return read()
    except OutboxError:
        return None


def estimate_offset(server_time: str, sent: float, received: float) -> float:
    """Return server minus station clock, assuming the server stamped mid round-trip."""
    server = datetime.fromisoformat(server_time)
    if server.tzinfo is None:
        server = server.replace(tzinfo=UTC)
    return server.timestamp() - (sent + received) / 2

