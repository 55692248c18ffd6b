from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from server.domain.pace import PACE_WINDOW, end_of_day, pace_per_hour, pace_start, project

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_no_step_finished_in_the_window_gives_no_pace_and_no_finish():
    p = project(6, 0, now=NOW, started=None, due=None)
    assert p.pace_per_hour is None and p.finish is None and not p.late
    assert p.as_dict()["finish"] is None


def test_pace_counts_steps_over_the_window_and_projects_the_remainder():
    p = project(3, 4, now=NOW, started=None, due=None)  # 4 in the last 4 hours: 1 per hour
    assert p.pace_per_hour == 1.0
    assert p.finish == NOW + timedelta(hours=3)


def test_a_run_started_inside_the_window_is_paced_since_it_started():
    assert pace_start(now=NOW, started=ago(30)) == ago(30)
    assert pace_start(now=NOW, started=ago(60 * 9)) == NOW - PACE_WINDOW
    assert pace_per_hour(2, now=NOW, started=ago(30)) == 4.0


def test_a_projected_finish_after_the_due_time_is_late():
    due = NOW + timedelta(hours=2)
    slow = project(4, 1, now=NOW, started=ago(60), due=due)  # 1/h, 4 h to go
    fast = project(1, 1, now=NOW, started=ago(60), due=due)
    assert slow.late and not fast.late


def test_a_run_with_no_pace_is_late_only_once_its_due_time_has_passed():
    assert project(2, 0, now=NOW, started=None, due=ago(1)).late
    assert not project(2, 0, now=NOW, started=None, due=NOW + timedelta(minutes=1)).late


def test_nothing_left_finishes_now():
    p = project(0, 0, now=NOW, started=None, due=None)
    assert p.finish == NOW and p.remaining_steps == 0


def test_a_due_date_lasts_the_whole_day():
    assert end_of_day(datetime(2026, 3, 4, tzinfo=UTC)) == datetime(2026, 3, 5, tzinfo=UTC)


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=500),
       st.one_of(st.none(), st.floats(min_value=0.01, max_value=600)))
def test_a_projected_finish_is_never_before_now(finished, remaining, started_minutes):
    started = None if started_minutes is None else ago(started_minutes)
    p = project(remaining, finished, now=NOW, started=started, due=None)
    assert p.finish is None or p.finish > NOW
    assert (p.pace_per_hour is None) == (finished == 0)
