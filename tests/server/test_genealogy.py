"""The genealogy graph service: nodes by (kind, code), links that refuse cycles and bad kinds."""

from decimal import Decimal
from itertools import product

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from server.domain.errors import GenealogyCycle, RelationNotAllowed
from server.domain.genealogy import ALLOWED, NodeKind, Relation
from server.domain.quantities import Quantity
from server.models import GenealogyEdge, GenealogyNode
from server.services import genealogy


def kg(amount):
    return Quantity(Decimal(amount), "kg")


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_node_is_found_again_by_kind_and_code(runtime):
    with runtime.transaction() as s:
        first = genealogy.node(s, NodeKind.LOT, "L-1", 7)
        again = genealogy.node(s, NodeKind.LOT, "L-1")
        other = genealogy.node(s, NodeKind.BATCH, "L-1")
        assert first.id == again.id != other.id and again.ref_id == 7


def test_link_writes_an_edge_with_quantity_record_and_time(runtime):
    with runtime.transaction() as s:
        lot, run = genealogy.node(s, NodeKind.LOT, "L-1"), genealogy.node(s, NodeKind.RUN, "PR-1")
        edge = genealogy.link(s, lot, run, Relation.ISSUE, kg("2.5"), record="issue:1")
    with runtime.sessions() as s:
        got = s.scalars(select(GenealogyEdge)).one()
        assert (got.parent.code, got.child.code, got.relation, got.quantity, got.unit,
                got.record) == ("L-1", "PR-1", "issue", Decimal("2.5"), "kg", "issue:1")
        assert got.id == edge.id and got.created_at.tzinfo is not None


def test_an_edge_that_would_close_a_cycle_is_refused_and_writes_nothing(runtime):
    with runtime.transaction() as s:
        a, b, c = (genealogy.node(s, NodeKind.BATCH, code) for code in "ABC")
        genealogy.link(s, a, b, Relation.SPLIT, kg(1), record="t")
        genealogy.link(s, b, c, Relation.SPLIT, kg(1), record="t")
    with runtime.sessions() as s, pytest.raises(GenealogyCycle) as err:
        nodes = {n.code: n for n in s.scalars(select(GenealogyNode))}
        genealogy.link(s, nodes["C"], nodes["A"], Relation.MERGE, kg(1), record="t")
    assert err.value.code == "genealogy_cycle"
    with runtime.sessions() as s:
        assert count(s, GenealogyEdge) == 2


def test_a_relation_the_kinds_do_not_allow_is_refused(runtime):
    with runtime.sessions() as s:
        lot, batch = genealogy.node(s, NodeKind.LOT, "L"), genealogy.node(s, NodeKind.BATCH, "B")
        with pytest.raises(RelationNotAllowed):
            genealogy.link(s, batch, lot, Relation.SPLIT, kg(1), record="t")
        with pytest.raises(RelationNotAllowed):
            genealogy.link(s, batch, lot, Relation.ISSUE, kg(1), record="t")


RAW = text("INSERT INTO genealogy_edges (parent_id, parent_kind, child_id, child_kind, relation,"
           " quantity, unit, record, created_at) VALUES (:p, :pk, :c, :ck, :r, 1, 'kg', 't',"
           " CURRENT_TIMESTAMP)")


def test_the_database_admits_exactly_the_allowed_relations(runtime):
    with runtime.transaction() as s:
        nodes = {k: genealogy.node(s, k, f"{k}-1") for k in NodeKind}
        ids = {k: n.id for k, n in nodes.items()}
    with runtime.engine.connect() as conn:
        for parent, relation, child in product(NodeKind, Relation, NodeKind):
            if parent is child:
                continue  # two nodes of one kind below
            args = {"p": ids[parent], "pk": parent.value, "c": ids[child], "ck": child.value,
                    "r": relation.value}
            with conn.begin() as tx:
                if (parent, relation, child) in ALLOWED:
                    conn.execute(RAW, args)
                else:
                    with pytest.raises(IntegrityError):
                        conn.execute(RAW, args)
                tx.rollback()


def test_the_database_refuses_kinds_that_are_not_the_nodes_and_self_edges(runtime):
    with runtime.transaction() as s:
        lot = genealogy.node(s, NodeKind.LOT, "L").id
        run = genealogy.node(s, NodeKind.RUN, "R").id
        b1, b2 = (genealogy.node(s, NodeKind.BATCH, c).id for c in ("B1", "B2"))
    bad = [{"p": run, "pk": "lot", "c": b1, "ck": "batch", "r": "issue"},   # run posing as lot
           {"p": lot, "pk": "lot", "c": run, "ck": "batch", "r": "issue"},  # run posing as batch
           {"p": b1, "pk": "batch", "c": b1, "ck": "batch", "r": "split"}]  # itself
    with runtime.engine.connect() as conn:
        with conn.begin() as tx:
            conn.execute(RAW, {"p": b1, "pk": "batch", "c": b2, "ck": "batch", "r": "split"})
            tx.rollback()
        for args in bad:
            tx = conn.begin()
            with pytest.raises(IntegrityError):
                conn.execute(RAW, args)
            tx.rollback()
