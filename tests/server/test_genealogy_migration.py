"""The genealogy-graph migration on a database with split and merged batches, and back."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, bindparam, select, text

from server.db import make_engine, make_session_factory
from server.domain.genealogy import NodeKind, Relation
from server.domain.quantities import Quantity
from server.migrate import upgrade
from server.models import GenealogyEdge
from server.models.base import UTCDateTime
from server.services import genealogy
from tests.support.migrations import BACKENDS, downgrade, empty_database

BEFORE = "setupcat_routings"
AT = datetime(2026, 11, 30, 8, tzinfo=UTC)
SPLIT_AT = datetime(2026, 11, 30, 9, tzinfo=UTC)
MERGE_AT = datetime(2026, 11, 30, 10, tzinfo=UTC)
ROWS = [
    "INSERT INTO operations (id, code, name, is_quality_check, archived)"
    " VALUES (1, 'CUT', 'Cut', false, false)",
    "INSERT INTO items (id, sku, name, kind, unit, tracking, standard_cost, archived, created_at)"
    " VALUES (1, 'F', 'Frame', 'finished', 'kg', 'none', 0, false, :at)",
    "INSERT INTO routings (id, item_id, version, created_at, created_by, note)"
    " VALUES (1, 1, 1, :at, 'x', '')",
    "INSERT INTO routing_steps (id, routing_id, position, operation_id) VALUES (1, 1, 0, 1)",
    "INSERT INTO production_runs (id, number, status, notes, created_at, version)"
    " VALUES (1, 'PR-1', 'in_progress', '', :at, 1)",
    "INSERT INTO run_lines (id, run_id, line_no, item_id, quantity, unit, batch_count,"
    " machine_codes) VALUES (1, 1, 1, 1, 15, 'kg', 2, '')",
    "INSERT INTO batches (id, code, run_id, run_line_id, item_id, routing_id, quantity, unit,"
    " step_index, state, created_at, updated_at, version) VALUES"
    " (1, 'B-1', 1, 1, 1, 1, 10, 'kg', 0, 'split', :at, :at, 1),"
    " (2, 'B-2', 1, 1, 1, 1, 4, 'kg', 0, 'merged', :at, :at, 1),"
    " (3, 'B-3', 1, 1, 1, 1, 6, 'kg', 0, 'merged', :at, :at, 1),"
    " (4, 'B-4', 1, 1, 1, 1, 10, 'kg', 0, 'waiting', :at, :at, 1),"
    " (5, 'B-5', 1, 1, 1, 1, '4.5', 'kg', 1, 'done', :at, :at, 1)",
    # B-5 started with 5 kg and kept 4.5 good: its produce edge carries the 5 it started with.
    "INSERT INTO step_executions (id, batch_id, step_id, position, started_at, finished_at,"
    " quantity_in, quantity_good, quantity_rejected, quantity_scrapped, quantity_waste)"
    " VALUES (1, 5, 1, 0, :at, :at, 5, '4.5', '0.5', 0, 0)",
    "INSERT INTO audit_records (id, at, actor, action, entity_type, entity_key, reason, changes)"
    " VALUES (1, :at, 'x', 'run.create', 'run', 'PR-1', '', '{}'),"
    " (2, :at, 'x', 'batch.split', 'batch', 'B-1', '', '{}'),"
    " (3, :at, 'x', 'batch.merge', 'batch', 'B-4', '', '{}')",
    "INSERT INTO genealogy_edges (id, parent_kind, parent_id, child_kind, child_id, relation,"
    " quantity, unit, audit_id, created_at) VALUES"
    " (1, 'batch', 1, 'batch', 2, 'split', 4, 'kg', 2, :split),"
    " (2, 'batch', 1, 'batch', 3, 'split', 6, 'kg', 2, :split),"
    " (3, 'batch', 2, 'batch', 4, 'merge', 4, 'kg', 3, :merge),"
    " (4, 'batch', 3, 'batch', 4, 'merge', '6.25', 'kg', NULL, :merge)",
]
OLD_EDGES = [("batch", 1, "batch", 2, "split", Decimal(4), "kg", 2, SPLIT_AT),
             ("batch", 1, "batch", 3, "split", Decimal(6), "kg", 2, SPLIT_AT),
             ("batch", 2, "batch", 4, "merge", Decimal(4), "kg", 3, MERGE_AT),
             ("batch", 3, "batch", 4, "merge", Decimal("6.25"), "kg", None, MERGE_AT)]


@pytest.fixture(params=BACKENDS)
def old_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database migrated only as far as the revision before the graph."""
    yield from empty_database(request.param, tmp_path)


