"""A sales order's status: Estimate → Confirmed → In production → Shipped, or Cancelled."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    ESTIMATE = "estimate"
    CONFIRMED = "confirmed"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


# Every status change a planner may make (runs move an order within FOLLOWS_RUNS too).
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.ESTIMATE: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.IN_PRODUCTION, OrderStatus.CANCELLED}),
    OrderStatus.IN_PRODUCTION: frozenset({OrderStatus.SHIPPED}),
    OrderStatus.SHIPPED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
# Open orders: runs can be made from them, and they follow their runs (in production while
# one is live, confirmed again when the last is cancelled).
FOLLOWS_RUNS = frozenset({OrderStatus.ESTIMATE, OrderStatus.CONFIRMED,
                          OrderStatus.IN_PRODUCTION})
CLOSED = frozenset(OrderStatus) - FOLLOWS_RUNS


def next_statuses(status: OrderStatus) -> list[OrderStatus]:
    """Return the statuses an order may move to next, in the flow's order."""
    return [s for s in OrderStatus if s in TRANSITIONS[status]]


def following_runs(status: OrderStatus, *, live_runs: bool) -> OrderStatus:
    """Return the status an open order takes from its runs; a closed one keeps its own."""
    if status not in FOLLOWS_RUNS:
        return status
    return OrderStatus.IN_PRODUCTION if live_runs else OrderStatus.CONFIRMED


def following_shipments(status: OrderStatus, *, fully_shipped: bool) -> OrderStatus:
    """Return the status an open order takes once every line is fully shipped; else its own."""
    if status in FOLLOWS_RUNS and fully_shipped:
        return OrderStatus.SHIPPED
    return status
