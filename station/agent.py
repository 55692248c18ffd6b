"""Run the station: sources feed the outbox, the link drains it to the server."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from station.backoff import Backoff
from station.decoding import Suppressor
from station.errors import OutboxError, OutboxFull
from station.feedback import Feedback, NoFeedback, refused_read
from station.link import Link
from station.outbox import Outbox
from station.scans import Read, Scan, scan_from_read
from station.sources.protocol import FINISHED, Source

log = logging.getLogger(__name__)


def source_statuses(sources: Sequence[Source]) -> dict[str, str]:
    """Return each source's status by name, for the heartbeat."""
    return {source.name: source.status for source in sources}


class Agent:
    """Turn reads into durable scans and keep every source and the link running."""

    def __init__(self, sources: Sequence[Source], outbox: Outbox, link: Link | None, *,
                 suppressor: Suppressor | None = None, operator: str | None = None,
                 feedback: Feedback | None = None) -> None:
        self.sources = list(sources)
        self.outbox = outbox
        self.link = link
        self.suppressor = suppressor or Suppressor()
        self.operator = operator
        self.feedback = feedback or NoFeedback()
        self.refused = 0
        self.refused_by_reason: dict[str, int] = {}
        if link is not None:
            link.extra_status = self.status

    def status(self) -> dict[str, Any]:
        """Return what the heartbeat adds about reads: how many the outbox refused, and why."""
        return {"refused_reads": self.refused, "refused_by_reason": dict(self.refused_by_reason)}

    def on_read(self, read: Read) -> None:
        """Store a new read in the outbox unless suppressed."""
        self.store(read)

    def store(self, read: Read) -> Scan | None:
        """Store a new read in the outbox; return its scan, or None if suppressed or refused."""
        if not self.suppressor.admit(read.source, read.text):
            return None
        offset = self.link.clock_offset if self.link is not None else None
        scan = scan_from_read(read, self.operator, clock_offset=offset)
        try:
            self.outbox.add(scan)
        except OutboxError as err:
            # The read is refused, not the agent stopped: stored scans still need delivering.
            self._refuse(read, err)
            return None
        log.info("read %s (%s) from %s as %s", read.text, read.symbology, read.source,
                 scan.event_id)
        return scan

    def _refuse(self, read: Read, err: OutboxError) -> None:
        """Count, log and signal a read the outbox could not store (the operator must know)."""
        reason = "outbox_full" if isinstance(err, OutboxFull) else "outbox_unwritable"
        self.refused += 1
        self.refused_by_reason[reason] = self.refused_by_reason.get(reason, 0) + 1
        log.error("SCAN NOT STORED %s from %s: %s", read.text, read.source, err)
        self.feedback.notify(refused_read(read.text, reason, str(err)))
        if self.link is not None:
            self.link.heartbeat_soon()

    def run(self, stop: threading.Event, *, until_drained: bool = False) -> None:
        """Run until stop, or with until_drained until sources finish and the outbox empties."""
        done = threading.Event()  # our own, so draining one agent never stops its neighbours
        threads = [self._start(f"source-{s.name}", self._keep_source, s, done)
                   for s in self.sources]
        if self.link is not None:
            threads.append(self._start("link", self._keep_link, done))
        while not done.wait(0.1):
            if stop.is_set() or (until_drained and self._drained()):
                done.set()
        for thread in threads:
            thread.join(timeout=5)

    def _drained(self) -> bool:
        """Return whether every source has ended and the outbox is empty."""
        sources_done = all(s.status == FINISHED for s in self.sources)
        try:
            return sources_done and self.outbox.depth() == 0
        except OutboxError:
            return False  # an unreadable outbox is not an empty one

    @staticmethod
    def _start(name: str, target: Callable[..., None], *args: object) -> threading.Thread:
        """Start a daemon thread (a blocked stdin read must not hold the process open)."""
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        return thread

    def _keep_source(self, source: Source, stop: threading.Event) -> None:
        """Run a source, restarting it after an unexpected error."""
        backoff = Backoff(initial=1.0, maximum=30.0)
        while not stop.is_set():
            try:
                source.run(self.on_read, stop)
                return
            except Exception:  # top of an agent loop: one broken source must not stop the rest
                log.exception("source %s crashed; restarting", source.name)
                backoff.wait(stop)

    def _keep_link(self, stop: threading.Event) -> None:
        """Run the link, restarting it after an unexpected error."""
        assert self.link is not None
        backoff = Backoff(initial=1.0, maximum=30.0)
        while not stop.is_set():
            try:
                self.link.run(stop)
            except Exception:  # top of an agent loop: delivery must resume, never die
                log.exception("link crashed; restarting")
                backoff.wait(stop)
