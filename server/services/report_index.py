"""The reports by name, and the date rules every report's range follows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ..errors import Unprocessable
from ..settings import Settings
from .report_reasons import reasons
from .report_wip import wip_ageing
from .reports import Report, Window, cycle_times, output_by_shift, window, yields

MAX_DAYS = 366
# Dates a report may name: time zone arithmetic a few days either side stays in range.
EARLIEST, LATEST = date(1970, 1, 2), date(9999, 12, 20)
Maker = Callable[[Session, Settings, Window, datetime], Report]
REPORTS: dict[str, Maker] = {
    "output": lambda s, cfg, win, now: output_by_shift(s, cfg, win),
    "cycle-time": lambda s, cfg, win, now: cycle_times(s, win),
    "yield": lambda s, cfg, win, now: yields(s, win),
    "reasons": lambda s, cfg, win, now: reasons(s, win),
    "wip-ageing": lambda s, cfg, win, now: wip_ageing(s, win, now=now),
}


def make_report(session: Session, settings: Settings, name: str, first: date | None,
                last: date | None, *, now: datetime) -> Report:
    """Build a report over first..last (plant days, inclusive; default the last 7 days)."""
    win = checked_window(settings, first, last, now=now)
    return REPORTS[name](session, settings, win, now)


def checked_window(settings: Settings, first: date | None, last: date | None, *,
                   now: datetime) -> Window:
    """Return the window of first..last, refusing dates out of range or over a year apart."""
    for day in (first, last):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise Unprocessable(f"report dates are from {EARLIEST} to {LATEST}, not {day}",
                                code="invalid_range")
    if first and last and first > last:
        raise Unprocessable(f"from ({first}) is after to ({last})", code="invalid_range")
    win = window(settings, first, last, now=now)
    if win.last - win.first >= timedelta(days=MAX_DAYS):
        raise Unprocessable(f"a report covers at most {MAX_DAYS} days",
                            code="invalid_range", max_days=MAX_DAYS)
    return win
