"""What a scanned code names: a batch, another kind of unit, a run or order, or nothing.

The label payload has one definition, labels/payload.py, and the shapes of our numbers one,
labels/codes.py (which server/domain/numbering.py formats by).
"""

from __future__ import annotations

from labels.payload import Kind
from labels.payload import parse as parse_payload


def parse(raw: str) -> tuple[str, str]:
    """Return (kind, code): kind is batch, lot, serial, run, order or unknown."""
    payload = parse_payload(raw)
    if payload.kind is not Kind.UNKNOWN:
        return payload.kind.value, payload.code
    return Kind.UNKNOWN.value, raw.strip()
