"""Hold the scan event and the source read it is made from."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from station.errors import OutboxError


@dataclass(frozen=True)
class Read:
    """One code read by a source, before it becomes a scan event."""

    text: str
    symbology: str
    source: str


@dataclass(frozen=True)
class Scan:
    """One scan event as sent to the server (the fixed scan protocol body)."""

    event_id: str
    code: str
    symbology: str
    scanned_at: str
    source: str
    operator: str | None = None
    # Server minus station clock when the scan was made (None: not known yet). Stored
    # beside scanned_at, which stays the raw station time, so a scan is corrected once.
    clock_offset: float | None = field(default=None, compare=False)

    def to_body(self) -> dict[str, Any]:
        """Return the protocol body as the station clock saw it, leaving out no operator."""
        body: dict[str, Any] = {"event_id": self.event_id, "code": self.code,
                                "symbology": self.symbology, "scanned_at": self.scanned_at,
                                "source": self.source}
        if self.operator is not None:
            body["operator"] = self.operator
        return body

    def wire_body(self, known_offset: float | None) -> dict[str, Any]:
        """Return the body to send, scanned_at moved onto the server's clock.

        The offset learned when the scan was made wins; a scan made before any offset was
        known takes the one known now (a clock that was wrong then is wrong the same way).
        """
        body = self.to_body()
        offset = self.clock_offset if self.clock_offset is not None else known_offset
        if offset:
            body["scanned_at"] = shift_iso(self.scanned_at, offset)
        return body

    @classmethod
    def from_body(cls, body: dict[str, Any], clock_offset: float | None = None) -> Scan:
        """Build a scan from a stored protocol body."""
        try:
            return cls(
                event_id=str(body["event_id"]),
                code=str(body["code"]),
                symbology=str(body["symbology"]),
                scanned_at=str(body["scanned_at"]),
                source=str(body["source"]),
                operator=body.get("operator"),
                clock_offset=clock_offset,
            )
        except KeyError as err:
            raise OutboxError(f"stored scan lacks field {err}") from err


def utc_now_iso() -> str:
    """Return the station clock as an ISO-8601 UTC timestamp."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def shift_iso(stamp: str, seconds: float) -> str:
    """Return an ISO-8601 time moved by seconds (unparseable times go unchanged)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp  # the server rejects it as unreadable; nothing to correct
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shifted = moment.astimezone(UTC) + timedelta(seconds=seconds)
    return shifted.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scan_from_read(read: Read, operator: str | None = None, *,
                   clock_offset: float | None = None,
                   clock: Callable[[], str] = utc_now_iso) -> Scan:
    """Stamp a read with a fresh event id, the station clock and the offset known now."""
    return Scan(
        event_id=str(uuid.uuid4()),
        code=read.text,
        symbology=read.symbology,
        scanned_at=clock(),
        source=read.source,
        operator=operator,
        clock_offset=clock_offset,
    )
