"""What a scanned code names: a batch, another kind of unit, or nothing we know.

The label payload has one definition, labels/payload.py; this only adds what the server
knows besides (run numbers are not unit labels, but are worth telling apart).
"""

from __future__ import annotations

from labels.payload import Kind
from labels.payload import parse as parse_payload

from ..domain import numbering


def parse(raw: str) -> tuple[str, str]:
    """Return (kind, code): kind is batch, lot, serial, run or unknown."""
    payload = parse_payload(raw)
    if payload.kind is not Kind.UNKNOWN:
        return payload.kind.value, payload.code
    text = raw.strip()
    if numbering.is_run_number(text.upper()):
        return "run", text.upper()
    return "unknown", text
