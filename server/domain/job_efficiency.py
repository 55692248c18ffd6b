"""Job efficiency: the five buckets summed over jobs, their rates, on time against a deadline.

Rates are fractions to four places (server.domain.reports.rate) of what was issued, by
weight in grams where weight was issued, else by pieces (a job counted in pieces only):
yield = received / issued, rejection, scrap and waste rates likewise. The loss rate is
(scrapped + waste) / issued weight: scrap and waste are what the process lost; rejected
output is still there (quarantined, to rework or return). A job is on time when it was
completed on or before its staff deadline; late when completed after it, or still open
past it; undecided (not counted) while open before it, or without a deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .reports import rate

BUCKETS = ("received", "rejected", "scrapped", "waste", "pending")
ZERO = Decimal(0)


def on_time(deadline: date | None, completed_on: date | None, *, completed: bool,
            today: date) -> bool | None:
    """Tell whether a job kept its deadline: True, False, or None while undecided."""
    if deadline is None:
        return None
    if completed:
        return completed_on is not None and completed_on <= deadline
    return False if today > deadline else None


@dataclass
class Amounts:
    """Issued and the five buckets of one dimension (pieces, or weight in grams)."""

    issued: Decimal = ZERO
    received: Decimal = ZERO
    rejected: Decimal = ZERO
    scrapped: Decimal = ZERO
    waste: Decimal = ZERO
    pending: Decimal = ZERO

    def add(self, other: Amounts) -> None:
        for name in ("issued", *BUCKETS):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Rates:
    basis: str | None  # "weight", "pieces", or None when nothing was issued
    yield_: Decimal | None
    rejection: Decimal | None
    scrap: Decimal | None
    waste: Decimal | None


@dataclass
class Tally:
    """Jobs summed: buckets in pieces and grams, and how many kept their deadline."""

    jobs: int = 0
    pieces: Amounts = field(default_factory=Amounts)
    weight: Amounts = field(default_factory=Amounts)
    on_time: int = 0
    late: int = 0

    def add(self, pieces: Amounts, weight: Amounts, kept: bool | None) -> None:
        self.jobs += 1
        self.pieces.add(pieces)
        self.weight.add(weight)
        if kept is True:
            self.on_time += 1
        elif kept is False:
            self.late += 1

    def rates(self) -> Rates:
        return rates_of(self.pieces, self.weight)

    @property
    def on_time_share(self) -> Decimal | None:
        """Return on time / (on time + late), or None when no job is decided yet."""
        return rate(Decimal(self.on_time), Decimal(self.on_time + self.late))


def rates_of(pieces: Amounts, weight: Amounts) -> Rates:
    """Return the rates by weight where weight was issued, else by pieces."""
    basis, base = ("weight", weight) if weight.issued else ("pieces", pieces)
    if not base.issued:
        return Rates(None, None, None, None, None)
    return Rates(basis, rate(base.received, base.issued), rate(base.rejected, base.issued),
                 rate(base.scrapped, base.issued), rate(base.waste, base.issued))


def loss_rate(scrapped_g: Decimal, waste_g: Decimal, issued_g: Decimal) -> Decimal | None:
    """Return (scrapped + waste) / issued weight, or None when no weight was issued."""
    return rate(scrapped_g + waste_g, issued_g)
