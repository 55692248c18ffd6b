"""What a station sends: checking a scan body before anything is looked up or stored."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .batches import Reason

MAX_CODE_LENGTH = 4096
MAX_FIELD_LENGTH = 64


@dataclass(frozen=True, slots=True)
class ScanRequest:
    event_id: str
    code: str
    symbology: str
    source: str
    scanned_at: datetime
    operator: str | None


@dataclass(frozen=True, slots=True)
class InvalidScan:
    """A body that cannot be applied; it is still stored, as a rejected scan."""

    event_id: str | None
    message: str
    raw_code: str
    reason: Reason = Reason.INVALID_PAYLOAD


def parse_scan(body: object, *, now: datetime, max_skew: timedelta) -> ScanRequest | InvalidScan:
    """Return the checked scan, or why it cannot be applied (never raises on junk)."""
    if not isinstance(body, Mapping):
        return InvalidScan(None, "a scan is a JSON object", "")
    event_id = _uuid(body.get("event_id"))
    raw = body.get("code")
    raw_text = _printable(raw[:MAX_CODE_LENGTH]) if isinstance(raw, str) else ""
    problem = _problem(body, event_id, raw)
    if problem:
        return InvalidScan(event_id, problem, raw_text)
    scanned_at = _timestamp(body.get("scanned_at"))
    if scanned_at is None:
        return InvalidScan(event_id, "scanned_at must be an ISO-8601 time with a zone", raw_text)
    if abs(scanned_at - now) > max_skew:
        return InvalidScan(event_id, f"scanned_at {scanned_at.isoformat()} is too far from "
                           f"the server's clock", raw_text)
    assert event_id is not None and isinstance(raw, str)
    operator = body.get("operator")
    return ScanRequest(event_id, raw.strip(), str(body.get("symbology") or "")[:32],
                       str(body.get("source") or "")[:MAX_FIELD_LENGTH], scanned_at,
                       operator[:MAX_FIELD_LENGTH] if isinstance(operator, str) and operator
                       else None)


def _problem(body: Mapping[str, object], event_id: str | None, raw: object) -> str | None:
    if event_id is None:
        return "event_id must be a UUID"
    if not isinstance(raw, str) or not raw.strip():
        return "code must be a non-empty string"
    if len(raw) > MAX_CODE_LENGTH:
        return f"code is longer than {MAX_CODE_LENGTH} characters"
    if any(ord(c) < 32 and c not in "\t\x1d" for c in raw) or "\ufffd" in raw:
        return "code holds control characters or undecodable bytes"
    for name in ("symbology", "source", "operator"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            return f"{name} must be a string"
    return None


def _printable(text: str) -> str:
    """Escape control characters, so junk can be stored (PostgreSQL refuses NUL) and shown."""
    if all(ord(c) >= 32 or c in "\t\x1d" for c in text):
        return text
    return "".join(c if ord(c) >= 32 else f"\\x{ord(c):02x}" for c in text)


def _uuid(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None
