from datetime import date

import pytest

from server.domain import numbering


def test_run_numbers_are_zero_padded_by_year():
    assert numbering.run_number(2026, 42) == "PR-2026-00042"
    assert numbering.is_run_number("PR-2026-00042")


def test_batch_codes_are_recognised():
    code = numbering.batch_code(2026, 123)
    assert code == "B-2026-000123" and numbering.is_batch_code(code)
    assert not numbering.is_batch_code("PR-2026-00042")


def test_serials_follow_type_year_monthday_sequence():
    serial = numbering.serial_number("fg", date(2026, 3, 7), 12)
    assert serial == "FG-2026-0307-0012" and numbering.is_serial(serial)


def test_serial_type_must_be_short_and_plain():
    with pytest.raises(ValueError):
        numbering.serial_number("F G", date(2026, 1, 1), 1)


def test_lot_numbers_are_zero_padded_by_year():
    assert numbering.lot_number(2026, 7) == "L-2026-000007"
    assert numbering.is_lot_number("L-2026-000007") and not numbering.is_batch_code("L-2026-000007")


@pytest.mark.parametrize(("year", "seq"), [(0, 1), (10000, 1), (2026, 0), (2026, 10**9)])
def test_numbers_outside_the_shared_range_are_refused(year, seq):
    with pytest.raises(ValueError):
        numbering.batch_code(year, seq)


def test_badge_is_no_serial_type():
    with pytest.raises(ValueError, match="BADGE"):
        numbering.serial_number("badge", date(2026, 1, 1), 1)
