"""Report arithmetic: linear percentiles, shifts across midnight, WIP age buckets, rates."""

import statistics
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import ReportError
from server.domain.reports import (
    OFF_SHIFT,
    age_bucket,
    parse_shifts,
    percentile,
    rate,
    seconds,
    shift_of,
)

D = Decimal
SHIFTS = parse_shifts("early=06:00-14:00, late=14:00-22:00, night=22:00-06:00")
durations = st.lists(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False,
                                 allow_infinity=False), min_size=1, max_size=50)
fractions = st.integers(min_value=0, max_value=100).map(lambda n: D(n) / 100)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert percentile([D(300), D(1200), D(599), D(600)], D("0.5")) == D("599.5")


def test_p90_interpolates_between_the_closest_ranks():
    # h = (4 - 1) * 0.9 = 2.7: 600 + 0.7 * (1200 - 600)
    assert percentile([D(300), D(599), D(600), D(1200)], D("0.9")) == D("1020")


def test_one_value_is_every_percentile_of_itself():
    assert percentile([D("42.5")], D("0.9")) == D("42.5")
    assert percentile([D("42.5")], D(0)) == D("42.5")


def test_the_ends_are_the_minimum_and_the_maximum():
    values = [D(5), D(1), D(9)]
    assert percentile(values, D(0)) == D(1) and percentile(values, D(1)) == D(9)


def test_a_percentile_of_nothing_or_out_of_range_is_refused():
    with pytest.raises(ReportError):
        percentile([], D("0.5"))
    with pytest.raises(ReportError):
        percentile([D(1)], D("1.1"))


@given(durations)
def test_the_median_agrees_with_the_standard_library(values):
    assert percentile(values, D("0.5")) == statistics.median(values)


@given(durations)
def test_p90_agrees_with_inclusive_quantiles_exactly(values):
    if len(values) < 2:
        return
    exact = statistics.quantiles([Fraction(v) for v in values], n=10, method="inclusive")[8]
    assert Fraction(percentile(values, D("0.9"))) == exact


@given(durations, fractions, fractions)
def test_percentiles_rise_with_p_and_stay_within_the_values(values, p, q):
    low, high = sorted((p, q))
    assert min(values) <= percentile(values, low) <= percentile(values, high) <= max(values)


def test_durations_are_exact_to_the_microsecond():
    assert seconds(timedelta(days=1, seconds=5, microseconds=250)) == D("86405.000250")


@pytest.mark.parametrize(("at", "expected"), [
    (datetime(2026, 3, 2, 6, 0), (date(2026, 3, 2), "early")),
    (datetime(2026, 3, 2, 13, 59, 59), (date(2026, 3, 2), "early")),
    (datetime(2026, 3, 2, 14, 0), (date(2026, 3, 2), "late")),
    (datetime(2026, 3, 2, 22, 0), (date(2026, 3, 2), "night")),
    (datetime(2026, 3, 3, 5, 59, 59), (date(2026, 3, 2), "night")),
    (datetime(2026, 3, 3, 0, 0), (date(2026, 3, 2), "night")),
])
def test_a_time_belongs_to_its_shift_and_a_night_to_the_day_it_started(at, expected):
    assert shift_of(at, SHIFTS) == expected


def test_hours_in_no_shift_are_off_shift():
    day_only = parse_shifts("day=08:00-16:00")
    assert shift_of(datetime(2026, 3, 2, 7, 59), day_only) == (date(2026, 3, 2), OFF_SHIFT)


def test_shifts_parse_names_and_times():
    assert [(s.name, s.start, s.end, s.overnight) for s in SHIFTS][2] == \
        ("night", time(22), time(6), True)


@pytest.mark.parametrize("text", ["early=06:00-14:00, late=13:00-22:00",
                                  "night=22:00-06:00, early=05:00-07:00",
                                  "a=06:00-06:00", "a=25:00-02:00", "06:00-14:00",
                                  "a=06:00-14:00, a=15:00-16:00"])
def test_overlapping_or_malformed_shifts_are_refused(text):
    with pytest.raises(ReportError):
        parse_shifts(text)


@pytest.mark.parametrize(("age", "bucket"), [
    (timedelta(seconds=-5), "under_1h"), (timedelta(minutes=59, seconds=59), "under_1h"),
    (timedelta(hours=1), "1h_to_4h"), (timedelta(hours=4), "4h_to_24h"),
    (timedelta(hours=23, minutes=59), "4h_to_24h"), (timedelta(hours=24), "over_24h"),
    (timedelta(days=40), "over_24h"),
])
def test_wip_ages_fall_in_half_open_buckets(age, bucket):
    assert age_bucket(age) == bucket


def test_rates_are_exact_decimals_to_four_places_rounded_half_even():
    assert rate(D(38), D(40)) == D("0.9500")
    assert rate(D(1), D(3)) == D("0.3333") and rate(D(2), D(3)) == D("0.6667")
    assert rate(D(5), D(100000)) == D("0.0000")  # 0.00005: a half, to the even 0
    assert rate(D(15), D(100000)) == D("0.0002")  # 0.00015: a half, to the even 2
    assert rate(D(0), D(0)) is None
