"""Finished serials and completions: the serial status table and what a completion may record."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from .errors import QuantityError, TransitionError


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
        raise QuantityError(f"{completed} completed is more than the {available} that came in",
                            field="quantity_completed", available=str(available))
    return completed - defective
