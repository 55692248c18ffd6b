"""The hash-chained audit trail on SQLite and PostgreSQL: sealing, tampering, verify, deletes."""

from __future__ import annotations

import itertools
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from server.domain.audit_chain import ChainRecordError
from server.models import AuditRecord, GenealogyEdge, GenealogyNode, Lot
from server.services import audit
from server.services.actors import SYSTEM, Actor
from tests.support.cli import floorline_cli


def write_entries(runtime, count: int, *, per_transaction: int = 1) -> None:
    for i in range(count):
        with runtime.transaction() as s:
            for j in range(per_transaction):
                audit.record(s, SYSTEM, "item.update", "item", f"SKU-{i}", reason="test",
                             name=f"Item {i}.{j}", cost=Decimal("1.50"))


def behind_the_back(runtime, sql: str, **params: object) -> None:
    """Run sql on a raw connection with the audit triggers out of the way."""
    with runtime.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            for name in ("audit_records_no_update", "audit_records_no_delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(text(sql), params)


def stored(runtime) -> list[AuditRecord]:
    with runtime.sessions() as s:
        return list(s.scalars(select(AuditRecord).order_by(AuditRecord.seq)))


def test_entries_are_sealed_in_order_at_the_commit_and_verify(runtime):
    write_entries(runtime, 3, per_transaction=2)
    rows = stored(runtime)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert rows[0].changes["cost"] == "1.50"  # decimals are kept as text, exactly
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert answer == {"ok": True, "count": 6, "head": rows[-1].hash, "pending": 0,
                      "message": "audit chain OK: 6 entries", "broken": None}


def test_an_entry_is_referable_before_the_commit_and_a_rollback_leaves_no_trace(runtime):
    with pytest.raises(RuntimeError), runtime.transaction() as s:
        row = audit.record(s, SYSTEM, "batch.hold", "batch", "B-1")
        s.flush()
        assert row.id is not None and row.hash is None
        raise RuntimeError("abandon")
    write_entries(runtime, 1)
    assert [r.seq for r in stored(runtime)] == [1]
    with runtime.sessions() as s:
        assert audit.verify_chain(s)["ok"]


def test_an_entry_edited_behind_the_servers_back_is_named(runtime):
    write_entries(runtime, 4)
    victim = stored(runtime)[2]
    behind_the_back(runtime, "UPDATE audit_records SET changes = :c WHERE id = :id",
                    c='{"name": "forged"}', id=victim.id)
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert answer["ok"] is False and answer["count"] == 2
    broken = answer["broken"]
    assert (broken["id"], broken["seq"], broken["problem"]) == (victim.id, 3, "content changed")
    assert (broken["actor"], broken["action"], broken["entity_key"]) == ("system",
                                                                         "item.update", "SKU-2")
    assert f"entry id {victim.id}" in answer["message"]


def test_a_deleted_entry_is_named_at_the_entry_after_it(runtime):
    write_entries(runtime, 4)
    rows = stored(runtime)
    behind_the_back(runtime, "DELETE FROM audit_records WHERE id = :id", id=rows[1].id)
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert answer["broken"]["id"] == rows[2].id
    assert answer["broken"]["problem"] == "entry missing"


def test_the_database_refuses_to_update_or_delete_an_entry(runtime):
    write_entries(runtime, 1)
    for sql in ("UPDATE audit_records SET reason = 'x'", "DELETE FROM audit_records"):
        with pytest.raises(DBAPIError, match="append-only"), runtime.engine.begin() as conn:
            conn.execute(text(sql))
    with runtime.sessions() as s:
        assert audit.verify_chain(s)["ok"]


def test_the_orm_refuses_to_update_or_delete_an_entry(runtime):
    write_entries(runtime, 1)
    with pytest.raises(ChainRecordError), runtime.transaction() as s:
        s.scalars(select(AuditRecord)).one().reason = "rewritten"
    with pytest.raises(ChainRecordError), runtime.transaction() as s:
        s.delete(s.scalars(select(AuditRecord)).one())
    assert stored(runtime)[0].reason == "test"


def test_the_database_refuses_to_delete_genealogy_but_truncate_still_resets(runtime):
    from server.domain.genealogy import NodeKind, Relation
    from server.domain.quantities import Quantity
    from server.services import genealogy
    with runtime.transaction() as s:
        lot = genealogy.node(s, NodeKind.LOT, "L-1")
        batch = genealogy.node(s, NodeKind.BATCH, "B-1")
        genealogy.link(s, lot, batch, Relation.ISSUE, Quantity(Decimal(1), "kg"), record="t")
    for table in ("genealogy_edges", "genealogy_nodes"):
        with pytest.raises(DBAPIError, match="never deleted"), runtime.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table}"))
    for model in (GenealogyEdge, GenealogyNode):
        with pytest.raises(ChainRecordError) as err, runtime.transaction() as s:
            s.delete(s.scalars(select(model)).first())
        assert err.value.code == "chain_record" and "archive it instead" in err.value.message
    if runtime.engine.dialect.name == "postgresql":
        with runtime.engine.begin() as conn:  # the tests' and a restore's reset
            conn.exec_driver_sql("TRUNCATE genealogy_edges, genealogy_nodes, audit_records "
                                 "RESTART IDENTITY CASCADE")
        with runtime.sessions() as s:
            assert s.scalars(select(GenealogyNode)).first() is None


