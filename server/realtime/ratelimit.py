"""A token bucket per station: a flood is deferred, never acknowledged and dropped."""

from __future__ import annotations

import threading
import time
from typing import Any

from station import protocol

from ..metrics import count_scan


class RateLimiter:
    def __init__(self, per_second: float, burst_seconds: float = 2.0) -> None:
        self.rate = per_second
        self.capacity = max(1.0, per_second * burst_seconds)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float:
        """Take one token for key; return 0 if allowed, else seconds until one is free."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


def deferred_ack(body: object, retry_after: float) -> dict[str, Any]:
    """The ack for a scan refused for rate (counted): not stored, the agent resends it."""
    count_scan(protocol.Outcome.DEFERRED.value, protocol.Reason.RATE_LIMITED.value)
    event_id = body.get("event_id") if isinstance(body, dict) else None
    return protocol.deferred_ack(event_id if isinstance(event_id, str) else None, retry_after,
                                 "Too many scans, slow down")
