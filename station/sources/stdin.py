"""Read codes typed into a terminal, one per line (a wedge scanner on a console)."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from station.scans import Read
from station.sources.protocol import FINISHED, OK, STARTING, Emit


class StdinSource:
    """Emit each non-empty line of a text stream as a read."""

    def __init__(self, name: str = "stdin", stream: TextIO | None = None, *,
                 symbology: str = "Unknown") -> None:
        self.name = name
        self._stream = stream
        self._symbology = symbology
        self._status = STARTING

    @property
    def status(self) -> str:
        """Return whether the stream is still open."""
        return self._status

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit lines until end of stream or stop."""
        stream = self._stream if self._stream is not None else sys.stdin
        self._status = OK
        for line in stream:
            if stop.is_set():
                break
            text = line.strip()
            if text:
                emit(Read(text, self._symbology, self.name))
        self._status = FINISHED
