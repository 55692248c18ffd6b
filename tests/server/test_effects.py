"""Effects run once after commit, from the transaction's owner, and never after a rollback."""

from __future__ import annotations

import pytest

from server import effects
from server.errors import FloorlineError


def test_an_effect_runs_once_after_the_transaction_commits(runtime):
    ran: list[str] = []
    with runtime.transaction() as s:
        effects.after_commit(s, lambda: ran.append("sent"))
        assert ran == []  # nothing leaves before the commit
    assert ran == ["sent"]


def test_a_rolled_back_transaction_runs_no_effect(runtime):
    ran: list[str] = []
    with pytest.raises(FloorlineError), runtime.transaction() as s:
        effects.after_commit(s, lambda: ran.append("sent"))
        raise FloorlineError("refused")
    with runtime.transaction():
        pass
    assert ran == []


def test_the_scan_paths_connection_runs_effects_after_commit_and_drops_them_on_rollback(
        runtime):
    ran: list[str] = []
    with pytest.raises(FloorlineError), effects.begin(runtime.engine) as conn:
        effects.after_commit(conn, lambda: ran.append("rolled back"))
        raise FloorlineError("refused")
    with effects.begin(runtime.engine) as conn:
        effects.after_commit(conn, lambda: ran.append("committed"))
    with effects.begin(runtime.engine):
        pass  # the pooled connection carries nothing over
    assert ran == ["committed"]


def test_an_effect_outside_a_transaction_is_refused(runtime):
    with runtime.sessions() as s, pytest.raises(RuntimeError):
        effects.after_commit(s, lambda: None)
