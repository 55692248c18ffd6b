"""Deliver the outbox to the server in order, reconnecting with backoff."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from station import __version__
from station.backoff import Backoff
from station.errors import LinkError, Unauthorized
from station.feedback import Feedback, NoFeedback
from station.outbox import Outbox
from station.scans import Scan, utc_now_iso
from station.transports import Ack, Transport

log = logging.getLogger(__name__)

OUTCOMES = ("accepted", "rejected", "duplicate")

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
                 on_ack: Callable[[Scan, Ack], None] | None = None) -> None:
        self._ws = websocket
        self._http = http
        self._outbox = outbox
        self.settings = settings or LinkSettings()
        self._feedback = feedback or NoFeedback()
        self._source_status = source_status
        self._on_ack = on_ack
        self._backoff = Backoff(self.settings.backoff_initial, self.settings.backoff_max)
        self._ws_failures = 0
        self._ws_retry_at = 0.0
        self._next_heartbeat = 0.0
        self.status = CONNECTING
        self.clock_offset: float | None = None

    def run(self, stop: threading.Event) -> None:
        """Deliver until stop is set; every failure is logged and retried, never fatal."""
        while not stop.is_set():
            try:
                transport = self._transport(stop)
                if transport is not None:
                    self._serve(transport, stop)
            except Unauthorized as err:
                self._close()
                self.status = UNAUTHORIZED
                log.error("UNAUTHORIZED: %s; check the station token, retrying in %.0fs",
                          err, self.settings.unauthorized_retry)
                stop.wait(self.settings.unauthorized_retry)
            except LinkError as err:
                self._close()
                self.status = OFFLINE
                log.warning("link lost: %s; %d scans wait in the outbox", err,
                            self._outbox.depth())
                self._backoff.wait(stop)
        self._close()
        self.status = STOPPED

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
        self._ws_failures = 0
        self._backoff.reset()
        self._next_heartbeat = 0.0
        self.status = CONNECTED
        return self._ws

    def _serve(self, transport: Transport, stop: threading.Event) -> None:
        """Heartbeat when due and send one scan if there is one."""
        if time.monotonic() >= self._next_heartbeat:
            self._heartbeat(transport)
            self._next_heartbeat = time.monotonic() + self.settings.heartbeat_interval
        wait = min(0.5, max(0.0, self._next_heartbeat - time.monotonic()))
        if not self._outbox.wait_for_scan(wait) or stop.is_set():
            return
        scan = self._outbox.oldest()
        if scan is not None:
            self._deliver(transport, scan)
            if transport is self._http:
                self.status = HTTP_FALLBACK
            self._backoff.reset()

    def _deliver(self, transport: Transport, scan: Scan) -> None:
        """Send one scan and drop it from the outbox only once it is acked."""
        self._outbox.mark_attempt(scan.event_id)
        ack = transport.send_scan(scan.to_body(), self.settings.call_timeout)
        if ack.get("event_id") != scan.event_id or ack.get("outcome") not in OUTCOMES:
            raise LinkError(f"malformed ack for {scan.event_id}: {ack!r}")
        self._outbox.remove(scan.event_id)
        log.info("scan %s %s: %s %s", scan.code, ack["outcome"], ack.get("reason") or "",
                 ack.get("transition") or "")
        self._feedback.notify(ack)
        if self._on_ack is not None:
            self._on_ack(scan, ack)

    def _heartbeat(self, transport: Transport) -> None:
        """Report health and estimate the clock offset from the ack's server time."""
        body = {
            "outbox_depth": self._outbox.depth(),
            "sources": self._source_status(),
            "clock": utc_now_iso(),
            "agent_version": __version__,
        }
        sent = time.time()
        ack = transport.heartbeat(body, self.settings.call_timeout)
        received = time.time()
        if ack and "server_time" in ack:
            self.clock_offset = estimate_offset(str(ack["server_time"]), sent, received)
            if abs(self.clock_offset) > 2.0:
                log.warning("station clock is %.1fs off the server's", -self.clock_offset)

    def _close(self) -> None:
        """Drop the websocket so the next round reconnects from scratch."""
        self._ws.close()


def estimate_offset(server_time: str, sent: float, received: float) -> float:
    """Return server minus station clock, assuming the server stamped mid round-trip."""
    server = datetime.fromisoformat(server_time)
    if server.tzinfo is None:
        server = server.replace(tzinfo=UTC)
    return server.timestamp() - (sent + received) / 2

