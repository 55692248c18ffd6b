"""Graph rules: which relations join which kinds, and the cycle rule over an adjacency."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.errors import GenealogyCycle, RelationNotAllowed
from server.domain.genealogy import (
    ALLOWED,
    NodeKind,
    Relation,
    check_acyclic,
    check_relation,
    reaches,
)


def test_split_and_merge_join_batches_only():
    check_relation(NodeKind.BATCH, Relation.SPLIT, NodeKind.BATCH)
    check_relation(NodeKind.BATCH, Relation.MERGE, NodeKind.BATCH)
    with pytest.raises(RelationNotAllowed) as err:
        check_relation(NodeKind.LOT, Relation.SPLIT, NodeKind.LOT)
    assert err.value.code == "relation_not_allowed"
    assert err.value.detail["relation"] == "split"


def test_a_shipment_is_a_leaf_and_a_receipt_a_root():
    assert not any(p is NodeKind.SHIPMENT for p, _, _ in ALLOWED)
    assert not any(c is NodeKind.RECEIPT for _, _, c in ALLOWED)


def test_the_table_holds_the_traceability_chain_from_supplier_to_customer():
    chain = [(NodeKind.RECEIPT, Relation.RECEIVE, NodeKind.LOT),
             (NodeKind.LOT, Relation.ISSUE, NodeKind.RUN),
             (NodeKind.RUN, Relation.PRODUCE, NodeKind.BATCH),
             (NodeKind.BATCH, Relation.PRODUCE, NodeKind.SERIAL),
             (NodeKind.SERIAL, Relation.SHIP, NodeKind.SHIPMENT)]
    assert set(chain) <= ALLOWED


def test_an_edge_back_to_an_ancestor_is_a_cycle():
    down = {1: [2], 2: [3]}
    check_acyclic(down, 1, 3)  # a second path is fine
    with pytest.raises(GenealogyCycle) as err:
        check_acyclic(down, 3, 1)
    assert err.value.code == "genealogy_cycle"
    with pytest.raises(GenealogyCycle):
        check_acyclic(down, 2, 2)


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=80))
def test_a_graph_that_refuses_cycles_stays_acyclic(pairs):
    down: dict[int, list[int]] = {}
    for parent, child in pairs:
        try:
            check_acyclic(down, parent, child)
        except GenealogyCycle:
            assert reaches(down, child, parent)
            continue
        down.setdefault(parent, []).append(child)
    # A topological order exists: repeatedly remove nodes with no parent left.
    nodes = set(down) | {c for cs in down.values() for c in cs}
    edges = [(p, c) for p, cs in down.items() for c in cs]
    while nodes:
        roots = {n for n in nodes if not any(c == n and p in nodes for p, c in edges)}
        assert roots, "a cycle was let through"
        nodes -= roots
