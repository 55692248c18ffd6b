"""Job efficiency: on time against a deadline, rates by weight or pieces, the loss rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from server.domain.job_efficiency import Amounts, Tally, loss_rate, on_time, rates_of

DEADLINE = date(2026, 12, 9)


@pytest.mark.parametrize(("completed", "completed_on", "today", "expected"), [
    (True, date(2026, 12, 9), date(2026, 12, 20), True),  # on the day counts as on time
    (True, date(2026, 12, 8), date(2026, 12, 20), True),
    (True, date(2026, 12, 10), date(2026, 12, 20), False),
    (False, None, date(2026, 12, 10), False),  # open past the deadline is late already
    (False, None, date(2026, 12, 9), None),  # open until the deadline: not decided
])
def test_a_job_is_on_time_when_completed_by_its_deadline(completed, completed_on, today,
                                                          expected):
    assert on_time(DEADLINE, completed_on, completed=completed, today=today) is expected


def test_a_job_without_a_deadline_is_never_counted_on_time_or_late():
    assert on_time(None, date(2026, 1, 1), completed=True, today=date(2026, 2, 1)) is None


def test_rates_are_by_weight_where_weight_was_issued():
    weight = Amounts(issued=Decimal(40), received=Decimal(30), rejected=Decimal(4),
                     scrapped=Decimal(3), waste=Decimal(1), pending=Decimal(2))
    pieces = Amounts(issued=Decimal(10), received=Decimal(1))
    rates = rates_of(pieces, weight)
    assert (rates.basis, rates.yield_, rates.rejection, rates.scrap, rates.waste) == \
        ("weight", Decimal("0.75"), Decimal("0.1"), Decimal("0.075"), Decimal("0.025"))


def test_rates_fall_back_to_pieces_and_are_none_when_nothing_was_issued():
    pieces = Amounts(issued=Decimal(3), received=Decimal(2), rejected=Decimal(1))
    assert rates_of(pieces, Amounts()).yield_ == Decimal("0.6667")
    assert rates_of(pieces, Amounts()).basis == "pieces"
    assert rates_of(Amounts(), Amounts()).basis is None
    assert rates_of(Amounts(), Amounts()).yield_ is None


def test_a_tally_sums_buckets_and_shares_on_time_among_decided_jobs():
    tally = Tally()
    one = Amounts(issued=Decimal("10.5"), received=Decimal("10.5"))
    tally.add(Amounts(), one, True)
    tally.add(Amounts(), one, False)
    tally.add(Amounts(), one, None)
    assert (tally.jobs, tally.weight.issued, tally.weight.received) == \
        (3, Decimal("31.5"), Decimal("31.5"))
    assert tally.on_time_share == Decimal("0.5")
    assert Tally().on_time_share is None


def test_the_loss_rate_is_scrap_and_waste_over_issued_weight():
    assert loss_rate(Decimal("0.3"), Decimal("0.2"), Decimal(10)) == Decimal("0.05")
    assert loss_rate(Decimal(0), Decimal(0), Decimal(0)) is None
