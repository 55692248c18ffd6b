"""Group commit: scans that arrive together share a transaction, each fails alone, once per id."""

import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, OperationalError

from server.models import Batch, ScanEvent, Station, StepExecution
from server.services import runs, scan_groups, scan_store, scans
from server.services.actors import SYSTEM
from server.services.scan_groups import Scan, ScanGroups, record_group
from tests.support.lines import cut_weld_line


@pytest.fixture
def line(runtime):
    """Two CUT stations (complete) and weld-1 (toggle); a run of four batches."""
    with runtime.transaction() as s:
        cut_weld_line(s, cut_stations=("cut-1", "cut-2"))
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 4)])
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids, [b["code"] for b in run["batches"]]


def body(code):
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}


def outcomes(results):
    return [r.ack["outcome"] if isinstance(r, scans.ScanResult) else type(r).__name__
            for r in results]


def step_of(runtime, code):
    with runtime.sessions() as s:
        batch = s.scalars(select(Batch).where(Batch.code == code)).one()
        return batch.state, batch.step_index, batch.version


def stored(runtime):
    with runtime.sessions() as s:
        return [(e.event_id, e.outcome) for e in s.scalars(select(ScanEvent)
                                                           .order_by(ScanEvent.id))]


def executions(runtime, code):
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(StepExecution).join(Batch)
                        .where(Batch.code == code))


def test_a_group_records_every_scan_in_one_commit(runtime, line):
    ids, codes = line
    group = [Scan(ids["cut-1"], body(codes[0])), Scan(ids["cut-2"], body(codes[1])),
             Scan(ids["weld-1"], body(codes[2]))]  # not yet cut: wrong step
    results = record_group(runtime, group)
    assert outcomes(results) == ["accepted", "accepted", "rejected"]
    assert results[2].ack["reason"] == "wrong_step"
    assert step_of(runtime, codes[0])[:2] == step_of(runtime, codes[1])[:2] == ("waiting", 1)
    assert [e for e, _ in stored(runtime)] == [s.body["event_id"] for s in group]


def test_a_scan_the_database_refuses_fails_alone_and_its_writes_roll_back(runtime, line,
                                                                        monkeypatch):
    """Fault injection after the scan's real writes: its savepoint undoes them, not others'."""
    ids, codes = line
    real_apply = scan_store.apply

    def refuse_the_second(conn, batch, *args, **kwargs):
        status = real_apply(conn, batch, *args, **kwargs)  # execution, batch and run written
        if batch.code == codes[1]:
            raise DataError("UPDATE batches ...", {}, ValueError("value out of range"))
        return status

    monkeypatch.setattr(scan_store, "apply", refuse_the_second)
    group = [Scan(ids["cut-1"], body(code)) for code in codes[:3]]
    results = record_group(runtime, group)
    assert outcomes(results) == ["accepted", "rejected", "accepted"]
    assert results[1].ack["reason"] == "invalid_payload"
    assert results[1].ack["event_id"] == group[1].body["event_id"]
    assert step_of(runtime, codes[1]) == ("waiting", 0, 1) and executions(runtime, codes[1]) == 0
    assert step_of(runtime, codes[0])[:2] == step_of(runtime, codes[2])[:2] == ("waiting", 1)
    assert [o for _, o in stored(runtime)] == ["accepted", "rejected", "accepted"]


def test_a_repeated_event_id_in_one_group_is_applied_once_and_answered_alike(runtime, line):
    ids, codes = line
    first = Scan(ids["cut-1"], body(codes[0]))
    group = [first, Scan(ids["cut-2"], body(codes[1])), first]
    results = record_group(runtime, group)
    assert outcomes(results) == ["accepted", "accepted", "accepted"]
    assert results[2].ack == results[0].ack and results[2].replayed
    assert step_of(runtime, codes[0])[:2] == ("waiting", 1) and executions(runtime, codes[0]) == 1
    again = record_group(runtime, [first])  # and in a later group
    assert again[0].ack == results[0].ack and again[0].replayed
    assert len(stored(runtime)) == 2


def test_a_transient_error_in_one_scan_defers_it_alone(runtime, line, monkeypatch):
    ids, codes = line
    real_apply = scan_store.apply

    class LockTimeout(Exception):
        sqlstate = "55P03"  # lock_not_available: the statement failed, not the connection

    def time_out_the_first(conn, batch, *args, **kwargs):
        if batch.code == codes[0]:
            raise OperationalError("SELECT ... FOR UPDATE", {}, LockTimeout())
        return real_apply(conn, batch, *args, **kwargs)

    monkeypatch.setattr(scan_store, "apply", time_out_the_first)
    group = [Scan(ids["cut-1"], body(codes[0])), Scan(ids["cut-1"], body(codes[1]))]
    results = record_group(runtime, group)
    assert outcomes(results) == ["deferred", "accepted"]
    assert [e for e, _ in stored(runtime)] == [group[1].body["event_id"]]
    monkeypatch.setattr(scan_store, "apply", real_apply)
    assert outcomes(record_group(runtime, group)) == ["accepted", "accepted"]


