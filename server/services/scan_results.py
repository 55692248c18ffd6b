"""What recording a scan gives back: the station's ack and what live screens hear."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScanResult:
    """The ack for the station and what live screens need to hear about."""

    ack: dict[str, Any]
    replayed: bool = False       # nothing new happened (a resent event, a deferral): no broadcast
    scan: dict[str, Any] = field(default_factory=dict)
    batch: dict[str, Any] | None = None
    run: str | None = None
    station: str = ""
