"""The scan service: one transaction per scan, applied once per event id, every reason code."""

import sqlite3
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.db import make_engine
from server.models import Batch, ScanEvent, Station
from server.services import batches as batch_service
from server.services import catalog, plant, runs
from server.services.actors import SYSTEM
from server.services.scans import record_scan
from tests.support.lines import cut_weld_line


@pytest.fixture
def line(runtime):
    """Three stations (CUT complete, WELD toggle, a second CUT) and a run of two batches."""
    with runtime.transaction() as s:
        cut_weld_line(s, cut_stations=("cut-1", "cut-2"))
        run = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 2)])
        ids = {st.name: st.id for st in s.scalars(select(Station))}
    return ids, run["number"], [b["code"] for b in run["batches"]]


def body(code, **extra):
    return {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
            "scanned_at": datetime.now(UTC).isoformat(), "source": "test", **extra}


def scan(runtime, station_id, payload):
    return record_scan(runtime.engine, station_id, payload, runtime.settings).ack


def state_of(runtime, code):
    with runtime.sessions() as s:
        b = s.scalars(select(Batch).where(Batch.code == code)).one()
        return b.state, b.step_index, b.version, b.run.status


def events(runtime):
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(ScanEvent))


def test_complete_station_advances_and_starts_the_run(runtime, line):
    ids, _, codes = line
    ack = scan(runtime, ids["cut-1"], body(codes[0]))
    assert ack["outcome"] == "accepted" and ack["transition"] == "complete"
    assert (ack["step"], ack["next_step"], ack["batch"]) == ("CUT", "WELD", codes[0])
    assert state_of(runtime, codes[0])[:2] == ("waiting", 1)
    assert state_of(runtime, codes[0])[3] == "in_progress"


def test_toggle_station_starts_then_finishes_and_records_the_step(runtime, line):
    ids, _, codes = line
    scan(runtime, ids["cut-1"], body(codes[0]))
    start = scan(runtime, ids["weld-1"], body(codes[0], operator="ana"))
    assert start["transition"] == "start" and state_of(runtime, codes[0])[0] == "in_process"
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)  # operator waited
    finish = scan(runtime, ids["weld-1"], body(codes[0], operator="ana"))
    assert finish["transition"] == "finish" and state_of(runtime, codes[0])[0] == "done"
    with runtime.sessions() as s:
        detail = batch_service.batch_detail(s, codes[0])
    weld = detail["executions"][1]
    assert (weld["operation"], weld["station"]) == ("WELD", "weld-1")
    # No one is logged in at weld-1: the name the station sent is kept only as a claim.
    assert weld["operator"] is None and weld["finished_by"] is None
    assert [(sc["operator"], sc["operator_claimed"]) for sc in detail["scans"]
            if sc["station"] == "weld-1"] == [(None, "ana"), (None, "ana")]
    assert weld["started_at"] < weld["finished_at"]


def test_run_completes_when_every_batch_is_done(runtime, line):
    ids, number, codes = line
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    for code in codes:
        scan(runtime, ids["cut-1"], body(code))
        scan(runtime, ids["weld-1"], body(code))
        assert state_of(runtime, codes[-1])[3] == "in_progress"
        scan(runtime, ids["weld-1"], body(code))
    with runtime.sessions() as s:
        run = runs.run_by_number(s, number)
        assert run.status == "completed" and run.completed_at and run.started_at


def test_a_repeated_event_id_replays_the_first_ack_and_changes_nothing(runtime, line):
    ids, _, codes = line
    payload = body(codes[0])
    first = scan(runtime, ids["cut-1"], payload)
    before = state_of(runtime, codes[0]), events(runtime)
    for _ in range(3):
        assert scan(runtime, ids["cut-1"], payload) == first
    assert (state_of(runtime, codes[0]), events(runtime)) == before


def test_an_event_id_of_another_station_is_not_replayed_to_it(runtime, line):
    ids, _, codes = line
    payload = body(codes[0])
    scan(runtime, ids["cut-1"], payload)
    other = scan(runtime, ids["cut-2"], payload)
    assert other["outcome"] == "rejected" and "another station" in other["message"]


