"""The loop shared by device sources: open, read until it fails, back off, open again."""

from __future__ import annotations

import logging
import threading
from typing import Generic, Protocol, TypeVar

from station.backoff import Backoff
from station.errors import SourceError
from station.sources.protocol import DISCONNECTED, OK, STARTING, Emit

log = logging.getLogger(__name__)


class Closable(Protocol):
    def close(self) -> None: ...


H = TypeVar("H", bound=Closable)


class ReopeningSource(Generic[H]):
    """A source on a device that may vanish (unplugged scanner, lost port) and come back."""

    kind = "device"

    def __init__(self, name: str, backoff: Backoff | None) -> None:
        self.name = name
        self._backoff = backoff or Backoff(initial=0.5, maximum=10.0)
        self._status = STARTING

    @property
    def status(self) -> str:
        """Return the device's health for the heartbeat."""
        return self._status

    def _open(self) -> H:
        raise NotImplementedError

    def _read(self, handle: H, emit: Emit, stop: threading.Event) -> None:
        raise NotImplementedError

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Read codes until stop, reopening the device whenever it fails."""
        while not stop.is_set():
            try:
                handle = self._open()
            except SourceError as err:
                self._lost(err, "retrying", stop)
                continue
            self._status = OK
            self._backoff.reset()
            try:
                self._read(handle, emit, stop)
            except SourceError as err:
                self._lost(err, "reopening", stop)
            finally:
                handle.close()

    def _lost(self, err: SourceError, then: str, stop: threading.Event) -> None:
        self._status = DISCONNECTED
        log.warning("%s %s: %s; %s", self.kind, self.name, err, then)
        self._backoff.wait(stop)
