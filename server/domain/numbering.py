"""Human-readable numbers: runs, batches, lots, serials and sales orders."""

from __future__ import annotations

import re
from datetime import date

RUN_PREFIX = "PR"
BATCH_PREFIX = "B"
LOT_PREFIX = "L"
ORDER_PREFIX = "SO"

_RUN_RE = re.compile(r"^PR-(\d{4})-(\d{5,})$")
_BATCH_RE = re.compile(r"^B-(\d{4})-(\d{6,})$")
_LOT_RE = re.compile(r"^L-(\d{4})-(\d{6,})$")
_SERIAL_RE = re.compile(r"^([A-Z0-9]{1,8})-(\d{4})-(\d{2})(\d{2})-(\d{4,})$")


def sequence_key(kind: str, year: int) -> str:
    """Return the counter a number of this kind and year is drawn from."""
    return f"{kind}:{year}"


def run_number(year: int, seq: int) -> str:
    """Format a production run number, e.g. PR-2026-00042."""
    return f"{RUN_PREFIX}-{year:04d}-{seq:05d}"


def batch_code(year: int, seq: int) -> str:
    """Format a batch code, e.g. B-2026-000123 (what its QR label carries)."""
    return f"{BATCH_PREFIX}-{year:04d}-{seq:06d}"


def lot_number(year: int, seq: int) -> str:
    """Format a generated lot number, e.g. L-2026-000017 (labels/payload.py reads it as a lot)."""
    return f"{LOT_PREFIX}-{year:04d}-{seq:06d}"


def order_number(year: int, seq: int) -> str:
    """Format a sales order number, e.g. SO-2026-00007."""
    return f"{ORDER_PREFIX}-{year:04d}-{seq:05d}"


def serial_number(kind: str, day: date, seq: int) -> str:
    """Format a finished serial as [TYPE]-[YYYY]-[MMDD]-[SEQ]."""
    kind = kind.upper()
    if not re.fullmatch(r"[A-Z0-9]{1,8}", kind):
        raise ValueError(f"serial type must be 1-8 letters or digits, got {kind!r}")
    return f"{kind}-{day.year:04d}-{day.month:02d}{day.day:02d}-{seq:04d}"


def is_run_number(text: str) -> bool:
    return _RUN_RE.fullmatch(text) is not None


def is_batch_code(text: str) -> bool:
    return _BATCH_RE.fullmatch(text) is not None


def is_lot_number(text: str) -> bool:
    return _LOT_RE.fullmatch(text) is not None


def is_serial(text: str) -> bool:
    return _SERIAL_RE.fullmatch(text) is not None