def fill(engine: Engine) -> None:
    params = [bindparam(n, v, type_=UTCDateTime())
              for n, v in (("at", AT), ("split", SPLIT_AT), ("merge", MERGE_AT))]
    with engine.begin() as conn:
        for sql in ROWS:
            stmt = text(sql)
            conn.execute(stmt.bindparams(*[p for p in params if f":{p.key}" in sql]))
        if conn.dialect.name == "postgresql":  # the rows above named their ids
            for table in ("operations", "items", "routings", "routing_steps",
                          "production_runs", "run_lines", "batches", "step_executions",
                          "audit_records", "genealogy_edges"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"100)"))




def graph_edges(engine: Engine) -> list[tuple[object, ...]]:
    with make_session_factory(engine)() as s:
        return [(e.parent.kind, e.parent.code, e.child.kind, e.child.code, e.relation,
                 e.quantity, e.unit, e.record, e.audit_id, e.created_at)
                for e in s.scalars(select(GenealogyEdge).order_by(GenealogyEdge.id))]


def test_split_and_merge_edges_move_onto_the_graph_unchanged_and_runs_produce_batches(old_url):
    engine = make_engine(old_url)
    upgrade(engine, BEFORE)
    fill(engine)
    upgrade(engine)
    assert graph_edges(engine) == [
        ("batch", "B-1", "batch", "B-2", "split", Decimal(4), "kg", "audit:2", 2, SPLIT_AT),
        ("batch", "B-1", "batch", "B-3", "split", Decimal(6), "kg", "audit:2", 2, SPLIT_AT),
        ("batch", "B-2", "batch", "B-4", "merge", Decimal(4), "kg", "audit:3", 3, MERGE_AT),
        ("batch", "B-3", "batch", "B-4", "merge", Decimal("6.25"), "kg", "migration", None,
         MERGE_AT),
        ("run", "PR-1", "batch", "B-1", "produce", Decimal(10), "kg", "run:PR-1", 1, AT),
        ("run", "PR-1", "batch", "B-5", "produce", Decimal(5), "kg", "run:PR-1", 1, AT),
    ]
    with make_session_factory(engine)() as s:
        b4 = genealogy.find_node(s, NodeKind.BATCH, "B-4")
        assert b4 is not None and b4.ref_id == 4
        b6 = genealogy.node(s, NodeKind.BATCH, "B-6", 6)
        genealogy.link(s, b4, b6, Relation.SPLIT, Quantity(Decimal(1), "kg"), record="t")
        s.commit()
    engine.dispose()


def test_downgrade_gives_back_the_batch_edges_in_the_old_shape(old_url):
    engine = make_engine(old_url)
    upgrade(engine, BEFORE)
    fill(engine)
    upgrade(engine)
    downgrade(engine, BEFORE)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT parent_kind, parent_id, child_kind, child_id, relation, quantity, unit,"
            " audit_id, created_at FROM genealogy_edges ORDER BY id")).all()
        tables = conn.dialect.get_table_names(conn)
    assert [(*r[:5], Decimal(str(r[5])), r[6], r[7], UTCDateTime().process_result_value(
        r[8] if not isinstance(r[8], str) else datetime.fromisoformat(r[8]), engine.dialect))
        for r in rows] == OLD_EDGES
    assert "genealogy_nodes" not in tables
    upgrade(engine)  # and up again
    assert len(graph_edges(engine)) == 6
    engine.dispose()
