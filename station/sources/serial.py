"""Read codes from a serial (RS-232 / USB-CDC) scanner through pyserial."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any, Protocol

from station.backoff import Backoff
from station.errors import ConfigError, SourceError
from station.scans import Read
from station.sources.protocol import Emit
from station.sources.reopening import ReopeningSource

log = logging.getLogger(__name__)

TERMINATORS = {"any": rb"\r\n|\r|\n", "cr": rb"\r", "lf": rb"\n", "crlf": rb"\r\n"}
MAX_LINE = 4096  # a scanner that never sends its terminator must not fill memory


class SerialPort(Protocol):
    """A byte stream from a scanner."""

    def read(self, size: int) -> bytes:
        """Return up to size bytes, or b'' after the read timeout."""
        ...

    def close(self) -> None:
        """Close the port."""
        ...


class PySerialPort:
    """A real serial port opened with pyserial."""

    def __init__(self, port: str, baudrate: int = 9600, timeout: float = 0.2) -> None:
        import serial

        try:
            self._port: Any = serial.Serial(port, baudrate=baudrate, timeout=timeout)
        except (serial.SerialException, OSError) as err:
            raise SourceError(f"cannot open serial port {port}: {err}") from err
        self._error: type[Exception] = serial.SerialException
        self.name = port

    def read(self, size: int) -> bytes:
        """Read what is waiting, translating a vanished port into SourceError."""
        try:
            return bytes(self._port.read(max(1, min(size, self._port.in_waiting or 1))))
        except (self._error, OSError) as err:
            raise SourceError(f"serial port {self.name} failed: {err}") from err

    def close(self) -> None:
        """Close the port."""
        self._port.close()


class LineFramer:
    """Split a byte stream into text codes, dropping garbage with a log line."""

    def __init__(self, terminator: str = "any", encoding: str = "utf-8") -> None:
        if terminator not in TERMINATORS:
            raise ConfigError(f"unknown serial terminator {terminator!r}; use {list(TERMINATORS)}")
        self._split = re.compile(TERMINATORS[terminator])
        self._encoding = encoding
        self._buffer = b""

    def feed(self, data: bytes) -> list[str]:
        """Consume bytes; return every complete, clean code."""
        parts = self._split.split(self._buffer + data)
        self._buffer = parts.pop()
        if len(self._buffer) > MAX_LINE:
            log.warning("serial: %d bytes without terminator dropped", len(self._buffer))
            self._buffer = b""
        return [text for text in map(self._clean, parts) if text]

    def _clean(self, raw: bytes) -> str | None:
        """Decode one line; None for empty or undecodable bytes."""
        try:
            text = raw.decode(self._encoding).strip()
        except UnicodeDecodeError:
            log.warning("serial: dropped undecodable bytes %r", raw[:64])
            return None
        if text and not text.isprintable():
            log.warning("serial: dropped line with control characters %r", text[:64])
            return None
        return text or None


class SerialSource(ReopeningSource[SerialPort]):
    """Emit codes from a serial scanner; reopen the port when it fails."""

    kind = "serial"

    def __init__(self, name: str, opener: Callable[[], SerialPort], *, terminator: str = "any",
                 encoding: str = "utf-8", symbology: str = "Unknown",
                 backoff: Backoff | None = None) -> None:
        super().__init__(name, backoff)
        self._opener = opener
        self._terminator = terminator
        self._encoding = encoding
        LineFramer(terminator, encoding)  # validate now: a bad terminator is a config error
        self._symbology = symbology

    def _open(self) -> SerialPort:
        return self._opener()

    def _read(self, port: SerialPort, emit: Emit, stop: threading.Event) -> None:
        """Frame codes from one open port."""
        framer = LineFramer(self._terminator, self._encoding)
        while not stop.is_set():
            for text in framer.feed(port.read(256)):
                emit(Read(text, self._symbology, self.name))
