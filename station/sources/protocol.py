"""Define what every scan source offers the agent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from station.scans import Read

Emit = Callable[[Read], None]

# Statuses reported in the heartbeat, per source.
STARTING = "starting"
OK = "ok"
DISCONNECTED = "disconnected"
FINISHED = "finished"
FAILED = "failed"


class Source(Protocol):
    """A producer of reads that runs until stopped or exhausted."""

    name: str

    @property
    def status(self) -> str:
        """Return the source's health for the heartbeat."""
        ...

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit reads until stop is set or the source is exhausted."""
        ...