def test_a_second_scan_at_the_same_station_soon_after_is_a_duplicate(runtime, line):
    ids, _, codes = line
    scan(runtime, ids["weld-1"], body(codes[0]))  # wrong step, not counted
    scan(runtime, ids["cut-1"], body(codes[0]))
    again = scan(runtime, ids["cut-1"], body(codes[0]))
    assert again["outcome"] == "duplicate" and again["reason"] == "duplicate_scan"
    assert state_of(runtime, codes[0])[1] == 1


def test_wrong_step_names_the_expected_step(runtime, line):
    ids, _, codes = line
    ack = scan(runtime, ids["weld-1"], body(codes[0]))
    assert ack["outcome"] == "rejected" and ack["reason"] == "wrong_step"
    assert ack["expected_step"] == "CUT"
    assert state_of(runtime, codes[0])[:2] == ("waiting", 0)


def test_a_held_batch_is_refused(runtime, line):
    ids, _, codes = line
    with runtime.transaction() as s:
        batch_service.hold_batch(s, SYSTEM, codes[0], "check")
    assert scan(runtime, ids["cut-1"], body(codes[0]))["reason"] == "on_hold"


def test_a_done_batch_is_refused(runtime, line):
    ids, _, codes = line
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    for station in ("cut-1", "weld-1", "weld-1"):
        scan(runtime, ids[station], body(codes[0]))
    assert scan(runtime, ids["weld-1"], body(codes[0]))["reason"] == "already_done"


def test_a_disabled_station_refuses_scans(runtime, line):
    ids, _, codes = line
    with runtime.transaction() as s:
        plant.set_station_enabled(s, SYSTEM, "cut-1", False)
    assert scan(runtime, ids["cut-1"], body(codes[0]))["reason"] == "station_disabled"
    assert state_of(runtime, codes[0])[1] == 0


def test_the_url_form_of_a_label_finds_the_batch(runtime, line):
    ids, _, codes = line
    ack = scan(runtime, ids["cut-1"], body(f"https://plant.example/b/{codes[0]}"))
    assert ack["outcome"] == "accepted" and ack["batch"] == codes[0]


@pytest.mark.parametrize(("code", "reason"), [
    ("B-2026-999999", "unknown_code"), ("HELLO", "unknown_code"),
    ("PR-2026-00001", "not_a_batch"), ("FG-2026-0101-0001", "not_a_batch"),
    ("SO-2026-00001", "not_a_batch"), ("9X-2026-0105-0007", "not_a_batch")])
def test_codes_that_are_not_known_batches_are_refused(runtime, line, code, reason):
    ids, _, _ = line
    ack = scan(runtime, ids["cut-1"], body(code))
    assert (ack["outcome"], ack["reason"]) == ("rejected", reason)


def far(hours):
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


