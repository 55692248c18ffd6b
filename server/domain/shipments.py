"""Customer shipments: open while packing, shipped once, or cancelled before it leaves."""

from __future__ import annotations

from enum import StrEnum

from .errors import TransitionError


class ShipmentStatus(StrEnum):
    OPEN = "open"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


SHIPMENT_TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    ShipmentStatus.OPEN: frozenset({ShipmentStatus.SHIPPED, ShipmentStatus.CANCELLED}),
    ShipmentStatus.SHIPPED: frozenset(),
    ShipmentStatus.CANCELLED: frozenset(),
}


def check_shipment_transition(old: ShipmentStatus, new: ShipmentStatus) -> ShipmentStatus:
    """Return new if the table allows old -> new, else raise TransitionError."""
    if new not in SHIPMENT_TRANSITIONS[old]:
        raise TransitionError(f"a shipment cannot go from {old} to {new}", status=old.value,
                              target=new.value)
    return new
