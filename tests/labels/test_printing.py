"""Tests for labels.printing and labels.spool against real sockets and a real subprocess."""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from labels.errors import PrinterConfigError, PrinterError
from labels.printing import CupsPrinter, FakePrinter, Raw9100Printer, parse_printers
from labels.render import render_labels
from labels.spool import PrintSpool, open_spool, print_labels
from tests.labels.support import make_label

PAYLOAD = os.urandom(3 * 1024 * 1024)  # larger than any socket buffers in play


class Listener:
    """A stand-in printer on 127.0.0.1 that records every connection's bytes.

    ``stall="read"`` accepts connections but reads nothing, ``stall="accept"`` leaves them
    in the backlog, both until ``release()``; a tiny receive buffer makes senders block soon.
    """

    def __init__(self, port: int = 0, *, stall: str | None = None):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if stall:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.stall = stall
        self.received: list[bytes] = []
        self.released = threading.Event()
        if not stall:
            self.released.set()
        threading.Thread(target=self._serve, daemon=True).start()

    def release(self) -> None:
        """Let a stalled listener accept and read."""
        self.released.set()

    def _serve(self) -> None:
        while True:
            if self.stall == "accept":
                self.released.wait()
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed at the end of the test
            self.released.wait()
            self.received.append(self._read_all(conn))

    @staticmethod
    def _read_all(conn: socket.socket) -> bytes:
        chunks: list[bytes] = []
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listeners() -> Iterator[list[Listener]]:
    """Collect listeners and close them after the test."""
    made: list[Listener] = []
    yield made
    for listener in made:
        listener.close()


def closed_port() -> int:
    """Return a local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(listener: Listener, count: int) -> None:
    """Wait until the listener has finished ``count`` connections."""
    for _ in range(500):
        if len(listener.received) >= count:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"listener saw {len(listener.received)} connections, wanted {count}")


def test_raw_9100_delivers_every_byte_intact(tmp_path: Path, listeners: list[Listener]) -> None:
    listener = Listener()
    listeners.append(listener)
    spool = PrintSpool(tmp_path, {"zebra": Raw9100Printer("127.0.0.1", listener.port, timeout=5)})
    job = spool.print_job("zebra", PAYLOAD, title="run 42")
    wait_for(listener, 1)
    assert listener.received == [PAYLOAD]
    assert spool.pending() == [] and [j.id for j in spool.done()] == [job.id]


def test_a_refused_connection_keeps_the_job_until_the_printer_is_back(
    tmp_path: Path, listeners: list[Listener]
) -> None:
    port = closed_port()
    spool = PrintSpool(tmp_path, {"zebra": Raw9100Printer("127.0.0.1", port, timeout=2)})
    with pytest.raises(PrinterError, match="refused") as caught:
        spool.print_job("zebra", b"^XA^FDhello^FS^XZ")
    [pending] = spool.pending()
    assert caught.value.job_id == pending.id and pending.attempts == 1 and pending.last_error
    listener = Listener(port)
    listeners.append(listener)
    report = spool.retry_pending()
    wait_for(listener, 1)
    assert report.sent == [pending.id] and not report.failed
    assert listener.received == [b"^XA^FDhello^FS^XZ"] and spool.pending() == []


def test_a_printer_that_stops_reading_times_out_and_the_half_sent_job_is_retried(
    tmp_path: Path, listeners: list[Listener]
) -> None:
    listener = Listener(stall="read")
    listeners.append(listener)
    spool = PrintSpool(tmp_path, {"zebra": Raw9100Printer("127.0.0.1", listener.port, timeout=0.5)})
    with pytest.raises(PrinterError, match=r"timed out|stopped taking data"):
        spool.print_job("zebra", PAYLOAD)
    assert len(spool.pending()) == 1 and spool.done() == []
    listener.release()
    # The printer is back; give it a generous timeout so a loaded CI box cannot flake.
    spool.printers["zebra"] = Raw9100Printer("127.0.0.1", listener.port, timeout=10)
    report = spool.retry_pending()
    wait_for(listener, 2)
    assert len(report.sent) == 1
    half_sent, complete = listener.received
    assert len(half_sent) < len(PAYLOAD) and complete == PAYLOAD
    assert spool.pending() == []


def test_a_printer_that_never_accepts_times_out(tmp_path: Path, listeners: list[Listener]) -> None:
    listener = Listener(stall="accept")
    listeners.append(listener)
    spool = PrintSpool(tmp_path, {"zebra": Raw9100Printer("127.0.0.1", listener.port, timeout=0.5)})
    with pytest.raises(PrinterError):
        spool.print_job("zebra", PAYLOAD)
    assert len(spool.pending()) == 1


def fake_lp(tmp_path: Path, body: str) -> str:
    """Write an executable stand-in for CUPS' lp and return its path."""
    script = tmp_path / "lp"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_cups_gets_the_queue_title_raw_option_and_the_bytes_on_stdin(tmp_path: Path) -> None:
    lp = fake_lp(tmp_path, f'printf "%s\\n" "$@" > {tmp_path}/args; cat > {tmp_path}/data')
    CupsPrinter("Line1_Zebra", raw=True, lp=lp).send(b"^XA^XZ", title="run 42")
    assert (tmp_path / "args").read_text().split("\n")[:6] == [
        "-d",
        "Line1_Zebra",
        "-t",
        "run 42",
        "-o",
        "raw",
    ]
    assert (tmp_path / "data").read_bytes() == b"^XA^XZ"


