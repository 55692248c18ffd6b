"""Read codes from a USB HID keyboard-wedge scanner through evdev."""

from __future__ import annotations

import errno
import logging
import select
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from evdev import InputEvent, ecodes

from station.backoff import Backoff
from station.errors import ConfigError, SourceError
from station.scans import Read
from station.sources.protocol import Emit
from station.sources.reopening import ReopeningSource

log = logging.getLogger(__name__)

KEY_UP, KEY_DOWN, KEY_HOLD = 0, 1, 2

_SHIFTS = {ecodes.KEY_LEFTSHIFT, ecodes.KEY_RIGHTSHIFT}
TERMINATORS: dict[str, set[int]] = {
    "enter": {ecodes.KEY_ENTER, ecodes.KEY_KPENTER},
    "tab": {ecodes.KEY_TAB},
}


def _build_keymap() -> dict[int, tuple[str, str]]:
    """Map US-layout key codes to (plain, shifted) characters."""
    keymap: dict[int, tuple[str, str]] = {}
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        keymap[getattr(ecodes, f"KEY_{letter}")] = (letter.lower(), letter)
    for digit, shifted in zip("1234567890", "!@#$%^&*()", strict=True):
        keymap[getattr(ecodes, f"KEY_{digit}")] = (digit, shifted)
    punctuation = {
        "MINUS": ("-", "_"), "EQUAL": ("=", "+"), "LEFTBRACE": ("[", "{"),
        "RIGHTBRACE": ("]", "}"), "SEMICOLON": (";", ":"), "APOSTROPHE": ("'", '"'),
        "GRAVE": ("`", "~"), "BACKSLASH": ("\\", "|"), "COMMA": (",", "<"),
        "DOT": (".", ">"), "SLASH": ("/", "?"), "SPACE": (" ", " "),
        "KPMINUS": ("-", "-"), "KPPLUS": ("+", "+"), "KPDOT": (".", "."),
        "KPSLASH": ("/", "/"), "KPASTERISK": ("*", "*"),
    }
    for key, chars in punctuation.items():
        keymap[getattr(ecodes, f"KEY_{key}")] = chars
    for digit in "0123456789":
        keymap[getattr(ecodes, f"KEY_KP{digit}")] = (digit, digit)
    return keymap


KEYMAP = _build_keymap()


class KeyAssembler:
    """Turn key events into complete codes, honouring shift and the terminator."""

    def __init__(self, terminator: str = "enter") -> None:
        if terminator not in TERMINATORS:
            raise ConfigError(f"unknown HID terminator {terminator!r}; use {sorted(TERMINATORS)}")
        self._terminators = TERMINATORS[terminator]
        self._shift = False
        self._chars: list[str] = []

    def feed(self, event: InputEvent) -> str | None:
        """Consume one event; return a code when its terminator arrives."""
        if event.type != ecodes.EV_KEY:
            return None
        if event.code in _SHIFTS:
            self._shift = event.value != KEY_UP
            return None
        if event.value != KEY_DOWN:
            return None  # key-up and autorepeat carry no new characters
        if event.code in self._terminators:
            code, self._chars = "".join(self._chars), []
            return code or None
        chars = KEYMAP.get(event.code)
        if chars is None:
            log.debug("HID: ignoring unmapped key %s", event.code)
        else:
            self._chars.append(chars[1] if self._shift else chars[0])
        return None

    def feed_all(self, events: Iterable[InputEvent]) -> list[str]:
        """Consume many events; return every completed code."""
        return [code for code in map(self.feed, events) if code is not None]


class KeyboardDevice(Protocol):
    """An input device that yields key events until it is unplugged."""

    def grab(self) -> None:
        """Take the device exclusively so keystrokes do not reach other programs."""
        ...

    def events(self, stop: threading.Event) -> Iterator[InputEvent]:
        """Yield events until stop; raise SourceError when the device vanishes."""
        ...

    def close(self) -> None:
        """Release and close the device."""
        ...


class EvdevKeyboard:
    """A real evdev input device, e.g. /dev/input/by-id/usb-Scanner-event-kbd."""

    def __init__(self, path: str) -> None:
        import evdev

        try:
            self._dev: Any = evdev.InputDevice(path)
        except OSError as err:
            raise SourceError(f"cannot open HID device {path}: {err}") from err
        self.path = path

    def grab(self) -> None:
        """Grab the device exclusively."""
        try:
            self._dev.grab()
        except OSError as err:
            raise SourceError(f"cannot grab HID device {self.path}: {err}") from err

    def events(self, stop: threading.Event) -> Iterator[InputEvent]:
        """Yield events, waking regularly to notice stop."""
        while not stop.is_set():
            try:
                ready, _, _ = select.select([self._dev.fd], [], [], 0.2)
                if ready:
                    yield from self._dev.read()
            except BlockingIOError:
                continue
            except OSError as err:
                if err.errno in (errno.ENODEV, errno.EBADF, errno.EIO):
                    raise SourceError(f"HID device {self.path} unplugged") from err
                raise SourceError(f"HID device {self.path}: {err}") from err

    def close(self) -> None:
        """Ungrab and close, ignoring a device that is already gone."""
        try:
            self._dev.ungrab()
        except OSError:
            log.debug("HID device %s already gone at ungrab", self.path)
        self._dev.close()


class FakeKeyboard:
    """Replay recorded events, then raise as if unplugged (or end quietly)."""

    def __init__(self, events: Iterable[InputEvent], *, unplug_at_end: bool = False) -> None:
        self._events = list(events)
        self._unplug_at_end = unplug_at_end
        self.grabbed = False
        self.closed = False

    def grab(self) -> None:
        """Record the grab."""
        self.grabbed = True

    def events(self, stop: threading.Event) -> Iterator[InputEvent]:
        """Yield the recording, then unplug or idle until stop."""
        yield from self._events
        if self._unplug_at_end:
            raise SourceError("fake keyboard unplugged")
        stop.wait()

    def close(self) -> None:
        """Record the close."""
        self.closed = True


class HidSource(ReopeningSource[KeyboardDevice]):
    """Emit codes typed by a grabbed wedge scanner; reopen it after an unplug."""

    kind = "HID"

    def __init__(self, name: str, opener: Callable[[], KeyboardDevice], *,
                 terminator: str = "enter", symbology: str = "Unknown",
                 backoff: Backoff | None = None) -> None:
        super().__init__(name, backoff)
        self._opener = opener
        self._terminator = terminator
        KeyAssembler(terminator)  # validate now: a bad terminator is a config error
        self._symbology = symbology

    def _open(self) -> KeyboardDevice:
        device = self._opener()
        try:
            device.grab()
        except SourceError:
            device.close()
            raise
        return device

    def _read(self, device: KeyboardDevice, emit: Emit, stop: threading.Event) -> None:
        """Assemble codes from one open device (a fresh assembler drops half a code)."""
        assembler = KeyAssembler(self._terminator)
        for event in device.events(stop):
            code = assembler.feed(event)
            if code is not None:
                emit(Read(code, self._symbology, self.name))
