"""The lot status table, the ledger's sign rule and the issuable rule, without a database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labels.payload import Kind, parse
from server.domain import numbering
from server.domain.errors import LotNumberError, QuantityError, StockError, TransitionError
from server.domain.lots import (
    CLOSED_STATUSES,
    LOT_TRANSITIONS,
    SIGN,
    LotStatus,
    MovementKind,
    check_issuable,
    check_lot_number,
    check_transition,
    exact,
    ledger_amount,
)
from server.domain.quantities import Quantity

DAY = date(2026, 12, 2)


def kg(amount):
    return Quantity.of(amount, "kg")


def test_a_quarantined_lot_is_released_back_to_available():
    assert check_transition(LotStatus.QUARANTINED, LotStatus.AVAILABLE) is LotStatus.AVAILABLE


@pytest.mark.parametrize("new", list(LotStatus))
def test_an_archived_lot_never_changes_again(new):
    with pytest.raises(TransitionError):
        check_transition(LotStatus.ARCHIVED, new)


def test_a_shipped_lot_can_only_be_archived():
    assert LOT_TRANSITIONS[LotStatus.SHIPPED] == {LotStatus.ARCHIVED}


@given(st.sampled_from(list(LotStatus)), st.sampled_from(list(LotStatus)))
def test_check_transition_allows_exactly_the_table(old, new):
    if new in LOT_TRANSITIONS[old]:
        assert check_transition(old, new) is new
    else:
        with pytest.raises(TransitionError):
            check_transition(old, new)


def test_closed_lots_cannot_be_quarantined():
    for status in CLOSED_STATUSES:
        assert LotStatus.QUARANTINED not in LOT_TRANSITIONS[status]


def test_an_available_lot_gives_what_it_holds():
    assert check_issuable(LotStatus.AVAILABLE, None, kg(5), kg(5), on=DAY) == kg(5)


def test_a_quantity_in_another_unit_is_converted_exactly():
    assert check_issuable(LotStatus.AVAILABLE, None, kg(5), Quantity.of(1500, "g"),
                          on=DAY) == kg("1.5")


@pytest.mark.parametrize(("status", "code"), [
    (LotStatus.QUARANTINED, "lot_quarantined"), (LotStatus.CONSUMED, "lot_consumed"),
    (LotStatus.SHIPPED, "lot_not_issuable"), (LotStatus.ARCHIVED, "lot_not_issuable")])
def test_only_an_available_lot_is_issuable(status, code):
    with pytest.raises(StockError) as err:
        check_issuable(status, None, kg(5), kg(1), on=DAY)
    assert err.value.code == code


def test_a_lot_is_good_on_its_expiry_day_and_refused_the_day_after():
    assert check_issuable(LotStatus.AVAILABLE, DAY, kg(5), kg(1), on=DAY) == kg(1)
    with pytest.raises(StockError) as err:
        check_issuable(LotStatus.AVAILABLE, DAY, kg(5), kg(1), on=date(2026, 12, 3))
    assert err.value.code == "lot_expired"


def test_more_than_on_hand_is_insufficient_stock():
    with pytest.raises(StockError) as err:
        check_issuable(LotStatus.AVAILABLE, None, kg(5), kg("5.000001"), on=DAY)
    assert err.value.code == "insufficient_stock"


@pytest.mark.parametrize("qty", [kg(0), kg(-1), Quantity.of(3, "pcs"), Quantity.of(1, "oz")])
def test_zero_negative_or_non_converting_quantities_are_invalid(qty):
    with pytest.raises(QuantityError) as err:
        check_issuable(LotStatus.AVAILABLE, None, kg(5), qty, on=DAY)
    assert err.value.code == "invalid_quantity"


def test_receive_and_produce_add_issue_scrap_and_ship_remove():
    assert {k for k, s in SIGN.items() if s > 0} == {MovementKind.RECEIVE, MovementKind.PRODUCE}
    assert {k for k, s in SIGN.items() if s < 0} == {MovementKind.ISSUE, MovementKind.SCRAP,
                                                    MovementKind.SHIP}
    assert ledger_amount(MovementKind.ISSUE, kg(2)) == Decimal(-2)
    assert ledger_amount(MovementKind.ADJUST, kg(-2)) == Decimal(-2)
    assert ledger_amount(MovementKind.MOVE, kg(0)) == 0


@pytest.mark.parametrize(("kind", "qty"), [(MovementKind.RECEIVE, kg(0)),
                                           (MovementKind.ISSUE, kg(-1)),
                                           (MovementKind.ADJUST, kg(0))])
def test_a_movement_refuses_a_quantity_its_kind_cannot_carry(kind, qty):
    with pytest.raises(QuantityError):
        ledger_amount(kind, qty)


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3))
def test_exact_conversion_keeps_every_milligram(amount):
    grams = Quantity.of(amount, "g")
    assert exact(grams, "kg").to("g") == grams


@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(10**6), places=6))
def test_exact_conversion_either_keeps_the_amount_or_refuses(amount):
    grams = Quantity.of(amount, "g")
    try:
        kilos = exact(grams, "kg")
    except QuantityError:
        assert grams.amount != grams.amount.quantize(Decimal("0.001"))
    else:
        assert kilos.amount * 1000 == grams.amount


def test_a_conversion_that_would_round_is_refused():
    with pytest.raises(QuantityError):
        exact(Quantity.of(1, "oz"), "g")


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=2000, max_value=9999))
def test_generated_lot_numbers_read_back_as_lots(seq, year):
    number = numbering.lot_number(year, seq)
    assert numbering.is_lot_number(number)
    assert parse(number).kind is Kind.LOT and parse(number).code == number


@pytest.mark.parametrize("text", ["", "two words", "x" * 65, "tab\there", "naïve"])
def test_a_supplier_lot_number_must_be_a_printable_code(text):
    with pytest.raises(LotNumberError) as err:
        check_lot_number(text)
    assert err.value.code == "invalid_lot_number"


def test_a_supplier_lot_number_is_taken_as_it_is():
    assert check_lot_number("ACME/24-117#3") == "ACME/24-117#3"