def test_cups_errors_and_timeouts_become_printer_errors_and_keep_the_job(tmp_path: Path) -> None:
    refusing = CupsPrinter(
        "Nope", lp=fake_lp(tmp_path, 'echo "lp: The printer does not exist." >&2; exit 1')
    )
    with pytest.raises(PrinterError, match="does not exist"):
        refusing.send(b"%PDF-", title="x")
    (tmp_path / "slow").mkdir()
    hanging = CupsPrinter("Slow", timeout=0.3, lp=fake_lp(tmp_path / "slow", "exec sleep 5"))
    spool = PrintSpool(tmp_path / "spool", {"office": hanging})
    with pytest.raises(PrinterError, match="timed out"):
        spool.print_job("office", b"%PDF-")
    assert len(spool.pending()) == 1
    with pytest.raises(PrinterError, match="not found"):
        CupsPrinter("Q", lp=str(tmp_path / "missing-lp")).send(b"", title="x")


def test_pending_jobs_survive_a_restart_and_print_once(tmp_path: Path) -> None:
    offline = FakePrinter(error=PrinterError("offline"))
    with pytest.raises(PrinterError):
        PrintSpool(tmp_path, {"p": offline}).print_job("p", b"job-1")
    restarted = FakePrinter()
    spool = PrintSpool(tmp_path, {"p": restarted})
    assert len(spool.retry_pending().sent) == 1
    assert spool.retry_pending().sent == []
    assert restarted.jobs == [("Floorline labels", b"job-1")]


def test_reprint_sends_a_delivered_job_again_as_a_new_job(tmp_path: Path) -> None:
    printer = FakePrinter()
    spool = PrintSpool(tmp_path, {"p": printer})
    first = spool.print_job("p", b"labels", title="run 42")
    again = spool.reprint(first.id)
    assert again.id != first.id and printer.jobs[1] == ("run 42 (reprint)", b"labels")
    with pytest.raises(PrinterError):
        spool.reprint("no-such-job")


def test_printers_come_from_toml_configuration() -> None:
    configs = parse_printers(
        """
[printers.line1]
kind = "raw9100"
host = "10.0.4.21"
format = "zpl"
layout = "thermal-50x25"
[printers.office]
kind = "cups"
queue = "Office_Laser"
format = "pdf"
layout = "a4-3x8"
dpi = 300
"""
    )
    assert configs["line1"].port == 9100 and configs["line1"].dpi == 203
    assert configs["office"].queue == "Office_Laser"


@pytest.mark.parametrize(
    "body",
    [
        'kind = "cups"\nformat = "pdf"\nlayout = "a4-3x8"',  # no queue
        'kind = "raw9100"\nformat = "zpl"\nlayout = "x"',  # no host
        'kind = "lpd"\nhost = "h"\nformat = "zpl"\nlayout = "x"',
        'kind = "raw9100"\nhost = "h"\nformat = "zpl"\nlayout = "x"\ncolour = "red"',
    ],
)
def test_invalid_printer_definitions_are_refused(body: str) -> None:
    with pytest.raises(PrinterConfigError):
        parse_printers(f"[printers.bad]\n{body}\n")


def test_print_labels_renders_in_the_printers_format_and_layout(tmp_path: Path) -> None:
    config = parse_printers(
        '[printers.z]\nkind = "raw9100"\nhost = "h"\nformat = "zpl"\n'
        'layout = "thermal-50x25"\ndpi = 300\n'
    )["z"]
    printer = FakePrinter()
    print_labels(PrintSpool(tmp_path, {"z": printer}), config, [make_label(1), make_label(2)])
    [(_, data)] = printer.jobs
    assert data.count(b"^XA") == 2 and b"^PW591" in data  # 50 mm at 300 dpi


def test_an_unknown_printer_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PrinterConfigError, match="known printers: p"):
        PrintSpool(tmp_path, {"p": FakePrinter()}).print_job("q", b"x")


def test_a_zpl_job_reaches_a_raw_9100_printer_byte_for_byte(
    tmp_path: Path, listeners: list[Listener]
) -> None:
    listener = Listener()
    listeners.append(listener)
    config = parse_printers(
        f'[printers.zebra]\nkind = "raw9100"\nhost = "127.0.0.1"\nport = {listener.port}\n'
        'format = "zpl"\nlayout = "thermal-50x25"\n'
    )["zebra"]
    spool = open_spool(tmp_path, {"zebra": config})
    labels = [make_label(1, item_name="Grüße"), make_label(2)]
    print_labels(spool, config, labels)
    wait_for(listener, 1)
    [received] = listener.received
    assert received == render_labels(labels, "zpl", "thermal-50x25", dpi=203)
    assert "^FH_^FDWDG-100 Grüße^FS" in received.decode("utf-8")
    assert received.count(b"^XA") == 2 and spool.pending() == []


def test_two_spools_retrying_the_same_directory_send_each_job_exactly_once(tmp_path: Path) -> None:
    offline = PrintSpool(tmp_path, {"p": FakePrinter(error=PrinterError("offline"))})
    for n in range(6):
        with pytest.raises(PrinterError):
            offline.print_job("p", f"job-{n}".encode())
    gate = threading.Barrier(2)

    class SlowPrinter(FakePrinter):
        def send(self, data: bytes, *, title: str) -> None:
            threading.Event().wait(0.02)  # hold the job lock while the other spool tries
            super().send(data, title=title)

    printer = SlowPrinter()

    def retry() -> None:
        gate.wait()
        PrintSpool(tmp_path, {"p": printer}).retry_pending()

    workers = [threading.Thread(target=retry) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(data for _, data in printer.jobs) == [f"job-{n}".encode() for n in range(6)]
    assert offline.pending() == []
