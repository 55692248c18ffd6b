"""The HID wedge source turns recorded key events into codes and survives unplugging."""

from __future__ import annotations

import os
import threading
import time

import pytest
from evdev import InputEvent, ecodes

from station.backoff import Backoff
from station.errors import ConfigError, SourceError
from station.scans import Read
from station.sources.hid import FakeKeyboard, HidSource, KeyAssembler, KeyboardDevice
from station.sources.protocol import DISCONNECTED
from tests.station.waiting import wait_until

SHIFTED = {"_": "MINUS", ":": "SEMICOLON", "+": "EQUAL", "?": "SLASH"}
PLAIN = {"-": "MINUS", ".": "DOT", "/": "SLASH", ";": "SEMICOLON", " ": "SPACE"}


def key(code: int, value: int, t: float = 0.0) -> list[InputEvent]:
    """Return one key event as a scanner sends it: MSC_SCAN, KEY, SYN_REPORT."""
    sec, usec = int(t), int((t % 1) * 1e6)
    return [InputEvent(sec, usec, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000 + code),
            InputEvent(sec, usec, ecodes.EV_KEY, code, value),
            InputEvent(sec, usec, ecodes.EV_SYN, ecodes.SYN_REPORT, 0)]


def typed(text: str, terminator: int = ecodes.KEY_ENTER) -> list[InputEvent]:
    """Record the events a wedge scanner sends for text, pressing shift as a US keyboard."""
    events: list[InputEvent] = []
    for char in text:
        shift = char.isupper() or char in SHIFTED or (char in "!@#$%^&*()")
        if char.isalpha():
            name = char.upper()
        elif char.isdigit():
            name = char
        elif char in "!@#$%^&*()":
            name = "1234567890"["!@#$%^&*()".index(char)]
        else:
            name = SHIFTED[char] if shift else PLAIN[char]
        code = getattr(ecodes, f"KEY_{name}")
        if shift:
            events += key(ecodes.KEY_LEFTSHIFT, 1)
        events += key(code, 1) + key(code, 0)
        if shift:
            events += key(ecodes.KEY_LEFTSHIFT, 0)
    return events + key(terminator, 1) + key(terminator, 0)


def test_key_assembler_decodes_a_recorded_scan_with_shift() -> None:
    codes = KeyAssembler().feed_all(typed("PR-2026-00042_B3") + typed("lot:a/7"))
    assert codes == ["PR-2026-00042_B3", "lot:a/7"]


def test_key_assembler_ignores_autorepeat_and_key_up() -> None:
    events = key(ecodes.KEY_A, 1) + key(ecodes.KEY_A, 2) + key(ecodes.KEY_A, 0)
    assert KeyAssembler().feed_all(events + key(ecodes.KEY_ENTER, 1)) == ["a"]


def test_key_assembler_honours_a_tab_terminator() -> None:
    events = typed("B1", terminator=ecodes.KEY_TAB) + typed("B2")
    assert KeyAssembler("tab").feed_all(events) == ["B1"]


def test_unknown_terminator_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        KeyAssembler("semicolon")


def test_hid_source_grabs_the_device_and_survives_unplug_and_replug() -> None:
    plugs = [FakeKeyboard(typed("B-1"), unplug_at_end=True), FakeKeyboard(typed("B-2"))]
    attempts: list[int] = []

    def opener() -> KeyboardDevice:
        attempts.append(1)
        if len(attempts) == 2:
            raise SourceError("no such device (still unplugged)")
        return plugs.pop(0)

    devices = list(plugs)
    source = HidSource("hid:scanner", opener, backoff=Backoff(initial=0.01, maximum=0.05))
    reads: list[Read] = []
    statuses: list[str] = []
    stop = threading.Event()

    def emit(read: Read) -> None:
        reads.append(read)
        statuses.append(source.status)

    thread = threading.Thread(target=source.run, args=(emit, stop))
    thread.start()
    try:
        wait_until(lambda: len(reads) == 2)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert [r.text for r in reads] == ["B-1", "B-2"]
    assert all(d.grabbed and d.closed for d in devices)
    assert len(attempts) == 3


def test_hid_source_reports_disconnected_while_the_scanner_is_missing() -> None:
    def opener() -> KeyboardDevice:
        raise SourceError("no such device")

    source = HidSource("hid:scanner", opener, backoff=Backoff(initial=0.01, maximum=0.05))
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(lambda r: None, stop))
    thread.start()
    try:
        wait_until(lambda: source.status == DISCONNECTED)
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.mark.skipif(not os.access("/dev/uinput", os.W_OK), reason="/dev/uinput not accessible")
def test_hid_source_reads_a_real_uinput_virtual_keyboard() -> None:
    from evdev import UInput

    from station.sources.hid import EvdevKeyboard

    keys = [getattr(ecodes, f"KEY_{c}") for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]
    keys += [ecodes.KEY_MINUS, ecodes.KEY_ENTER, ecodes.KEY_LEFTSHIFT]
    with UInput({ecodes.EV_KEY: keys}, name="floorline-test-scanner") as ui:
        time.sleep(0.5)  # udev needs a moment to create the device node
        source = HidSource("hid:uinput", lambda: EvdevKeyboard(ui.device.path))
        reads: list[Read] = []
        stop = threading.Event()
        thread = threading.Thread(target=source.run, args=(reads.append, stop))
        thread.start()
        try:
            wait_until(lambda: source.status == "ok")
            for event in typed("B-42"):
                if event.type == ecodes.EV_KEY:
                    ui.write(ecodes.EV_KEY, event.code, event.value)
                    ui.syn()
            wait_until(lambda: len(reads) == 1)
        finally:
            stop.set()
            thread.join(timeout=10)
    assert reads[0].text == "B-42"
