"""Correcting mistakes: undoing a batch's last transition, on each backend."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from server.errors import Conflict, Forbidden
from server.models import AuditRecord, Batch, ScanEvent, Station
from server.services import batches, corrections, runs, users
from server.services.actors import SYSTEM, Actor
from server.services.scans import record_scan
from tests.support.lines import cut_weld_line


@pytest.fixture
def line(runtime):
    """CUT (complete) then WELD (toggle) stations, a run of one batch, an operator Ana."""
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    with runtime.transaction() as s:
        cut_weld_line(s)
        users.create_user(s, SYSTEM, username="ana", role="operator")
        users.create_user(s, SYSTEM, username="sam", role="supervisor")
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids, run["number"], run["batches"][0]["code"]


ANA = Actor("ana", "operator")
SAM = Actor("sam", "supervisor")


def scan(runtime, station_id, code, **extra):
    body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test", **extra}
    ack = record_scan(runtime.engine, station_id, body, runtime.settings).ack
    assert ack["outcome"] == "accepted", ack
    return ack


def undo(runtime, actor, code, now=None):
    with runtime.transaction() as s:
        return corrections.undo_last(s, actor, code, reason="wrong batch", window=120,
                                     now=now)


def where(runtime, code):
    with runtime.sessions() as s:
        b = s.scalars(select(Batch).where(Batch.code == code)).one()
        return b.state, b.step_index, b.run.status


def test_undoing_a_toggle_finish_puts_the_step_back_in_process(runtime, line):
    ids, _, code = line
    scan(runtime, ids["cut-1"], code)
    scan(runtime, ids["weld-1"], code)
    scan(runtime, ids["weld-1"], code)
    assert where(runtime, code) == ("done", None, "completed")
    result = undo(runtime, SAM, code)
    assert result["undone"]["action"] == "finish"
    assert where(runtime, code) == ("in_process", 1, "in_progress")
    with runtime.sessions() as s:
        detail = batches.batch_detail(s, code)
    weld = [e for e in detail["executions"] if e["operation"] == "WELD"]
    assert [e["undone_at"] is not None for e in weld] == [True, False]
    assert weld[1]["finished_at"] is None and weld[1]["started_at"] == weld[0]["started_at"]
    # The step is in process again, so the next scan there finishes it.
    assert scan(runtime, ids["weld-1"], code)["transition"] == "finish"
    assert where(runtime, code) == ("done", None, "completed")


def test_undoing_a_toggle_start_leaves_no_open_step(runtime, line):
    ids, _, code = line
    scan(runtime, ids["cut-1"], code)
    scan(runtime, ids["weld-1"], code)
    undo(runtime, SAM, code)
    assert where(runtime, code) == ("waiting", 1, "in_progress")
    assert scan(runtime, ids["weld-1"], code)["transition"] == "start"
    assert scan(runtime, ids["weld-1"], code)["transition"] == "finish"
    with runtime.sessions() as s:
        detail = batches.batch_detail(s, code)
    assert [(e["operation"], e["undone_at"] is None) for e in detail["executions"]] == [
        ("CUT", True), ("WELD", False), ("WELD", True)]


def test_successive_undos_walk_back_and_the_scans_stay_on_record(runtime, line):
    ids, _, code = line
    scan(runtime, ids["cut-1"], code)
    with runtime.transaction() as s:
        batches.hold_batch(s, SAM, code, "check burrs")
    undo(runtime, SAM, code)
    assert where(runtime, code) == ("waiting", 1, "in_progress")
    undo(runtime, SAM, code)
    assert where(runtime, code) == ("waiting", 0, "in_progress")
    with pytest.raises(Conflict):
        undo(runtime, SAM, code)
    with runtime.sessions() as s:
        assert s.scalars(select(ScanEvent.transition)).all() == ["complete"]
        actions = s.scalars(select(AuditRecord.action).where(
            AuditRecord.entity_key == code)).all()
    assert actions == ["batch.hold", "batch.undo", "batch.undo"]


def test_an_operator_may_undo_their_own_change_only_within_the_window(runtime, line):
    _, _, code = line
    with runtime.transaction() as s:
        batches.hold_batch(s, ANA, code, "check burrs")
        made = s.scalars(select(AuditRecord.at).where(AuditRecord.action == "batch.hold")).one()
    with pytest.raises(Forbidden) as late:
        undo(runtime, ANA, code, now=made + timedelta(seconds=121))
    assert late.value.code == "undo_window_passed"
    undo(runtime, ANA, code, now=made + timedelta(seconds=119))
    assert where(runtime, code)[0] == "waiting"


def test_an_operator_cannot_undo_someone_elses_change(runtime, line):
    _, _, code = line
    with runtime.transaction() as s:
        batches.hold_batch(s, SAM, code, "check burrs")
    with pytest.raises(Forbidden) as refused:
        undo(runtime, ANA, code)
    assert refused.value.code == "not_your_change"
    assert where(runtime, code)[0] == "on_hold"
    undo(runtime, SAM, code)
    assert where(runtime, code)[0] == "waiting"


def test_cancelling_a_run_stops_a_step_in_process(runtime, line):
    ids, number, code = line
    scan(runtime, ids["cut-1"], code)
    scan(runtime, ids["weld-1"], code)
    with runtime.transaction() as s:
        runs.cancel_run(s, SYSTEM, number, "customer withdrew")
    with runtime.sessions() as s:
        detail = batches.batch_detail(s, code)
    assert detail["state"] == "cancelled"
    assert all(e["finished_at"] is not None for e in detail["executions"])
