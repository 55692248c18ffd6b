"""Tests for labels.gs1: check digits and element strings."""

from __future__ import annotations

import pytest

from labels import gs1
from labels.errors import PayloadError


@pytest.mark.parametrize(
    ("number", "digit"),
    [
        ("0950110153000", 3),  # GTIN-14 of the GS1 General Specifications examples
        ("400638133393", 1),  # EAN-13 4006381333931
        ("9638507", 4),  # EAN-8 96385074
        ("03600029145", 2),  # UPC-A 036000291452
        ("10614141234567890", 8),  # SSCC-18 106141412345678908 (GS1 example)
    ],
)
def test_check_digit_matches_published_numbers(number: str, digit: int) -> None:
    assert gs1.check_digit(number) == digit
    assert gs1.has_valid_check_digit(number + str(digit))
    assert not gs1.has_valid_check_digit(number + str((digit + 1) % 10))


def test_short_gtins_are_padded_to_fourteen_digits() -> None:
    assert gs1.gtin14("4006381333931") == "04006381333931"
    assert gs1.gtin14("96385074") == "00000096385074"


@pytest.mark.parametrize("bad", ["4006381333932", "12345", "40063813339a1", ""])
def test_invalid_gtins_are_refused(bad: str) -> None:
    with pytest.raises(PayloadError):
        gs1.gtin14(bad)


def test_transmitted_form_puts_group_separators_only_after_variable_fields() -> None:
    fields = [("01", "09501101530003"), ("10", "LOT7"), ("17", "261231"), ("21", "SN1")]
    raw = gs1.to_raw(fields)
    assert raw == "0109501101530003" + "10LOT7" + gs1.GS + "17261231" + "21SN1"
    assert gs1.parse_raw(raw) == fields
    assert gs1.parse_bracketed(gs1.to_bracketed(fields)) == fields


def test_a_fixed_length_field_followed_by_a_separator_is_still_read() -> None:
    assert gs1.parse_raw("0109501101530003" + gs1.GS + "21X") == [
        ("01", "09501101530003"),
        ("21", "X"),
    ]


@pytest.mark.parametrize(
    ("ai", "value"),
    [("01", "0950110153000"), ("10", "a b"), ("10", "X" * 21), ("17", "26123"), ("00", "1" * 18)],
)
def test_values_breaking_their_ai_rules_are_refused(ai: str, value: str) -> None:
    with pytest.raises(PayloadError):
        gs1.validate(ai, value)


def test_an_unknown_ai_is_refused_rather_than_guessed() -> None:
    with pytest.raises(PayloadError, match="unsupported"):
        gs1.parse_raw("7240ABC")
