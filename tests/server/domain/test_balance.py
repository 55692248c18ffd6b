"""The one balance rule: inputs = outputs by bucket + pending, pending >= 0."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.balance import StepYield, balance
from server.domain.errors import BalanceError, GenealogyError, QuantityError
from server.domain.measures import Measure
from server.domain.quantities import UNITS, Dimension, Quantity

MASS_UNITS = [u for u, (d, _) in UNITS.items() if d is Dimension.MASS]
BUCKETS = ("received", "rejected", "scrapped", "waste")


def grams(q: Quantity | None) -> Fraction:
    return Fraction(q.amount) * Fraction(UNITS[q.unit][1]) if q else Fraction(0)


def pieces(q: Quantity | None) -> Fraction:
    return Fraction(q.amount) * Fraction(UNITS[q.unit][1]) if q else Fraction(0)


def w(amount: str, unit: str) -> Quantity:
    return Quantity.of(amount, unit)


def test_a_job_balances_pieces_and_weight_separately():
    issued = Measure.of(pieces=100, weight=w("50", "g"))
    b = balance([issued], {"received": [Measure.of(pieces=90, weight=w("200", "ct"))],
                           "waste": [Measure.of(weight=w("1", "g"))]})
    assert b.pending == Measure.of(pieces=10, weight=w("9", "g"))
    assert not b.settled and b.bucket("received").pieces == w("90", "pcs")


def test_a_receive_that_would_make_pending_negative_is_refused():
    issued = Measure.of(pieces=10, weight=w("1", "ozt"))
    with pytest.raises(BalanceError, match="came in"):
        balance([issued], {"received": [Measure.of(pieces=10, weight=w("31.2", "g"))]})


def test_an_output_in_a_dimension_that_did_not_come_in_is_refused():
    with pytest.raises(QuantityError, match="does not convert"):
        balance([Measure.of(weight=w("1", "kg"))], {"received": [Measure.of(pieces=3)]})


def test_negative_quantities_are_refused():
    with pytest.raises(BalanceError, match="cannot be negative"):
        balance([Measure.of(pieces=3)], {"received": [Measure((Quantity(Decimal(-1), "pcs"),))]})


def test_a_settled_balance_has_nothing_pending():
    with pytest.raises(BalanceError, match="but 1 kg came in"):
        balance([Measure.of(weight=w("1", "kg"))], {"good": [Measure.of(weight=w("999", "g"))]},
                settled=True)
    assert balance([Measure.of(weight=w("1", "kg"))],
                   {"good": [Measure.of(weight=w("1000", "g"))]}, settled=True).settled


def test_step_yield_errors_keep_the_genealogy_code_and_messages():
    with pytest.raises(GenealogyError, match="step quantities cannot be negative") as err:
        StepYield(Decimal(10), Decimal(11), Decimal(-1), Decimal(0), Decimal(0), "kg").check()
    assert err.value.code == "invalid_genealogy"
    with pytest.raises(BalanceError,
                       match=r"good \+ rejected \+ scrapped \+ waste = 11 kg, but 10 kg came in"):
        StepYield(Decimal(10), Decimal(9), Decimal(2), Decimal(0), Decimal(0), "kg").check()


@given(parts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=4, max_size=4),
       unit=st.sampled_from(sorted(UNITS)))
def test_step_yield_adds_up_or_is_refused(parts, unit):
    good, rejected, scrapped, waste = map(Decimal, parts)
    came_in = good + rejected + scrapped + waste
    assert StepYield(came_in, good, rejected, scrapped, waste, unit).check()
    with pytest.raises(GenealogyError):
        StepYield(came_in + 1, good, rejected, scrapped, waste, unit).check()


amounts = st.decimals(min_value=0, max_value=Decimal(10**4), places=6, allow_nan=False,
                      allow_infinity=False)
weights = st.builds(Quantity.of, amounts, st.sampled_from(MASS_UNITS))
counts = st.builds(Quantity.of, st.integers(min_value=0, max_value=500),
                   st.sampled_from(["pcs", "dozen"]))
receives = st.tuples(st.sampled_from(BUCKETS),
                     st.builds(lambda p, g: Measure.of(pieces=p, weight=g),
                               st.none() | counts, st.none() | weights))


@given(issued_pieces=counts, issued_weight=weights, extra=st.lists(weights, max_size=2),
       sequence=st.lists(receives, max_size=25))
def test_random_receives_in_mixed_units_keep_the_balance(issued_pieces, issued_weight, extra,
                                                         sequence):
    inputs = [Measure.of(pieces=issued_pieces, weight=issued_weight)] + \
        [Measure.of(weight=q) for q in extra]
    want_g = grams(issued_weight) + sum((grams(q) for q in extra), Fraction(0))
    want_pcs = pieces(issued_pieces)
    accepted: dict[str, list[Measure]] = {b: [] for b in BUCKETS}
    for bucket, m in sequence:
        trial = {**accepted, bucket: [*accepted[bucket], m]}
        out_g = sum((grams(x.weight) for ms in trial.values() for x in ms), Fraction(0))
        out_pcs = sum((pieces(x.pieces) for ms in trial.values() for x in ms), Fraction(0))
        fits = out_g <= want_g and out_pcs <= want_pcs
        try:
            result = balance(inputs, trial)
        except BalanceError:
            assert not fits
            continue
        assert fits
        accepted = trial
        # issued = outputs by bucket + pending, exactly, and pending >= 0
        assert result.inputs == sum((m for ms in trial.values() for m in ms), Measure()) + \
            result.pending
        assert not result.pending.is_negative()
        assert grams(result.pending.weight) == want_g - out_g
        assert pieces(result.pending.pieces) == want_pcs - out_pcs
