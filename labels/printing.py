"""Printers behind one protocol: CUPS via ``lp``, raw TCP port 9100, and a fake for tests.

Printers are configuration (TOML ``[printers.<name>]``)::

    [printers.line1-zebra]
    kind = "raw9100"          # or "cups"
    host = "10.0.4.21"        # raw9100: host and port
    port = 9100
    format = "zpl"            # or "pdf"
    dpi = 203
    layout = "thermal-50x25"
    timeout = 10              # seconds for connect and for the data to be taken

    [printers.office]
    kind = "cups"
    queue = "Office_Laser"
    format = "pdf"
    layout = "a4-3x8"
"""

from __future__ import annotations

import fcntl
import socket
import struct
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from labels.errors import PrinterConfigError, PrinterError

PrinterKind = Literal["cups", "raw9100"]
PrintFormat = Literal["pdf", "zpl"]


class Printer(Protocol):
    """Something that takes a finished print job or raises PrinterError."""

    def send(self, data: bytes, *, title: str) -> None:
        """Deliver ``data`` completely, or raise PrinterError."""
        ...


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """One configured printer."""

    name: str
    kind: PrinterKind
    format: PrintFormat
    layout: str
    dpi: int = 203
    queue: str | None = None
    host: str | None = None
    port: int = 9100
    timeout: float = 10.0


class CupsPrinter:
    """Print through a CUPS queue with ``lp -d QUEUE``."""

    def __init__(self, queue: str, *, raw: bool = False, timeout: float = 30.0, lp: str = "lp"):
        self.queue, self.raw, self.timeout, self.lp = queue, raw, timeout, lp

    def send(self, data: bytes, *, title: str) -> None:
        """Hand the job to CUPS; ZPL goes with ``-o raw`` so no filter touches it."""
        command = [self.lp, "-d", self.queue, "-t", title, *(["-o", "raw"] if self.raw else [])]
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                command, input=data, capture_output=True, timeout=self.timeout, check=False
            )
        except FileNotFoundError as err:
            raise PrinterError(f"CUPS client {self.lp!r} not found; install cups-client") from err
        except subprocess.TimeoutExpired as err:
            raise PrinterError(f"CUPS queue {self.queue!r}: lp timed out") from err
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise PrinterError(f"CUPS queue {self.queue!r} refused the job: {reason}")


def _unacknowledged(sock: socket.socket) -> int:
    """Return bytes the peer has not yet acknowledged (Linux SIOCOUTQ), 0 where unknown."""
    if not sys.platform.startswith("linux"):
        return 0
    import termios  # Linux-only constant; SIOCOUTQ == TIOCOUTQ

    raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    return int(struct.unpack("i", raw)[0])


class Raw9100Printer:
    """Print by streaming bytes to TCP port 9100 (JetDirect / Zebra raw)."""

    def __init__(self, host: str, port: int = 9100, *, timeout: float = 10.0):
        self.host, self.port, self.timeout = host, port, timeout

    def send(self, data: bytes, *, title: str) -> None:
        """Send every byte and wait until the printer has acknowledged them all."""
        where = f"printer {self.host}:{self.port}"
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                self._send_chunks(sock, data)
                sock.shutdown(socket.SHUT_WR)
                self._wait_taken(sock, where)
        except ConnectionRefusedError as err:
            raise PrinterError(f"{where} refused the connection (offline?)") from err
        except TimeoutError as err:
            raise PrinterError(f"{where} timed out after {self.timeout:g} s") from err
        except OSError as err:
            raise PrinterError(f"{where}: {err.strerror or err}") from err

    def _send_chunks(self, sock: socket.socket, data: bytes) -> None:
        """Send in chunks: the timeout bounds a stall, not a slow printer's whole job.

        (``sendall`` would apply the timeout to the total, failing big PDFs on slow links.)
        """
        view = memoryview(data)
        while view:
            view = view[sock.send(view[:65536]) :]

    def _wait_taken(self, sock: socket.socket, where: str) -> None:
        """Wait for the send queue to drain: a sent byte is only in our kernel's buffer."""
        deadline, left = time.monotonic() + self.timeout, _unacknowledged(sock)
        while left > 0:
            time.sleep(0.005)
            now_left = _unacknowledged(sock)
            if now_left < left:
                deadline = time.monotonic() + self.timeout  # still taking data
            elif time.monotonic() > deadline:
                raise PrinterError(f"{where} stopped taking data; {left} bytes not delivered")
            left = now_left


@dataclass
class FakePrinter:
    """Record jobs in memory; set ``error`` to make the next sends fail."""

    jobs: list[tuple[str, bytes]] = field(default_factory=list)
    error: PrinterError | None = None

    def send(self, data: bytes, *, title: str) -> None:
        """Record the job, or raise the configured error."""
        if self.error is not None:
            raise self.error
        self.jobs.append((title, data))


def _config(name: str, raw: dict[str, Any]) -> PrinterConfig:
    """Validate one ``[printers.<name>]`` table."""
    try:
        config = PrinterConfig(name=name, **raw)
    except TypeError as err:
        raise PrinterConfigError(f"printer {name!r}: {err}") from err
    if config.kind not in ("cups", "raw9100") or config.format not in ("pdf", "zpl"):
        raise PrinterConfigError(f"printer {name!r}: kind is cups|raw9100, format is pdf|zpl")
    if config.kind == "cups" and not config.queue:
        raise PrinterConfigError(f"printer {name!r}: a cups printer needs 'queue'")
    if config.kind == "raw9100" and not config.host:
        raise PrinterConfigError(f"printer {name!r}: a raw9100 printer needs 'host'")
    return config


def parse_printers(text: str) -> dict[str, PrinterConfig]:
    """Parse a printers TOML document into configs by name."""
    try:
        tables = tomllib.loads(text).get("printers", {})
    except tomllib.TOMLDecodeError as err:
        raise PrinterConfigError(f"printers file is not valid TOML: {err}") from err
    return {name: _config(name, raw) for name, raw in tables.items()}


def load_printers(path: str | Path) -> dict[str, PrinterConfig]:
    """Read printer definitions from a TOML file."""
    try:
        return parse_printers(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise PrinterConfigError(f"cannot read printers file {path}: {err}") from err


def connect(config: PrinterConfig) -> Printer:
    """Return the real driver for a configured printer."""
    if config.kind == "cups":
        assert config.queue is not None  # checked by _config
        return CupsPrinter(config.queue, raw=config.format == "zpl", timeout=config.timeout)
    assert config.host is not None
    return Raw9100Printer(config.host, config.port, timeout=config.timeout)
