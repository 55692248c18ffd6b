"""Finished serials and completions: the serial status table and what a completion may record."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum

from labels.codes import RESERVED_SERIAL_TYPES

from .errors import QuantityError, TransitionError

SERIAL_TYPE_LENGTH = 8
MAX_SERIALS = 10_000  # one completion's serials: a sheet of labels someone still prints
_SERIAL_TYPE = re.compile(r"[A-Z0-9]{1,8}")


class SerialStatus(StrEnum):
    IN_STOCK = "in_stock"
    QUARANTINED = "quarantined"
    SHIPPED = "shipped"
    SCRAPPED = "scrapped"
    ARCHIVED = "archived"


# A quarantine is lifted back to stock; shipped and scrapped serials are kept as records.
SERIAL_TRANSITIONS: dict[SerialStatus, frozenset[SerialStatus]] = {
    SerialStatus.IN_STOCK: frozenset({SerialStatus.QUARANTINED, SerialStatus.SHIPPED,
                                      SerialStatus.SCRAPPED, SerialStatus.ARCHIVED}),
    SerialStatus.QUARANTINED: frozenset({SerialStatus.IN_STOCK, SerialStatus.SCRAPPED,
                                         SerialStatus.ARCHIVED}),
    SerialStatus.SHIPPED: frozenset({SerialStatus.ARCHIVED}),
    SerialStatus.SCRAPPED: frozenset({SerialStatus.ARCHIVED}),
    SerialStatus.ARCHIVED: frozenset(),
}
SHIPPABLE = frozenset({SerialStatus.IN_STOCK})


def check_serial_transition(old: SerialStatus, new: SerialStatus) -> SerialStatus:
    """Return new if the table allows old -> new, else raise TransitionError."""
    if new not in SERIAL_TRANSITIONS[old]:
        raise TransitionError(f"a serial cannot go from {old} to {new}", status=old.value,
                              target=new.value)
    return new


class CompletionOutput(StrEnum):
    """What a completion makes of the good quantity: one serial per piece, or one lot."""

    SERIALS = "serials"
    LOT = "lot"


class MoreThanCameIn(QuantityError):
    """A completion of more than its source has left to complete."""

    code = "more_than_came_in"


class NotCountable(QuantityError):
    """Serials of an item not counted in pieces: one serial per what?"""

    code = "not_countable"


class TooManySerials(QuantityError):
    code = "too_many_serials"


def default_serial_type(sku: str) -> str:
    """Return the serial TYPE made from a SKU: its first letters and digits, upper case."""
    kind = "".join(c for c in sku.upper() if c.isascii() and c.isalnum())[:SERIAL_TYPE_LENGTH]
    if kind in RESERVED_SERIAL_TYPES:
        kind = kind[:-1]  # a badge read is a login: BADGE never starts a unit's code
    return kind or "SN"


def check_serial_type(text: str) -> str:
    """Return the serial TYPE in upper case, refusing what a serial code cannot start with."""
    kind = text.strip().upper()
    if not _SERIAL_TYPE.fullmatch(kind) or kind in RESERVED_SERIAL_TYPES:
        raise QuantityError(f"a serial type is 1-8 letters or digits, not BADGE: {text!r}",
                            field="serial_type")
    return kind


def serial_count(good: Decimal) -> int:
    """Return how many serials a good quantity in pieces makes (whole pieces, a sane count)."""
    if good != good.to_integral_value():
        raise NotCountable(f"{good} pieces is not a whole number of serials",
                           field="quantity_completed")
    if good > MAX_SERIALS:
        raise TooManySerials(f"one completion makes at most {MAX_SERIALS} serials, not {good}",
                           field="quantity_completed", limit=MAX_SERIALS)
    return int(good)


def check_completion(completed: Decimal, defective: Decimal, available: Decimal) -> Decimal:
    """Return the good quantity of a completion, refusing more than came in or nonsense."""
    if completed <= 0:
        raise QuantityError("quantity completed must be greater than zero",
                            field="quantity_completed")
    if defective < 0:
        raise QuantityError("quantity defective cannot be negative", field="quantity_defective")
    if defective > completed:
        raise QuantityError(f"{defective} defective is more than the {completed} completed",
                            field="quantity_defective")
    if completed > available:
        left = available.normalize() if available else Decimal(0)
        raise MoreThanCameIn(f"{completed} completed is more than the {left:f} left to "
                             "complete", field="quantity_completed", available=f"{left:f}")
    return completed - defective
