"""Decode through a cascade of passes, cheapest first, stopping at the first that reads.

The fast pass reads nearly every printed label; the fallbacks (inverted marks, zxing-cpp's
full defaults, binarisation, contrast normalisation, sharpening, upscaling, ZBar) pay for
the rest, cheapest and likeliest first. A live camera gives the fallbacks a per-frame time
budget; still images get them all and the floor pass (zxing-cpp's defaults) as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import cv2
import numpy as np

from station.decoding import (
    DEFAULT_FORMATS,
    ZBAR_FORMATS,
    Image,
    PyzbarDecoder,
    Symbol,
    ZxingDecoder,
)
from station.errors import ConfigError

# ZBar checks no checksum on these (it is optional in the symbology), so a fallback could
# turn a smudged bar into a wrong digit: only zxing-cpp may report them.
_UNCHECKED = frozenset({"Code39", "Codabar", "ITF"})
# Weight of the newest run in a pass's running cost estimate, and the share of the estimate
# a pass keeps each time the budget has no room for it.
_COST_WEIGHT = 0.3
_SKIPPED_DECAY = 0.95
# zxing-cpp with every default on: what the cascade never reads less than.
FLOOR_STEP = "zxing-defaults"


@dataclass(frozen=True)
class Pass:
    """One way of looking at a frame: read(original, grayscale) -> codes."""

    name: str
    read: Callable[[Image, Image], list[Symbol]]


@dataclass(frozen=True)
class CascadeResult:
    """The codes of one frame, the pass that found them and how many passes ran."""

    symbols: list[Symbol]
    found_by: str | None
    passes_run: int


def _clahe(gray: Image) -> Image:
    """Equalise contrast tile by tile, lifting a label out of glare or shadow."""
    return np.asarray(cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray))


def _sharpen(gray: Image) -> Image:
    """Unsharp-mask the frame, restoring module edges a blur or smear softened."""
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return np.asarray(cv2.addWeighted(gray, 2.0, soft, -1.0, 0))


def _binarise(gray: Image) -> Image:
    """Threshold against the local mean, so a gradient of light does not swallow modules."""
    return np.asarray(cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                            cv2.THRESH_BINARY, 25, 2))


def _upscale(gray: Image) -> Image:
    """Double the resolution, giving a distant code's modules more than two pixels."""
    return np.asarray(cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))


def standard_passes(formats: Iterable[str] = DEFAULT_FORMATS) -> list[Pass]:
    """Return the station's passes in the order they pay off."""
    formats = tuple(formats)
    zx = ZxingDecoder(formats)
    passes = [
        Pass("fast", lambda _o, g: zx.decode(g)),
        Pass("inverted", lambda _o, g: zx.decode(255 - g)),
        # zxing-cpp with every default on the frame as given: the cascade never reads less.
        Pass(FLOOR_STEP, lambda o, _g: zx.decode_all_ways(o)),
        Pass("binarise", lambda _o, g: zx.decode_all_ways(_binarise(g))),
        Pass("clahe", lambda _o, g: zx.decode_all_ways(_clahe(g))),
        Pass("sharpen", lambda _o, g: zx.decode_all_ways(_sharpen(g))),
        Pass("upscale", lambda _o, g: zx.decode_all_ways(_upscale(g))),
    ]
    # ZBar is the slowest pass and last: it reads what zxing-cpp's detector cannot find.
    checked = [f for f in formats if f in ZBAR_FORMATS and f not in _UNCHECKED]
    if checked:
        zbar = PyzbarDecoder(checked)
        passes.append(Pass("pyzbar", lambda _o, g: zbar.decode(g)))
        passes.append(Pass("pyzbar-clahe", lambda _o, g: zbar.decode(_clahe(g))))
    return passes


class Cascade:
    """A decoder that tries passes in order and reports the first pass's reads once each."""

    def __init__(self, passes: Sequence[Pass], *, budget_ms: float | None = None,
                 floor: str | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        if not passes:
            raise ConfigError("a decoding cascade needs at least one pass")
        if budget_ms is not None and budget_ms < 0:
            raise ConfigError(f"frame budget must be 0 ms or more, not {budget_ms}")
        self.passes = list(passes)
        self.budget_ms = budget_ms
        # Still images also run the floor pass when an earlier one read: a photo with two
        # codes whose first the fast pass reads must still give both, as zxing-cpp alone does.
        self._floor = floor if budget_ms is None else None
        self._clock = clock
        self._cost: dict[str, float] = {}  # running estimate of each pass's seconds

    def decode(self, image: Image) -> list[Symbol]:
        """Return the codes of a BGR or grayscale image, each tagged with its pass."""
        return self.read(image).symbols

    def read(self, image: Image) -> CascadeResult:
        """Run passes until one reads or the budget has no room for the next."""
        gray = image if image.ndim == 2 else cast(Image, cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
        start = self._clock()
        for ran, step in enumerate(self.passes):
            if ran and not self._fits(step.name, self._clock() - start):
                # Forget a little of a skipped pass's cost, so one slow run does not bar it
                # for good: it is tried again once the estimate has decayed enough.
                if step.name in self._cost:
                    self._cost[step.name] *= _SKIPPED_DECAY
                return CascadeResult([], None, ran)
            began = self._clock()
            found = step.read(image, gray)
            self._note_cost(step.name, self._clock() - began)
            if found:
                return self._with_floor(image, gray, _once(found, step.name), ran + 1)
        return CascadeResult([], None, len(self.passes))

    def _with_floor(self, image: Image, gray: Image, found: list[Symbol],
                    ran: int) -> CascadeResult:
        """Add the floor pass's reads when it comes after the pass that read."""
        names = [step.name for step in self.passes]
        if self._floor not in names[ran:]:
            return CascadeResult(found, found[0].found_by, ran)
        floor = self.passes[names.index(self._floor)]
        more = _once(floor.read(image, gray), floor.name)
        return CascadeResult(_once([*found, *more], ""), found[0].found_by, ran + 1)

    def _fits(self, name: str, elapsed: float) -> bool:
        """Return whether a pass's expected cost fits in what is left of the budget."""
        if self.budget_ms is None:
            return True
        return (elapsed + self._cost.get(name, 0.0)) * 1000 <= self.budget_ms

    def _note_cost(self, name: str, seconds: float) -> None:
        """Fold one run's duration into the pass's cost estimate: up at once, down slowly."""
        old = self._cost.get(name)
        # A pass costs more on a busy frame (noise, texture) than on the last clean one:
        # trusting the slow run keeps the frame inside its budget when the scene changes.
        decayed = seconds if old is None else old + _COST_WEIGHT * (seconds - old)
        self._cost[name] = max(seconds, decayed)


def _once(found: Iterable[Symbol], pass_name: str) -> list[Symbol]:
    """Keep the first of each (text, symbology), tagged with pass_name (or its own tag)."""
    seen: dict[tuple[str, str], Symbol] = {}
    for symbol in found:
        tagged = replace(symbol, found_by=pass_name) if pass_name else symbol
        seen.setdefault((symbol.text, symbol.symbology), tagged)
    return list(seen.values())


def make_cascade(formats: Iterable[str] = DEFAULT_FORMATS, *,
                 budget_ms: float | None = None, **kwargs: Any) -> Cascade:
    """Build the station's cascade; a budget limits the fallbacks (None runs them all)."""
    return Cascade(standard_passes(formats), budget_ms=budget_ms, floor=FLOOR_STEP, **kwargs)
