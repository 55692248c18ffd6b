"""Human-readable numbers: runs, batches, lots, jobs, serials, shipments and sales orders.

Their shapes are defined once, in labels.codes, which the label payload reads them back by:
whatever is made here is recognised at a scan as its own kind.
"""

from __future__ import annotations

from datetime import date

from labels.codes import SEQUENCED, CodeKind, kind_of, sequenced, serial

RUN_PREFIX = SEQUENCED[CodeKind.RUN].prefix
BATCH_PREFIX = SEQUENCED[CodeKind.BATCH].prefix
LOT_PREFIX = SEQUENCED[CodeKind.LOT].prefix
ORDER_PREFIX = SEQUENCED[CodeKind.ORDER].prefix
JOB_PREFIX = SEQUENCED[CodeKind.JOB].prefix
SHIPMENT_PREFIX = SEQUENCED[CodeKind.SHIPMENT].prefix


def sequence_key(kind: str, year: int) -> str:
    """Return the counter a number of this kind and year is drawn from."""
    return f"{kind}:{year}"


def run_number(year: int, seq: int) -> str:
    """Format a production run number, e.g. PR-2026-00042."""
    return sequenced(CodeKind.RUN, year, seq)


def batch_code(year: int, seq: int) -> str:
    """Format a batch code, e.g. B-2026-000123 (what its QR label carries)."""
    return sequenced(CodeKind.BATCH, year, seq)


def lot_number(year: int, seq: int) -> str:
    """Format a generated lot number, e.g. L-2026-000007."""
    return sequenced(CodeKind.LOT, year, seq)


def order_number(year: int, seq: int) -> str:
    """Format a sales order number, e.g. SO-2026-00007."""
    return sequenced(CodeKind.ORDER, year, seq)


def job_number(year: int, seq: int) -> str:
    """Format a production job number, e.g. J-2026-00031 (what its label carries)."""
    return sequenced(CodeKind.JOB, year, seq)


def shipment_number(year: int, seq: int) -> str:
    """Format a customer shipment number, e.g. SH-2026-00003."""
    return sequenced(CodeKind.SHIPMENT, year, seq)


def serial_number(kind: str, day: date, seq: int) -> str:
    """Format a finished serial as [TYPE]-[YYYY]-[MMDD]-[SEQ]."""
    return serial(kind, day, seq)


def is_run_number(text: str) -> bool:
    return kind_of(text) is CodeKind.RUN


def is_batch_code(text: str) -> bool:
    return kind_of(text) is CodeKind.BATCH


def is_lot_number(text: str) -> bool:
    return kind_of(text) is CodeKind.LOT


def is_serial(text: str) -> bool:
    return kind_of(text) is CodeKind.SERIAL
