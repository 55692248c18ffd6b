"""Local feedback at the station: a command per outcome, or the terminal bell."""

import io
import sys

from station.feedback import CommandFeedback, refused_read
from tests.station.waiting import wait_until


def recorder(path):
    script = f"import sys; open('{path}', 'a').write(' '.join(sys.argv[1:]) + '\\n')"
    return f'{sys.executable} -c "{script}"'


def test_each_outcome_runs_its_command_with_the_outcome_and_reason(tmp_path):
    log = tmp_path / "feedback.log"
    feedback = CommandFeedback(on_accepted=recorder(log), on_rejected=recorder(log))
    feedback.notify({"outcome": "accepted"})
    feedback.notify({"outcome": "rejected", "reason": "wrong_step"})
    feedback.notify({"outcome": "duplicate", "reason": "duplicate_scan"})  # no command for it
    wait_until(lambda: log.exists() and len(log.read_text().splitlines()) == 2, 10)
    assert sorted(log.read_text().split("\n")[:2]) == ["accepted ", "rejected wrong_step"]


def test_the_bell_rings_only_for_rejections():
    stream = io.StringIO()
    feedback = CommandFeedback(bell=True, stream=stream)
    feedback.notify({"outcome": "accepted"})
    assert stream.getvalue() == ""
    feedback.notify({"outcome": "rejected", "reason": "on_hold"})
    assert stream.getvalue() == "\a"


def test_a_missing_command_is_logged_not_raised(caplog):
    CommandFeedback(on_accepted="/nonexistent/beeper").notify({"outcome": "accepted"})
    assert "feedback command" in caplog.text


def test_a_read_the_outbox_refused_rings_the_bell_and_runs_the_refused_command(tmp_path):
    log = tmp_path / "feedback.log"
    stream = io.StringIO()
    feedback = CommandFeedback(on_rejected=recorder(log), bell=True, stream=stream)
    feedback.notify(refused_read("B-1", "outbox_full", "outbox holds its maximum"))
    assert stream.getvalue() == "\a"
    wait_until(lambda: log.exists() and log.read_text() == "refused outbox_full\n", 10)
