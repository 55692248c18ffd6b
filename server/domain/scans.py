"""What a station sends: checking a scan body before anything is looked up or stored."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .batches import Reason
from .text import is_clean

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


def parse_scan(body: object, *, now: datetime, max_skew: timedelta, max_age: timedelta
               ) -> ScanRequest | InvalidScan:
    """Return the checked scan, or why it cannot be applied (never raises on junk).

    A scan may arrive long after it was made (a station cut off over a weekend sends its
    outbox on Monday), so only max_age bounds the past; max_skew bounds the future.
    """
    if not isinstance(body, Mapping):
        return InvalidScan(None, "a scan is a JSON object", "")
    event_id = event_id_of(body)
    raw = body.get("code")
    raw_text = _printable(raw[:MAX_CODE_LENGTH]) if isinstance(raw, str) else ""
    problem = _problem(body, event_id, raw)
    if problem:
        return InvalidScan(event_id, problem, raw_text)
    scanned_at = _timestamp(body.get("scanned_at"))
    if scanned_at is None:
        return InvalidScan(event_id, "scanned_at must be an ISO-8601 time with a zone", raw_text)
    if scanned_at - now > max_skew or now - scanned_at > max_age:
        return InvalidScan(event_id, f"scanned_at {scanned_at.isoformat()} is too far from "
                           f"the server's clock", raw_text, Reason.CLOCK_SKEW)
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
    if not _clean(raw, allow="\t\x1d"):
        return "code holds control characters or undecodable bytes"
    for name in ("symbology", "source", "operator"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            return f"{name} must be a string"
        if isinstance(value, str) and not _clean(value, allow=""):
            return f"{name} holds control characters or undecodable bytes"
    return None


def _clean(text: str, *, allow: str) -> bool:
    """Tell whether text is storable and showable (GS1 codes may hold GS): the one rule."""
    return is_clean(text, allow=allow)


def _printable(text: str) -> str:
    """Escape control characters and lone surrogates, so junk can be stored (PostgreSQL
    refuses NUL, no database takes a lone surrogate) and shown."""
    if _clean(text, allow="\t\x1d"):
        return text
    return "".join(c if ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF else
                   f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)


def event_id_of(body: object) -> str | None:
    """Return a body's event_id in the one form it is stored in, or None."""
    return _uuid(body.get("event_id")) if isinstance(body, Mapping) else None


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
