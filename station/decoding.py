"""Find barcodes in images with a selectable backend, and suppress repeated reads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import cv2
import numpy as np
import numpy.typing as npt

from station.errors import ConfigError, DecodeError

Image = npt.NDArray[np.uint8]

DEFAULT_FORMATS = ("QRCode",)
BACKENDS = ("cascade", "zxing", "pyzbar")

# pyzbar names its symbologies differently; the station always reports zxing-cpp's names.
_ZBAR_TO_NAME = {
    "QRCODE": "QRCode", "CODE128": "Code128", "CODE39": "Code39", "CODE93": "Code93",
    "EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "UPCA", "UPCE": "UPCE", "I25": "ITF",
    "PDF417": "PDF417", "CODABAR": "Codabar", "DATABAR": "DataBar",
}
_NAME_TO_ZBAR = {name: zbar for zbar, name in _ZBAR_TO_NAME.items()}
ZBAR_FORMATS = frozenset(_NAME_TO_ZBAR)


@dataclass(frozen=True)
class Symbol:
    """One code found in an image."""

    text: str
    symbology: str
    # Which decoder or cascade pass read it: reported, never part of a code's identity.
    found_by: str = field(default="", compare=False)


class Decoder(Protocol):
    """Find every code of the configured formats in one image."""

    def decode(self, image: Image) -> list[Symbol]:
        """Return the codes found in a BGR or grayscale image."""
        ...


class ZxingDecoder:
    """Decode with zxing-cpp (the default backend)."""

    def __init__(self, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        import cv2
        import zxingcpp

        self._cv2: Any = cv2
        self._zx: Any = zxingcpp
        try:
            self._formats = zxingcpp.barcode_formats_from_str(",".join(formats))
        except ValueError as err:
            raise ConfigError(f"unknown barcode format in {list(formats)}: {err}") from err

    def decode(self, image: Image) -> list[Symbol]:
        """Return the codes found in a BGR or grayscale image."""
        if image.ndim == 3:
            image = self._cv2.cvtColor(image, self._cv2.COLOR_BGR2GRAY)
        # Printed labels are dark on light: skipping the inverted pass halves the time on
        # noisy frames (15 -> 7 ms at 720p); the cascade's fallbacks read etched marks.
        found = self._zx.read_barcodes(image, formats=self._formats, try_invert=False)
        return [Symbol(b.text, b.format.name, "zxing") for b in found if b.valid]

    def decode_all_ways(self, image: Image) -> list[Symbol]:
        """Return the codes zxing-cpp finds with its defaults (inverted marks too)."""
        found = self._zx.read_barcodes(image, formats=self._formats)
        return [Symbol(b.text, b.format.name, "zxing") for b in found if b.valid]


class PyzbarDecoder:
    """Decode with ZBar through pyzbar."""

    def __init__(self, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        from pyzbar import pyzbar

        self._pyzbar: Any = pyzbar
        try:
            self._symbols = [pyzbar.ZBarSymbol[_NAME_TO_ZBAR[name]] for name in formats]
        except KeyError as err:
            raise ConfigError(f"pyzbar cannot decode format {err}") from err

    def decode(self, image: Image) -> list[Symbol]:
        """Return the codes found in a BGR or grayscale image."""
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        found = self._pyzbar.decode(gray, symbols=self._symbols)
        return [
            Symbol(r.data.decode("utf-8", errors="replace"), _ZBAR_TO_NAME.get(r.type, r.type),
                   "pyzbar")
            for r in found
        ]


def make_decoder(backend: str = "zxing", formats: Iterable[str] = DEFAULT_FORMATS, *,
                 budget_ms: float | None = None) -> Decoder:
    """Build the decoder a station configures; a cascade's fallbacks get budget_ms a frame."""
    if backend == "cascade":
        from station.cascade import make_cascade

        return make_cascade(formats, budget_ms=budget_ms)
    if backend == "zxing":
        return ZxingDecoder(formats)
    if backend == "pyzbar":
        return PyzbarDecoder(formats)
    raise ConfigError(f"unknown decoder backend {backend!r}; choose one of {BACKENDS}")


def load_image(path: str | Path) -> Image:
    """Read an image file, raising DecodeError when it is missing or not an image."""
    if not Path(path).is_file():  # before OpenCV, which would print its own warning
        raise DecodeError(f"no such image file {path}")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise DecodeError(f"cannot read image {path}")
    return cast(Image, image)


def decode_file(path: str | Path, decoder: Decoder) -> list[Symbol]:
    """Return every code found in one image file."""
    return decoder.decode(load_image(path))


class Suppressor:
    """Let the same code from the same source through once per quiet window."""

    def __init__(self, window: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._last_seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def admit(self, source: str, text: str) -> bool:
        """Return whether a read is new; every sighting restarts its window."""
        now = self._clock()
        key = (source, text)
        with self._lock:
            last = self._last_seen.get(key)
            # Sliding window: a label held in front of a camera keeps being seen, so it
            # must keep being suppressed until it has been away for a whole window.
            self._last_seen[key] = now
            self._forget_older_than(now - self.window)
            return last is None or now - last >= self.window

    def _forget_older_than(self, cutoff: float) -> None:
        """Drop stale entries so the table does not grow with every code ever seen."""
        if len(self._last_seen) > 256:
            self._last_seen = {k: t for k, t in self._last_seen.items() if t >= cutoff}