def test_a_scan_that_raises_goes_unanswered_while_the_rest_commit(runtime, line,
                                                                  monkeypatch):
    ids, codes = line
    real_apply = scan_store.apply

    def bug(conn, batch, *args, **kwargs):
        if batch.code == codes[0]:
            raise KeyError("a bug")
        return real_apply(conn, batch, *args, **kwargs)

    monkeypatch.setattr(scan_store, "apply", bug)
    results = record_group(runtime, [Scan(ids["cut-1"], body(c)) for c in codes[:2]])
    assert outcomes(results) == ["KeyError", "accepted"]
    assert step_of(runtime, codes[0])[:2] == ("waiting", 0)


class Killed(BaseException):
    """The process dying mid-group, before its commit (nothing after it runs)."""


def test_a_group_killed_before_its_commit_acks_nothing_and_the_resends_apply_once(
        runtime, line, monkeypatch):
    ids, codes = line
    real_apply = scan_store.apply

    def die_at_the_last(conn, batch, *args, **kwargs):
        status = real_apply(conn, batch, *args, **kwargs)
        if batch.code == codes[3]:
            raise Killed()
        return status

    monkeypatch.setattr(scan_store, "apply", die_at_the_last)
    group = [Scan(ids["cut-1" if i % 2 else "cut-2"], body(code)) for i, code in
             enumerate(codes)]
    with pytest.raises(Killed):
        record_group(runtime, group)
    assert stored(runtime) == [] and all(step_of(runtime, c) == ("waiting", 0, 1) for c in codes)
    monkeypatch.setattr(scan_store, "apply", real_apply)
    # The stations resend from their outboxes, in two groups that overlap.
    assert outcomes(record_group(runtime, group[:3])) == ["accepted"] * 3
    resent = record_group(runtime, group[1:])
    assert outcomes(resent) == ["accepted"] * 3 and [r.replayed for r in resent] == \
        [True, True, False]
    assert all(step_of(runtime, c)[:2] == ("waiting", 1) for c in codes)
    assert len(stored(runtime)) == 4 and all(executions(runtime, c) == 1 for c in codes)


def test_scans_arriving_while_a_group_is_written_form_the_next_group(runtime, line,
                                                                   monkeypatch):
    """Threads stand in for greenlets: the first scan leads, the rest wait and go as one."""
    ids, codes = line
    groups: list[int] = []
    first_in, release = threading.Event(), threading.Event()
    real_group = scan_groups.record_group

    def record(rt, group):
        groups.append(len(group))
        if len(groups) == 1:
            first_in.set()
            assert release.wait(10)
        return real_group(rt, group)

    monkeypatch.setattr(scan_groups, "record_group", record)
    writer = ScanGroups(runtime)
    acks: dict[str, dict] = {}

    def send(code):
        acks[code] = writer.record(Scan(ids["cut-1"], body(code))).ack

    threads = [threading.Thread(target=send, args=(code,)) for code in codes]
    threads[0].start()
    assert first_in.wait(10)
    for t in threads[1:]:
        t.start()
    while len(writer._waiting) < 3:  # the three wait behind the group being written
        threading.Event().wait(0.01)
    assert acks == {}
    release.set()
    for t in threads:
        t.join(10)
    assert groups == [1, 3]
    assert {code: ack["outcome"] for code, ack in acks.items()} == \
        dict.fromkeys(codes, "accepted")
    assert not writer._leading and writer._waiting == []


@pytest.mark.postgres
def test_a_group_whose_connection_is_terminated_is_deferred_whole_then_accepted(
        runtime, line, monkeypatch):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    from sqlalchemy import text

    ids, codes = line
    real_apply = scan_store.apply

    def terminate_at_the_second(conn, batch, *args, **kwargs):
        if batch.code == codes[1]:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with runtime.engine.connect() as admin:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                admin.commit()
        return real_apply(conn, batch, *args, **kwargs)

    monkeypatch.setattr(scan_store, "apply", terminate_at_the_second)
    group = [Scan(ids["cut-1"], body(code)) for code in codes[:3]]
    assert outcomes(record_group(runtime, group)) == ["deferred"] * 3
    assert stored(runtime) == []
    monkeypatch.setattr(scan_store, "apply", real_apply)
    assert outcomes(record_group(runtime, group)) == ["accepted"] * 3
