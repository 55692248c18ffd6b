"""Report arithmetic: percentiles, shifts, WIP age buckets and rates, all exact.

Percentiles use linear interpolation between closest ranks (Hyndman & Fan type 7, the
default of numpy and spreadsheets, `statistics.quantiles(method="inclusive")`): for sorted
values x[0..n-1] and a fraction p, h = (n - 1) * p and the result is
x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). So the median of an even
count is the mean of the two middle values; one value is every percentile of itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from .errors import ReportError

RATE_PLACES = Decimal("0.0001")  # rates are fractions to four places (0.9875 = 98.75 %)


def percentile(values: Sequence[Decimal], p: Decimal) -> Decimal:
    """Return the p-quantile (0 <= p <= 1) of values by linear interpolation (type 7)."""
    if not values:
        raise ReportError("no values to take a percentile of")
    if not Decimal(0) <= p <= Decimal(1):
        raise ReportError(f"a percentile is between 0 and 1, not {p}")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    low = int(h)  # h >= 0: int() is floor
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


def seconds(delta: timedelta) -> Decimal:
    """Return a duration in seconds, exactly (microseconds included)."""
    return Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 10**6


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part / whole to four places (half-even), or None when whole is 0."""
    if whole == 0:
        return None
    return (part / whole).quantize(RATE_PLACES, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Shift:
    """A named shift from start to end local time; end <= start runs past midnight."""

    name: str
    start: time
    end: time

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    def holds(self, at: time) -> bool:
        if self.overnight:
            return at >= self.start or at < self.end
        return self.start <= at < self.end


OFF_SHIFT = "off shift"
_SHIFT = re.compile(r"^\s*([A-Za-z][\w -]{0,31}?)\s*=\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*$")


def parse_shifts(text: str) -> tuple[Shift, ...]:
    """Parse "early=06:00-14:00, late=14:00-22:00, night=22:00-06:00"; refuse overlaps."""
    shifts: list[Shift] = []
    for part in text.split(","):
        match = _SHIFT.match(part)
        if not match:
            raise ReportError(f"a shift is name=HH:MM-HH:MM, not {part.strip()!r}")
        name, h1, m1, h2, m2 = match.groups()
        try:
            shift = Shift(name, time(int(h1), int(m1)), time(int(h2), int(m2)))
        except ValueError as err:
            raise ReportError(f"shift {name}: {err}") from err
        if shift.start == shift.end:
            raise ReportError(f"shift {name} starts when it ends")
        shifts.append(shift)
    for i, one in enumerate(shifts):
        for other in shifts[i + 1:]:
            if one.name == other.name or _overlap(one, other):
                raise ReportError(f"shifts {one.name} and {other.name} overlap or share a name")
    return tuple(shifts)


def _minutes(shift: Shift) -> set[int]:
    start = shift.start.hour * 60 + shift.start.minute
    end = shift.end.hour * 60 + shift.end.minute
    return {m % 1440 for m in range(start, end if end > start else end + 1440)}


def _overlap(a: Shift, b: Shift) -> bool:
    return bool(_minutes(a) & _minutes(b))


def shift_of(local: datetime, shifts: Sequence[Shift]) -> tuple[date, str]:
    """Return the shift day and name of a local time; a night shift belongs to the day it
    started on (03:00 on the 5th is the night shift of the 4th)."""
    at = local.time().replace(tzinfo=None)
    for shift in shifts:
        if shift.holds(at):
            started_yesterday = shift.overnight and at < shift.end
            day = local.date() - timedelta(days=1) if started_yesterday else local.date()
            return day, shift.name
    return local.date(), OFF_SHIFT


# Age since a batch's last move: key, [low, high) in seconds; None is open-ended.
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under_1h", 0, 3600), ("1h_to_4h", 3600, 4 * 3600), ("4h_to_24h", 4 * 3600, 86400),
    ("over_24h", 86400, None))


def age_bucket(age: timedelta) -> str:
    """Return the WIP age bucket of an age (a negative age, a clock ahead, is the first)."""
    total = age.total_seconds()
    for key, _low, high in AGE_BUCKETS:
        if high is None or total < high:
            return key
    raise AssertionError("the last bucket is open-ended")
