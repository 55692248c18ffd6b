"""Measures: pieces and weight together, summed and compared exactly in any units."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import QuantityError
from server.domain.measures import Measure, total
from server.domain.quantities import UNITS, Dimension, Quantity

MASS_UNITS = [u for u, (d, _) in UNITS.items() if d is Dimension.MASS]
amounts = st.decimals(min_value=0, max_value=Decimal(10**6), places=6, allow_nan=False,
                      allow_infinity=False)


def grams(q: Quantity) -> Fraction:
    return Fraction(q.amount) * Fraction(UNITS[q.unit][1])


@st.composite
def measures(draw: st.DrawFn) -> Measure:
    pieces = draw(st.none() | st.integers(min_value=0, max_value=10**6))
    weight = draw(st.none() | st.builds(Quantity.of, amounts, st.sampled_from(MASS_UNITS)))
    return Measure.of(pieces=pieces, weight=weight)


def test_a_measure_holds_pieces_and_a_weight():
    m = Measure.of(pieces=12, weight=Quantity.of("3.5", "ct"))
    assert m.pieces == Quantity.of(12, "pcs") and m.weight == Quantity.of("3.5", "ct")
    assert str(m) == "12 pcs and 3.5 ct"


def test_either_part_may_be_absent():
    assert Measure.of(pieces=3).weight is None
    assert Measure.of(weight=Quantity.of(1, "g")).pieces is None


def test_mixed_units_add_exactly_in_the_base_unit():
    m = Measure.of(weight=Quantity.of(1, "ozt")) + Measure.of(weight=Quantity.of(1, "g"))
    assert m.weight == Quantity(Decimal("32.1034768"), "g")


def test_one_unit_stays_in_that_unit():
    m = Measure.of(weight=Quantity.of(1, "kg")) + Measure.of(weight=Quantity.of("0.5", "kg"))
    assert m.weight == Quantity(Decimal("1.5"), "kg")


def test_equal_amounts_in_different_units_are_equal_measures():
    assert Measure.of(weight=Quantity.of(1, "lb")) == \
        Measure.of(weight=Quantity.of("453.59237", "g"))
    assert Measure.of(pieces=Quantity.of(1, "dozen")) == Measure.of(pieces=12)
    assert Measure.of(pieces=0) == Measure()


def test_a_weight_must_be_a_mass_and_pieces_a_count():
    with pytest.raises(QuantityError, match="a weight is a mass"):
        Measure.of(weight=Quantity.of(1, "mm"))
    with pytest.raises(QuantityError, match="pieces are counted"):
        Measure.of(pieces=Quantity.of(1, "kg"))


def test_comparison_is_by_every_dimension():
    small = Measure.of(pieces=2, weight=Quantity.of(1, "g"))
    big = Measure.of(pieces=3, weight=Quantity.of(1, "ozt"))
    odd = Measure.of(pieces=1, weight=Quantity.of(1, "kg"))
    assert small <= big and small < big and big >= small and not big <= small
    assert not small <= odd and not odd <= small  # neither is less in every way


@given(a=measures(), b=measures(), c=measures())
def test_addition_is_exact_commutative_and_associative(a, b, c):
    assert a + b == b + a
    assert (a + b) + c == a + (b + c)
    assert (a + b) - b == a
    s = total([a, b, c])
    for dim, getter in ((Dimension.MASS, grams),):
        want = sum((getter(q) for m in (a, b, c) for q in m if q.dimension is dim), Fraction(0))
        got = s.part(dim)
        assert (grams(got) if got else Fraction(0)) == want
    assert a <= a + b