MALFORMED = {
    "no event_id": lambda c: {k: v for k, v in body(c).items() if k != "event_id"},
    "event_id not a UUID": lambda c: body(c, event_id="1234"),
    "code over 4096 characters": lambda c: body("B" * 4097),
    "binary junk in the code": lambda c: body("\x00\x01\xff\ufffd"),
    "empty code": lambda c: body("   "),
    "code not a string": lambda c: body(12345),
    "scanned far in the future": lambda c: body(c, scanned_at=far(48)),
    "scanned far in the past": lambda c: body(c, scanned_at=far(-24 * 30)),
    "timestamp without zone": lambda c: body(c, scanned_at="2026-01-01T00:00:00"),
    "timestamp not a time": lambda c: body(c, scanned_at="yesterday"),
    "operator not a string": lambda c: body(c, operator={"$ne": 1}),
    "lone surrogate in the code": lambda c: body("B-2026-\ud800"),
    "NUL in the source": lambda c: body(c, source="cam\x00era"),
    "control character in the operator": lambda c: body(c, operator="ana\x07"),
    "not an object": lambda c: [c],
    "null": lambda c: None,
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_scans_are_stored_as_rejected_and_change_nothing(runtime, line, case):
    ids, _, codes = line
    before = state_of(runtime, codes[0])
    ack = scan(runtime, ids["cut-1"], MALFORMED[case](codes[0]))
    # A time the server refuses is named apart, so the station keeps it as a dead letter.
    reason = "clock_skew" if case.startswith("scanned far") else "invalid_payload"
    assert (ack["outcome"], ack["reason"]) == ("rejected", reason)
    assert ack["message"]
    assert (ack["code"], ack["message"], ack["detail"]) == (reason, ack["message"], {})
    assert state_of(runtime, codes[0]) == before
    with runtime.sessions() as s:
        stored = s.scalars(select(ScanEvent)).one()
    assert (stored.outcome, stored.reason) == ("rejected", reason)


def test_sql_in_a_code_is_just_an_unknown_code(runtime, line):
    ids, _, codes = line
    ack = scan(runtime, ids["cut-1"], body("B-2026-000001' OR '1'='1"))
    assert ack["reason"] == "unknown_code"
    assert state_of(runtime, codes[0])[1] == 0


def test_two_stations_scanning_one_batch_at_once_advance_it_once(runtime, line):
    """Real concurrent connections (PostgreSQL row lock, SQLite immediate transactions)."""
    ids, _, _ = line
    for round_ in range(10):
        with runtime.transaction() as s:
            new = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(1), "pcs", 1)])
        code = new["batches"][0]["code"]
        barrier = threading.Barrier(2)
        acks = []

        def go(station, code=code, barrier=barrier, acks=acks):
            barrier.wait()
            acks.append(scan(runtime, ids[station], body(code)))

        threads = [threading.Thread(target=go, args=(n,)) for n in ("cut-1", "cut-2")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        outcomes = sorted(a["outcome"] for a in acks)
        assert outcomes == ["accepted", "rejected"], (round_, acks)
        assert state_of(runtime, code)[:2] == ("waiting", 1)


def test_the_same_event_sent_on_two_connections_at_once_is_stored_once(runtime, line):
    ids, _, codes = line
    payload = body(codes[1])
    barrier = threading.Barrier(2)
    acks = []

    def go():
        barrier.wait()
        acks.append(scan(runtime, ids["cut-1"], payload))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert acks[0] == acks[1] and acks[0]["outcome"] == "accepted"
    assert events(runtime) == 1 and state_of(runtime, codes[1])[1] == 1


def test_a_repeat_with_the_event_id_in_capitals_replays_the_first_ack(runtime, line):
    ids, _, codes = line
    payload = body(codes[0])
    first = scan(runtime, ids["cut-1"], payload)
    shouted = {**payload, "event_id": payload["event_id"].upper()}
    assert scan(runtime, ids["cut-1"], shouted) == first
    assert events(runtime) == 1


def test_a_backlog_resent_at_once_keeps_its_station_times(runtime, line):
    """After a network cut a toggle station's start and finish arrive together: both count."""
    ids, _, codes = line
    scan(runtime, ids["cut-1"], body(codes[0], scanned_at=far(-0.01)))
    start = scan(runtime, ids["weld-1"], body(codes[0], scanned_at=far(-0.005)))
    finish = scan(runtime, ids["weld-1"], body(codes[0]))
    assert (start["transition"], finish["transition"]) == ("start", "finish")
    with runtime.sessions() as s:
        weld = batch_service.batch_detail(s, codes[0])["executions"][1]
    took = datetime.fromisoformat(weld["finished_at"]) - datetime.fromisoformat(weld["started_at"])
    assert timedelta(seconds=17) < took < timedelta(seconds=19)


def test_a_weekend_old_scan_is_still_applied(runtime, line):
    ids, _, codes = line
    assert scan(runtime, ids["cut-1"], body(codes[0], scanned_at=far(-60)))["outcome"] == \
        "accepted"


def test_two_stations_finishing_a_runs_last_batches_at_once_complete_it(runtime, line):
    """The run row is locked before its open batches are counted (PostgreSQL)."""
    ids, _, _ = line
    with runtime.transaction() as s:
        catalog.create_item(s, SYSTEM, sku="ONE", name="One step", kind="finished",
                            unit="pcs", routing=["CUT"])
    for _ in range(5):
        with runtime.transaction() as s:
            new = runs.create_run(s, SYSTEM, [runs.BatchSpec("ONE", Decimal(1), "pcs", 2)])
        barrier = threading.Barrier(2)

        def go(station, code, barrier=barrier):
            barrier.wait()
            scan(runtime, ids[station], body(code))

        threads = [threading.Thread(target=go, args=(st, b["code"]))
                   for st, b in zip(("cut-1", "cut-2"), new["batches"], strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with runtime.sessions() as s:
            assert runs.run_by_number(s, new["number"]).status == "completed"


def test_a_scan_the_database_refuses_is_answered_and_recorded_as_rejected(runtime, line,
                                                                           monkeypatch):
    """Fault injection: the database refuses the write; the station still gets a final ack."""
    from sqlalchemy.exc import DataError

    from server.services import scan_store
    ids, _, codes = line

    def refuse(*args, **kwargs):
        raise DataError("UPDATE batches ...", {}, ValueError("value out of range"))

    monkeypatch.setattr(scan_store, "apply", refuse)
    before = state_of(runtime, codes[0])
    payload = body(codes[0])
    ack = scan(runtime, ids["cut-1"], payload)
    assert (ack["outcome"], ack["reason"]) == ("rejected", "invalid_payload")
    assert ack["event_id"] == payload["event_id"]
    assert state_of(runtime, codes[0]) == before
    assert stored_events(runtime) == [(payload["event_id"], codes[0], "rejected",
                                       "invalid_payload")]
    assert scan(runtime, ids["cut-1"], payload) == ack  # a resend replays the rejection


def stored_events(runtime):
    with runtime.sessions() as s:
        return [(e.event_id, e.raw_code, e.outcome, e.reason)
                for e in s.scalars(select(ScanEvent).order_by(ScanEvent.id))]


def test_a_non_event_id_clash_is_rejected_with_the_real_event_id_and_code(runtime, line,
                                                                         monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from server.services import scan_store
    ids, _, codes = line

    def clash(*args, **kwargs):
        raise IntegrityError("INSERT INTO step_executions ...", {}, ValueError("check failed"))

    monkeypatch.setattr(scan_store, "apply", clash)
    payload = body(codes[0])
    ack = scan(runtime, ids["cut-1"], payload)
    assert (ack["outcome"], ack["event_id"]) == ("rejected", payload["event_id"])
    assert stored_events(runtime) == [(payload["event_id"], codes[0], "rejected",
                                       "invalid_payload")]


class FakePgError(Exception):
    """A driver error carrying a SQLSTATE, as psycopg's errors do."""

    def __init__(self, sqlstate):
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize("orig", [FakePgError("40001"), FakePgError("40P01"),
                                  FakePgError("57P01"), FakePgError("53100"),
                                  sqlite3.OperationalError("database is locked"),
                                  sqlite3.OperationalError("database or disk is full")],
                         ids=repr)
def test_a_transient_database_error_defers_the_scan_and_stores_nothing(runtime, line,
                                                                      monkeypatch, orig):
    from sqlalchemy.exc import OperationalError

    from server.services import scan_store
    ids, _, codes = line
    real_apply = scan_store.apply

    def fail(*args, **kwargs):
        raise OperationalError("UPDATE batches ...", {}, orig)

    monkeypatch.setattr(scan_store, "apply", fail)
    payload = body(codes[0])
    ack = scan(runtime, ids["cut-1"], payload)
    assert (ack["outcome"], ack["reason"], ack["event_id"]) == \
        ("deferred", "database_busy", payload["event_id"])
    assert ack["retry_after"] > 0
    assert stored_events(runtime) == [] and state_of(runtime, codes[0])[:2] == ("waiting", 0)
    monkeypatch.setattr(scan_store, "apply", real_apply)
    assert scan(runtime, ids["cut-1"], payload)["outcome"] == "accepted"


@pytest.mark.postgres
def test_a_scan_whose_connection_is_terminated_is_deferred_then_accepted(runtime, line,
                                                                        monkeypatch):
    """A real pg_terminate_backend of the scan's own connection, mid-transaction."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    from sqlalchemy import text

    from server.services import scan_store
    ids, _, codes = line
    real_apply = scan_store.apply

    def terminate_then_apply(session, *args, **kwargs):
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with runtime.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        return real_apply(session, *args, **kwargs)

    monkeypatch.setattr(scan_store, "apply", terminate_then_apply)
    payload = body(codes[0])
    ack = scan(runtime, ids["cut-1"], payload)
    assert (ack["outcome"], ack["event_id"]) == ("deferred", payload["event_id"])
    assert stored_events(runtime) == [] and state_of(runtime, codes[0])[:2] == ("waiting", 0)
    monkeypatch.setattr(scan_store, "apply", real_apply)
    assert scan(runtime, ids["cut-1"], payload)["outcome"] == "accepted"
    assert state_of(runtime, codes[0])[:2] == ("waiting", 1)


def hold_write_lock(url):
    """Take SQLite's write lock from another connection, as another process would."""
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_write_lock_held_past_the_budget_defers_the_scan_then_it_is_accepted(runtime,
                                                                              line):
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    ids, _, codes = line
    engine = make_engine(runtime.settings.database_url, lock_wait_seconds=0.1)
    payload = body(codes[0])
    holder = hold_write_lock(runtime.settings.database_url)
    try:
        ack = record_scan(engine, ids["cut-1"], payload, runtime.settings).ack
        assert (ack["outcome"], ack["event_id"]) == ("deferred", payload["event_id"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert stored_events(runtime) == []
    assert record_scan(engine, ids["cut-1"], payload, runtime.settings).ack["outcome"] == \
        "accepted"
    engine.dispose()


def test_reads_take_no_write_lock_on_sqlite(runtime, line):
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    engine = make_engine(runtime.settings.database_url, lock_wait_seconds=0)
    holder = hold_write_lock(runtime.settings.database_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Batch)) == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    engine.dispose()


def test_the_server_database_syncs_every_commit(sqlite_url):
    """WAL with synchronous=FULL: an acked scan survives a power cut."""
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 0  # waits in Python
    engine.dispose()


def test_run_times_from_a_backlog_in_any_order_span_its_scans(runtime, line):
    """The later scan arrives first: started is still the earliest, completed the latest."""
    ids, _, _ = line
    with runtime.transaction() as s:
        catalog.create_item(s, SYSTEM, sku="ONE", name="One step", kind="finished",
                            unit="pcs", routing=["CUT"])
        new = runs.create_run(s, SYSTEM, [runs.BatchSpec("ONE", Decimal(1), "pcs", 2)])
    first, second = (b["code"] for b in new["batches"])
    late, early = far(-1), far(-2)
    scan(runtime, ids["cut-1"], body(first, scanned_at=late))
    scan(runtime, ids["cut-2"], body(second, scanned_at=early))
    with runtime.sessions() as s:
        run = runs.run_by_number(s, new["number"])
        assert run.status == "completed"
        assert (run.started_at, run.completed_at) == (datetime.fromisoformat(early),
                                                      datetime.fromisoformat(late))


def counted(outcome, reason=""):
    from server.metrics import REGISTRY
    return REGISTRY.get_sample_value("floorline_scans_total",
                                     {"outcome": outcome, "reason": reason}) or 0.0


def test_every_scan_is_counted_by_outcome_and_reason_and_timed(runtime, line):
    from server.metrics import REGISTRY
    ids, _, codes = line
    timed = REGISTRY.get_sample_value("floorline_scan_seconds_count") or 0.0
    before = counted("accepted"), counted("rejected", "wrong_step"), counted("replayed")
    payload = body(codes[0])
    scan(runtime, ids["cut-1"], payload)
    scan(runtime, ids["cut-1"], payload)
    scan(runtime, ids["weld-1"], body(codes[1]))
    after = counted("accepted"), counted("rejected", "wrong_step"), counted("replayed")
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1]
    assert REGISTRY.get_sample_value("floorline_scan_seconds_count") == timed + 3


def test_a_rescan_after_the_repeat_window_says_already_done_at_that_step(runtime, line):
    ids, _, codes = line
    runtime.settings = replace(runtime.settings, scan_repeat_window=0)
    scan(runtime, ids["cut-1"], body(codes[0]))
    ack = scan(runtime, ids["cut-1"], body(codes[0]))
    assert (ack["outcome"], ack["reason"]) == ("rejected", "already_done")
    assert (ack["step"], ack["next_step"]) == ("CUT", "WELD") and "CUT" in ack["message"]
    assert state_of(runtime, codes[0])[:2] == ("waiting", 1)


def test_a_scan_of_a_split_parent_answers_its_state_and_no_next_step(runtime, line):
    ids, _, codes = line
    scan(runtime, ids["cut-1"], body(codes[0]))
    with runtime.transaction() as s:
        batch_service.split_batch(s, SYSTEM, codes[0], parts=2)
    ack = scan(runtime, ids["weld-1"], body(codes[0]))
    assert (ack["outcome"], ack["reason"], ack["state"]) == ("rejected", "batch_closed", "split")
    assert ack["next_step"] is None and ack["step"] is None