def test_verify_walks_a_long_chain_and_counts_every_entry(runtime):
    with runtime.transaction() as s:
        for i in range(3000):
            audit.record(s, SYSTEM, "scan", "batch", f"B-{i}", i=i)
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert answer["ok"] and answer["count"] == 3000


def test_cli_verify_says_ok_then_names_the_tampered_entry_and_exits_1(
        runtime, tmp_path, monkeypatch):
    cli = floorline_cli(monkeypatch, tmp_path / "cli", runtime.settings.database_url)
    write_entries(runtime, 3)
    out = cli("audit", "verify")
    assert out.startswith("audit chain OK: 3 entries (head ")
    victim = stored(runtime)[1]
    behind_the_back(runtime, "UPDATE audit_records SET actor = 'mallory' WHERE id = :id",
                    id=victim.id)
    out = cli("audit", "verify", ok=False)
    assert f"audit chain broken at entry id {victim.id}" in out
    assert "mallory, item.update, item SKU-1): content changed" in out


@pytest.mark.postgres
def test_concurrent_writers_on_postgresql_keep_one_linear_chain(runtime):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with runtime.transaction() as s:
                    audit.record(s, Actor(f"w{n}", "admin"), "batch.hold", "batch", f"B-{i}")
                    s.flush()  # the id is drawn now; the place in the chain at the commit
                    time.sleep(0.002)
                    audit.record(s, Actor(f"w{n}", "admin"), "batch.release", "batch", f"B-{i}")
        except BaseException as err:  # reported by the main thread
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with runtime.sessions() as s:  # entries that found the lock taken wait for the next seal
        answer = audit.verify_chain(s)
    assert answer["ok"] and answer["count"] + answer["pending"] == 180, answer["message"]
    audit.seal_pending(runtime.engine)
    rows = stored(runtime)
    assert [r.seq for r in rows] == list(range(1, 181))
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert (answer["ok"], answer["count"], answer["pending"]) == (True, 180, 0), answer


def test_an_archived_lot_still_appears_in_traces_and_is_never_deleted(runtime):
    from server.services import runs, stock, trace
    from server.services.stock import Target
    from tests.support.lines import cut_weld_line
    from tests.support.stock import lot_of, store
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s)
        batch = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)]
                                )["batches"][0]["code"]
        number = lot_of(s, 5).number
        stock.issue(s, number, Target("batch", batch), actor=SYSTEM)  # all: consumed
    with runtime.transaction() as s:
        stock.set_status(s, number, "archived", actor=SYSTEM, reason="used up")
    with pytest.raises(ChainRecordError) as err, runtime.transaction() as s:
        s.delete(s.scalars(select(Lot).where(Lot.number == number)).one())
    assert err.value.detail == {"record": "lot", "key": number}
    with runtime.sessions() as s:
        back = trace.trace(s, batch, "back")
        forward = trace.trace(s, number, "forward")
        assert audit.verify_chain(s)["ok"]
    assert {(n["kind"], n["code"]) for n in back["nodes"]} >= {("lot", number)}
    assert ("batch", batch) in {(n["kind"], n["code"]) for n in forward["nodes"]}


