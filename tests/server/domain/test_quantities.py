from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import QuantityError
from server.domain.quantities import (
    UNITS,
    Dimension,
    Quantity,
    amount_of,
    amount_text,
    is_counted,
    positive,
)

amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3,
                      allow_nan=False, allow_infinity=False)
mass_units = st.sampled_from([u for u, (d, _) in UNITS.items() if d is Dimension.MASS])


def test_kilograms_convert_to_grams_exactly():
    assert Quantity.of("1.25", "kg").to("g") == Quantity(Decimal("1250.000000"), "g")


def test_pounds_convert_by_the_international_definition():
    assert Quantity.of(1, "lb").to("g").amount == Decimal("453.592370")


def test_mass_does_not_convert_to_length():
    with pytest.raises(QuantityError, match="cannot convert kg to mm"):
        Quantity.of(1, "kg").to("mm")


def test_unknown_unit_is_refused_with_the_known_ones():
    with pytest.raises(QuantityError) as err:
        Quantity.of(1, "furlong")
    assert "kg" in err.value.detail["known"]


@pytest.mark.parametrize("bad", [1.5, "abc", "NaN", "Infinity", None, True, "1e400"])
def test_floats_and_non_numbers_are_refused(bad):
    with pytest.raises(QuantityError):
        Quantity.of(bad, "kg")


@pytest.mark.parametrize("bad", ["0", "-1", "-0.5"])
def test_positive_refuses_zero_and_negative(bad):
    with pytest.raises(QuantityError, match="greater than zero"):
        positive(bad, "kg")


def test_pieces_must_be_whole():
    with pytest.raises(QuantityError, match="whole numbers"):
        Quantity.of("2.5", "pcs")


def test_more_than_six_places_is_refused():
    with pytest.raises(QuantityError, match="six decimal places"):
        Quantity.of("0.0000001", "kg")


def test_amount_text_drops_trailing_zeros_without_exponent():
    assert amount_text(Decimal("40.000000")) == "40"
    assert amount_text(Decimal("100.000000")) == "100"
    assert amount_text(Decimal("12.500000")) == "12.5"


@given(amount=amounts, unit=mass_units, via=mass_units)
def test_conversion_round_trip_stays_within_storage_precision(amount, unit, via):
    qty = Quantity.of(amount, unit)
    back = qty.to(via).to(unit)
    # Each conversion rounds to 6 places; two of them err by at most a few millionths
    # of the larger unit.
    tolerance = Decimal("0.000001") * (1 + UNITS[via][1] / UNITS[unit][1])
    assert abs(back.amount - qty.amount) <= tolerance


@given(a=amounts, b=amounts)
def test_addition_in_one_unit_is_exact_and_commutative(a, b):
    x, y = Quantity.of(a, "kg"), Quantity.of(b, "kg")
    assert (x + y).amount == a + b == (y + x).amount
    assert ((x + y) - y).amount == a


@pytest.mark.parametrize("unit", ["pcs", "dozen"])
def test_counted_amounts_must_be_whole_and_the_error_names_the_field(unit):
    assert is_counted(unit)
    with pytest.raises(QuantityError) as err:
        amount_of("6.5", unit, field="good")
    assert err.value.detail["field"] == "good" and "whole" in err.value.message
    assert amount_of("6", unit, field="good").amount == 6
    assert amount_of(7, unit, field="good").amount == 7


def test_measured_amounts_may_be_fractional_but_not_negative_or_floats():
    assert not is_counted("kg")
    assert amount_of("6.5", "kg").amount == Decimal("6.5")
    with pytest.raises(QuantityError):
        amount_of("-1", "kg", field="waste")
    with pytest.raises(QuantityError):
        amount_of(6.5, "kg")


@pytest.mark.parametrize(("name", "unit"), [
    ("oz t", "ozt"), ("t oz", "ozt"), ("ozt", "ozt"), ("Troy  oz", "ozt"), ("toz", "ozt"),
    ("pieces", "pcs"), ("pc", "pcs"), ("KG", "kg"), ("ct", "ct"), ("ltr", "l")])
def test_unit_aliases_become_the_unit_itself(name, unit):
    assert Quantity.of(1, name).unit == unit


@pytest.mark.parametrize(("unit", "grams"), [
    ("mg", "0.001"), ("g", "1"), ("kg", "1000"), ("t", "1000000"), ("ct", "0.2"),
    ("oz", "28.349523125"), ("ozt", "31.1034768"), ("lb", "453.59237")])
def test_mass_factors_are_the_legal_definitions(unit, grams):
    assert UNITS[unit] == (Dimension.MASS, Decimal(grams))


def test_the_issue_units_all_parse():
    for unit in ("mg", "g", "kg", "ct", "oz t", "oz", "lb", "pcs", "mm", "m", "in", "ml", "l"):
        Quantity.of(1, unit)
