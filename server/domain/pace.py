"""A run's projected finish from its recent pace: steps finished per hour, remaining ÷ pace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Long enough to smooth a break, short enough to follow a shift's real pace.
PACE_WINDOW = timedelta(hours=4)


@dataclass(frozen=True, slots=True)
class Projection:
    """pace in steps per hour (None: no pace yet); finish None when there is no pace."""

    remaining_steps: int
    pace_per_hour: float | None
    finish: datetime | None
    late: bool

    def as_dict(self) -> dict[str, object]:
        return {"remaining_steps": self.remaining_steps,
                "pace_per_hour": (round(self.pace_per_hour, 2)
                                  if self.pace_per_hour is not None else None),
                "finish": self.finish.isoformat() if self.finish else None, "late": self.late}


def pace_start(*, now: datetime, started: datetime | None,
               window: timedelta = PACE_WINDOW) -> datetime:
    """Return where a run's pace is counted from: the window's start, or its own if later."""
    return now - window if started is None else max(now - window, started)


def pace_per_hour(finished: int, *, now: datetime, started: datetime | None,
                  window: timedelta = PACE_WINDOW) -> float | None:
    """Return steps per hour, given how many finished since pace_start (and not after now).

    None when none did: a pace from nothing would be a guess.
    """
    hours = (now - pace_start(now=now, started=started, window=window)).total_seconds() / 3600
    if finished <= 0 or hours <= 0:
        return None
    return finished / hours


def project(remaining_steps: int, finished: int, *, now: datetime,
            started: datetime | None, due: datetime | None,
            window: timedelta = PACE_WINDOW) -> Projection:
    """Project when the remaining steps finish at the recent pace; late if after due.

    finished counts the steps finished since pace_start: a number the database counts, not
    a list of moments (a busy run's window holds tens of thousands).
    """
    remaining = max(0, remaining_steps)
    pace = pace_per_hour(finished, now=now, started=started, window=window)
    if remaining == 0:
        return Projection(0, pace, now, due is not None and now > due)
    if pace is None:
        return Projection(remaining, None, None, due is not None and now > due)
    finish = now + timedelta(hours=remaining / pace)
    return Projection(remaining, pace, finish, due is not None and finish > due)


def end_of_day(day: datetime) -> datetime:
    """Return the last moment of a due date: a run due on a day is on time all that day."""
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1)
