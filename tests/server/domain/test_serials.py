"""Finished serials in the domain: what a completion may record, serial types, the count of
serials a good quantity makes, and the serial status table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labels.codes import CodeKind, kind_of, serial
from server.domain.errors import QuantityError, TransitionError
from server.domain.serials import (
    MAX_SERIALS,
    MoreThanCameIn,
    NotCountable,
    SerialStatus,
    TooManySerials,
    check_completion,
    check_serial_transition,
    check_serial_type,
    default_serial_type,
    serial_count,
)

amounts = st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False,
                      allow_infinity=False)


@given(completed=amounts, defective=amounts, available=amounts)
def test_a_completion_is_taken_exactly_when_it_fits_and_good_is_what_is_left(
        completed: Decimal, defective: Decimal, available: Decimal) -> None:
    fits = 0 < completed <= available and 0 <= defective <= completed
    try:
        good = check_completion(completed, defective, available)
    except QuantityError:
        assert not fits
    else:
        assert fits and good == completed - defective and 0 <= good <= available


@given(available=amounts, asks=st.lists(amounts, max_size=8))
def test_completions_taken_one_after_another_never_add_up_to_more_than_came_in(
        available: Decimal, asks: list[Decimal]) -> None:
    taken = Decimal(0)
    for ask in asks:
        try:
            check_completion(ask, Decimal(0), available - taken)
        except QuantityError:
            continue
        taken += ask
    assert 0 <= taken <= available


def test_more_than_came_in_says_how_much_is_left() -> None:
    with pytest.raises(MoreThanCameIn) as err:
        check_completion(Decimal(6), Decimal(0), Decimal("5.000000"))
    assert err.value.code == "more_than_came_in" and err.value.detail["available"] == "5"


@pytest.mark.parametrize(("completed", "defective"), [(0, 0), (-1, 0), (2, -1), (2, 3)])
def test_nonsense_quantities_are_refused(completed: int, defective: int) -> None:
    with pytest.raises(QuantityError) as err:
        check_completion(Decimal(completed), Decimal(defective), Decimal(10))
    assert not isinstance(err.value, MoreThanCameIn)


@pytest.mark.parametrize(("sku", "kind"), [
    ("FRAME", "FRAME"), ("rod-12", "ROD12"), ("WIDGET-BRACKET-9", "WIDGETBR"),
    ("BADGE", "BADG"), ("Ünï-7", "N7"), ("_", "SN"), ("BADGE-1", "BADGE1"),
])
def test_the_default_serial_type_is_made_from_the_skus_letters_and_digits(sku: str,
                                                                          kind: str) -> None:
    assert default_serial_type(sku) == kind


@given(st.text(min_size=1, max_size=64))
def test_every_default_serial_type_makes_a_code_read_back_as_a_serial(sku: str) -> None:
    from datetime import date
    code = serial(default_serial_type(sku), date(2026, 3, 7), 12)
    assert kind_of(code) is CodeKind.SERIAL


@pytest.mark.parametrize("text", ["", "BADGE", "badge", "TOOLONGXX", "A-B", "Ä1", " "])
def test_bad_serial_types_are_refused(text: str) -> None:
    with pytest.raises(QuantityError):
        check_serial_type(text)


def test_a_serial_type_is_kept_in_upper_case() -> None:
    assert check_serial_type(" fg2 ") == "FG2"


def test_serials_are_counted_in_whole_pieces_up_to_a_limit() -> None:
    assert serial_count(Decimal("4.000")) == 4
    with pytest.raises(NotCountable):
        serial_count(Decimal("2.5"))
    with pytest.raises(TooManySerials):
        serial_count(Decimal(MAX_SERIALS + 1))


def test_a_shipped_serial_cannot_go_back_to_stock() -> None:
    assert check_serial_transition(SerialStatus.IN_STOCK, SerialStatus.QUARANTINED) is \
        SerialStatus.QUARANTINED
    with pytest.raises(TransitionError):
        check_serial_transition(SerialStatus.SHIPPED, SerialStatus.IN_STOCK)
