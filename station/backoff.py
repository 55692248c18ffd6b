"""Space out retries exponentially, capped, with jitter."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable


class Backoff:
    """Yield growing waits: initial * factor**n, capped at maximum, with equal jitter."""

    def __init__(
        self,
        initial: float = 0.5,
        maximum: float = 30.0,
        factor: float = 2.0,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self._rand = rand
        self.failures = 0

    def next_delay(self) -> float:
        """Return the wait before the next attempt and count one failure."""
        ceiling = min(self.maximum, self.initial * self.factor**self.failures)
        self.failures += 1
        # Equal jitter: never less than half the ceiling (no hammering), spread so that
        # a plant full of stations restarting together does not reconnect in lockstep.
        return ceiling / 2 + self._rand() * ceiling / 2

    def wait(self, stop: threading.Event) -> bool:
        """Sleep the next delay unless stopped first; return whether stop was set."""
        return stop.wait(self.next_delay())

    def reset(self) -> None:
        """Start over after a success."""
        self.failures = 0
