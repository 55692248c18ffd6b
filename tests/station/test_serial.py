"""The serial source reads codes over a real pty pair and drops garbage without crashing."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from station.backoff import Backoff
from station.scans import Read
from station.sources.serial import LineFramer, PySerialPort, SerialSource
from tests.station.waiting import wait_until


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, str]]:
    """Return the master fd and the slave device name of a pseudo-terminal."""
    master, slave = os.openpty()
    name = os.ttyname(slave)
    yield master, name
    os.close(master)
    os.close(slave)


def run_source(source: SerialSource) -> tuple[list[Read], threading.Event, threading.Thread]:
    """Start a serial source on a thread collecting its reads."""
    reads: list[Read] = []
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(reads.append, stop))
    thread.start()
    return reads, stop, thread


def test_serial_source_reads_codes_written_to_a_pty(pty_pair: tuple[int, str]) -> None:
    master, name = pty_pair
    source = SerialSource("serial:pty", lambda: PySerialPort(name, 115200))
    reads, stop, thread = run_source(source)
    try:
        wait_until(lambda: source.status == "ok")
        os.write(master, b"B-0001\r\nB-00")
        os.write(master, b"02\rB-0003\n")
        wait_until(lambda: len(reads) == 3)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert [r.text for r in reads] == ["B-0001", "B-0002", "B-0003"]
    assert reads[0].source == "serial:pty"


def test_serial_source_drops_garbage_bytes_and_keeps_reading(pty_pair: tuple[int, str]) -> None:
    master, name = pty_pair
    source = SerialSource("serial:pty", lambda: PySerialPort(name, 9600),
                          backoff=Backoff(initial=0.01, maximum=0.05))
    reads, stop, thread = run_source(source)
    try:
        wait_until(lambda: source.status == "ok")
        os.write(master, b"\xff\xfe\x80garbage\r\nB-\x01\x02\r\nB-0009\r\n")
        wait_until(lambda: len(reads) == 1)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert [r.text for r in reads] == ["B-0009"]


def test_line_framer_respects_a_configured_terminator() -> None:
    framer = LineFramer("crlf")
    assert framer.feed(b"B-1\r\nB-2") == ["B-1"]
    assert framer.feed(b"\r\n") == ["B-2"]
    framer = LineFramer("lf")
    assert framer.feed(b"B-1\nB-2\nB-") == ["B-1", "B-2"]
    assert framer.feed(b"3\n") == ["B-3"]


def test_line_framer_drops_an_endless_line_instead_of_growing() -> None:
    framer = LineFramer()
    assert framer.feed(b"x" * 5000) == []
    assert framer.feed(b"B-1\n") == ["B-1"]
