"""Hold the scan event and the source read it is made from."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
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

    def to_body(self) -> dict[str, Any]:
        """Return the protocol body, leaving out an absent operator."""
        body = asdict(self)
        if body["operator"] is None:
            del body["operator"]
        return body

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Scan:
        """Build a scan from a stored protocol body."""
        try:
            return cls(
                event_id=str(body["event_id"]),
                code=str(body["code"]),
                symbology=str(body["symbology"]),
                scanned_at=str(body["scanned_at"]),
                source=str(body["source"]),
                operator=body.get("operator"),
            )
        except KeyError as err:
            raise OutboxError(f"stored scan lacks field {err}") from err


def utc_now_iso() -> str:
    """Return the station clock as an ISO-8601 UTC timestamp."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scan_from_read(read: Read, operator: str | None = None) -> Scan:
    """Stamp a read with a fresh event id and the station clock."""
    return Scan(
        event_id=str(uuid.uuid4()),
        code=read.text,
        symbology=read.symbology,
        scanned_at=utc_now_iso(),
        source=read.source,
        operator=operator,
    )
