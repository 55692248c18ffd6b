"""Lots and their stock ledger: the lot status table, movement signs and the issuable rule."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .errors import LotNumberError, QuantityError, StockError, TransitionError
from .quantities import UNITS, Quantity

MAX_LOT_NUMBER = 64
_LOT_CHARS = re.compile(r"[!-~]+")  # printable ASCII without spaces, as any label code


class LotStatus(StrEnum):
    AVAILABLE = "available"
    QUARANTINED = "quarantined"
    CONSUMED = "consumed"
    SHIPPED = "shipped"
    ARCHIVED = "archived"


# Statuses in which a lot may still hold stock; a closed lot is kept only as a record.
OPEN_STATUSES = frozenset({LotStatus.AVAILABLE, LotStatus.QUARANTINED})
CLOSED_STATUSES = frozenset(LotStatus) - OPEN_STATUSES
ISSUABLE_STATUSES = frozenset({LotStatus.AVAILABLE})

# Every allowed change of a lot's status. A consumed lot comes back to available only when
# a count adjustment finds stock again; archiving is the end (records are never deleted).
LOT_TRANSITIONS: dict[LotStatus, frozenset[LotStatus]] = {
    LotStatus.AVAILABLE: frozenset({LotStatus.QUARANTINED, LotStatus.CONSUMED,
                                    LotStatus.SHIPPED, LotStatus.ARCHIVED}),
    LotStatus.QUARANTINED: frozenset({LotStatus.AVAILABLE, LotStatus.CONSUMED,
                                      LotStatus.ARCHIVED}),
    LotStatus.CONSUMED: frozenset({LotStatus.AVAILABLE, LotStatus.ARCHIVED}),
    LotStatus.SHIPPED: frozenset({LotStatus.ARCHIVED}),
    LotStatus.ARCHIVED: frozenset(),
}


def check_transition(old: LotStatus, new: LotStatus) -> LotStatus:
    """Return new if the table allows old -> new, else raise TransitionError."""
    if new not in LOT_TRANSITIONS[old]:
        raise TransitionError(f"a lot cannot go from {old} to {new}", status=old.value,
                              target=new.value)
    return new


class MovementKind(StrEnum):
    RECEIVE = "receive"
    ISSUE = "issue"
    PRODUCE = "produce"
    ADJUST = "adjust"
    MOVE = "move"
    SCRAP = "scrap"
    SHIP = "ship"


# The sign of a movement's quantity in the ledger: +1 adds, -1 removes, 0 either way
# (an adjustment, non-zero) or none (a move changes where, not how much).
SIGN: dict[MovementKind, int] = {
    MovementKind.RECEIVE: 1, MovementKind.PRODUCE: 1,
    MovementKind.ISSUE: -1, MovementKind.SCRAP: -1, MovementKind.SHIP: -1,
    MovementKind.ADJUST: 0, MovementKind.MOVE: 0,
}
ADDING = tuple(k for k, s in SIGN.items() if s > 0)
REMOVING = tuple(k for k, s in SIGN.items() if s < 0)


def ledger_amount(kind: MovementKind, quantity: Quantity) -> Decimal:
    """Return the signed amount a movement writes: the kind's sign applied to a positive
    quantity, or an adjustment's own sign; raise for what the kind cannot carry."""
    if kind is MovementKind.MOVE:
        return Decimal(0)
    if kind is MovementKind.ADJUST:
        if quantity.amount == 0:
            raise QuantityError("an adjustment changes the quantity: not by 0",
                                field="quantity")
        return quantity.amount
    if not quantity.is_positive():
        raise QuantityError(f"a {kind} needs a quantity greater than zero", field="quantity")
    return quantity.amount * SIGN[kind]


def check_lot_number(text: str) -> str:
    """Return a supplier's lot number if it is a printable code of at most 64 characters."""
    if not text or len(text) > MAX_LOT_NUMBER or not _LOT_CHARS.fullmatch(text):
        raise LotNumberError(f"a lot number is 1 to {MAX_LOT_NUMBER} printable characters "
                             "without spaces")
    # A lot's page is /inventory/lots/<number>: a browser folds "." and ".." parts and an
    # empty part would never match, so such a number would open (and act on) another lot.
    if any(part in ("", ".", "..") for part in text.split("/")):
        raise LotNumberError("a lot number has no empty, \".\" or \"..\" part between "
                             "slashes")
    return text


def check_issuable(status: LotStatus, expiry: date | None, on_hand: Quantity,
                   quantity: Quantity, *, on: date) -> Quantity:
    """Return quantity (in the lot's unit) if the lot may give it on that day, else raise.

    Issuable: status available, not expired on the issue day (a lot expiring today is still
    good today), quantity positive and at most what is on hand. A consumed lot asked for a
    quantity answers insufficient_stock; asked for all it holds (0), lot_consumed.
    """
    if status is LotStatus.CONSUMED and quantity.is_positive() and \
            exact(quantity, on_hand.unit).amount > on_hand.amount:
        # Two stations racing for the last of a lot: the loser finds it consumed, but what
        # it asked for is more than is left, and that is the answer it can act on.
        raise StockError(f"only {on_hand} on hand, {quantity} asked", code="insufficient_stock",
                         on_hand=str(on_hand), asked=str(quantity))
    if status is not LotStatus.AVAILABLE:
        code = {LotStatus.QUARANTINED: "lot_quarantined",
                LotStatus.CONSUMED: "lot_consumed"}.get(status, "lot_not_issuable")
        raise StockError(f"the lot is {status}, it cannot be issued", code=code,
                         status=status.value)
    if expiry is not None and expiry < on:
        raise StockError(f"the lot expired on {expiry.isoformat()}", code="lot_expired",
                         expiry=expiry.isoformat())
    wanted = exact(quantity, on_hand.unit)
    if not wanted.is_positive():
        raise QuantityError("quantity must be greater than zero", field="quantity")
    if wanted.amount > on_hand.amount:
        raise StockError(f"only {on_hand} on hand, {wanted} asked", code="insufficient_stock",
                         on_hand=str(on_hand), asked=str(wanted))
    return wanted


def exact(quantity: Quantity, unit: str) -> Quantity:
    """Convert to unit, refusing a conversion that would round (the ledger stays exact)."""
    converted = quantity.to(unit)  # raises for units of another dimension
    # Exact when both sides are the same amount of the base unit (products are exact).
    if converted.amount * UNITS[unit][1] != quantity.amount * UNITS[quantity.unit][1]:
        raise QuantityError(f"{quantity} does not convert exactly to {unit}", field="quantity",
                            unit=quantity.unit, target=unit)
    return converted
