"""The shape of every Floorline number: what the server makes and what a scan reads back.

One definition for both sides: ``server.domain.numbering`` formats codes with it and
``labels.payload`` recognises them with it, so a code the server makes is always read as
its own kind. It lives under labels/ because payload must not import the server; it uses
the standard library only, so the domain core may import it (as it does station.protocol).

    run     PR-YYYY-NNNNN    five digits or more     PR-2026-00042
    batch   B-YYYY-NNNNNN    six digits or more      B-2026-000123
    lot     L-YYYY-NNNNNN    six digits or more      L-2026-000007
    order   SO-YYYY-NNNNN    five digits or more     SO-2026-00007
    job     J-YYYY-NNNNN     five digits or more     J-2026-00031
    shipment SH-YYYY-NNNNN   five digits or more     SH-2026-00003
    serial  TYPE-YYYY-MMDD-NNNN                      FG-2026-0307-0012

Years are 0001-9999, sequences 1 to MAX_SEQUENCE, zero-padded to the width and never
otherwise: a code is read only in the one spelling the server makes of it. A serial's TYPE
is 1-8 letters or digits (BADGE excepted: a badge read is a login, never a unit), and its
date a real one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_SEQUENCE = 999_999_999  # nine digits: every code stays well inside a label's 64
MAX_YEAR = 9999
SERIAL_WIDTH = 4
RESERVED_SERIAL_TYPES = frozenset({"BADGE"})


class CodeKind(StrEnum):
    """What a Floorline number names."""

    RUN = "run"
    BATCH = "batch"
    LOT = "lot"
    ORDER = "order"
    JOB = "job"
    SERIAL = "serial"
    SHIPMENT = "shipment"


@dataclass(frozen=True, slots=True)
class Sequenced:
    """A yearly numbered code: PREFIX-YYYY-SEQ with SEQ zero-padded to width."""

    prefix: str
    width: int


SEQUENCED: dict[CodeKind, Sequenced] = {
    CodeKind.RUN: Sequenced("PR", 5),
    CodeKind.BATCH: Sequenced("B", 6),
    CodeKind.LOT: Sequenced("L", 6),
    CodeKind.ORDER: Sequenced("SO", 5),
    CodeKind.JOB: Sequenced("J", 5),
    CodeKind.SHIPMENT: Sequenced("SH", 5),
}
_BY_PREFIX = {s.prefix: kind for kind, s in SEQUENCED.items()}
_SEQUENCED_RE = re.compile(r"([A-Z]{1,2})-(\d{4})-(\d{5,9})")
_SERIAL_RE = re.compile(r"([A-Z0-9]{1,8})-(\d{4})-(\d{2})(\d{2})-(\d{4,9})")
_SERIAL_TYPE = re.compile(r"[A-Z0-9]{1,8}")


def _check(year: int, seq: int) -> None:
    if not 1 <= year <= MAX_YEAR:
        raise ValueError(f"year must be 1 to {MAX_YEAR}, got {year}")
    if not 1 <= seq <= MAX_SEQUENCE:
        raise ValueError(f"sequence must be 1 to {MAX_SEQUENCE}, got {seq}")


def sequenced(kind: CodeKind, year: int, seq: int) -> str:
    """Format a run, batch, lot, order, job or shipment number, e.g. B-2026-000123."""
    _check(year, seq)
    shape = SEQUENCED[kind]
    return f"{shape.prefix}-{year:04d}-{seq:0{shape.width}d}"


def serial(kind: str, day: date, seq: int) -> str:
    """Format a finished serial as [TYPE]-[YYYY]-[MMDD]-[SEQ], e.g. FG-2026-0307-0012."""
    kind = kind.upper()
    if not _SERIAL_TYPE.fullmatch(kind) or kind in RESERVED_SERIAL_TYPES:
        raise ValueError(f"serial type must be 1-8 letters or digits (not BADGE), got {kind!r}")
    _check(day.year, seq)
    return f"{kind}-{day.year:04d}-{day.month:02d}{day.day:02d}-{seq:0{SERIAL_WIDTH}d}"


def _canonical(text: str, width: int) -> int | None:
    """Return the number text spells if it is the one spelling formatting makes of it."""
    value = int(text)
    return value if value >= 1 and f"{value:0{width}d}" == text else None


def kind_of(code: str) -> CodeKind | None:
    """Return what an (upper-case) code names, or None if no Floorline number has its shape."""
    match = _SEQUENCED_RE.fullmatch(code)
    if match:
        prefix, year, seq = match.groups()
        kind = _BY_PREFIX.get(prefix)
        if kind is None or int(year) < 1:
            return None
        return kind if _canonical(seq, SEQUENCED[kind].width) else None
    match = _SERIAL_RE.fullmatch(code)
    if match:
        kind_text, year, month, day, seq = match.groups()
        if kind_text in RESERVED_SERIAL_TYPES or not _canonical(seq, SERIAL_WIDTH):
            return None
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            return None  # year 0000, month 13, 30 February: not a day a serial was made
        return CodeKind.SERIAL
    return None