def insert_unsealed(runtime, key: str) -> int:
    """Insert an entry as a writer does before its seal (PostgreSQL seals after the commit)."""
    from sqlalchemy import bindparam

    from server.models import utcnow
    from server.models.base import UTCDateTime
    with runtime.engine.begin() as conn:
        return conn.execute(text(
            "INSERT INTO audit_records (at, actor, action, entity_type, entity_key, reason,"
            " changes) VALUES (:at, 'op', 'lot.issue', 'lot', :key, '', '{}') RETURNING id")
            .bindparams(bindparam("at", utcnow(), type_=UTCDateTime())), {"key": key}
        ).scalar_one()


def test_a_waiting_entry_is_counted_apart_then_sealed_onto_the_chain(runtime):
    write_entries(runtime, 2)
    waiting = insert_unsealed(runtime, "L-1")
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert (answer["ok"], answer["count"], answer["pending"]) == (True, 2, 1)
    assert answer["message"] == "audit chain OK: 2 entries (1 more waiting to be sealed)"
    assert audit.seal_pending(runtime.engine) == 1
    assert audit.seal_pending(runtime.engine) == 0  # twice: nothing more
    rows = stored(runtime)
    assert (rows[-1].id, rows[-1].seq) == (waiting, 3)
    with runtime.sessions() as s:
        assert audit.verify_chain(s)["count"] == 3


def test_only_the_seal_may_update_a_waiting_entry_and_seq_refuses_a_fork(runtime):
    write_entries(runtime, 1)
    waiting = insert_unsealed(runtime, "L-1")
    for change in ("actor = 'mallory'", "changes = '{\"x\": 1}'", "reason = 'later'"):
        with pytest.raises(DBAPIError, match="append-only"), runtime.engine.begin() as conn:
            conn.execute(text(f"UPDATE audit_records SET {change} WHERE id = :id"),
                         {"id": waiting})
    with pytest.raises(DBAPIError), runtime.engine.begin() as conn:  # seq 1 is taken
        conn.execute(text("UPDATE audit_records SET seq = 1, prev_hash = 'x', hash = 'y' "
                          "WHERE id = :id"), {"id": waiting})
    assert audit.seal_pending(runtime.engine) == 1
    with runtime.sessions() as s:
        assert audit.verify_chain(s)["ok"]


def test_a_lot_issued_by_a_station_scan_is_sealed_within_the_scans_transaction(runtime):
    """The lot-scan path writes its audit entry through a Session joined to the scan's own
    connection (a savepoint): the entry is sealed and the chain verifies."""
    import uuid
    from dataclasses import replace as with_settings
    from datetime import UTC, datetime

    from server.models import Station
    from server.services import runs
    from server.services.scans import record_scan
    from tests.support.lines import cut_weld_line
    from tests.support.stock import lot_of, store
    runtime.settings = with_settings(runtime.settings, scan_repeat_window=0)
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s)
        batch = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)]
                                )["batches"][0]["code"]
        lot = lot_of(s, 5).number
        ids = {st.name: st.id for st in s.scalars(select(Station))}

    def scan(runtime, station_id, code):
        body = {"event_id": str(uuid.uuid4()), "code": code, "symbology": "QRCode",
                "scanned_at": datetime.now(UTC).isoformat(), "source": "test"}
        return record_scan(runtime.engine, station_id, body, runtime.settings).ack
    assert scan(runtime, ids["cut-1"], batch)["outcome"] == "accepted"
    assert scan(runtime, ids["weld-1"], batch)["transition"] == "start"
    assert scan(runtime, ids["weld-1"], lot)["outcome"] == "accepted"
    issued = [r for r in stored(runtime) if r.action == "lot.issue"]
    assert len(issued) == 1 and issued[0].seq is not None
    with runtime.sessions() as s:
        answer = audit.verify_chain(s)
    assert answer["ok"] and answer["pending"] == 0
