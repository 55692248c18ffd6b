"""Attribution on random plant histories: reach is inverse both ways, shares lie in [0, 1],
a split passes on exactly its share, and the integer-ratio walk equals the Fraction rules."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.attribution import (
    Direction,
    Flow,
    attribute,
    backward_parts,
    depths,
    forward_parts,
)
from server.domain.quantities import Quantity
from tests.support.graphs import Link, histories, nodes_of, reachable

FWD, BACK = Direction.FORWARD, Direction.BACK


def numbered(links: list[Link]) -> tuple[list[Flow], dict[tuple[str, str], int]]:
    ids = {n: i for i, n in enumerate(nodes_of(links))}
    return [Flow(ids[k.parent], ids[k.child], k.quantity) for k in links], ids


def came_in(flows: list[Flow]) -> dict[int, list]:
    into = defaultdict(list)
    for f in flows:
        into[f.child].append(f.quantity)
    return into


def reference(flows, start, direction, into):
    """The attribution rules spelled out with Fractions, node by node in topological order."""
    forward = direction is FWD
    out = defaultdict(list)
    for f in flows:
        out[f.parent if forward else f.child].append(f)
    reach = depths(flows, start, direction)
    order = sorted(reach, key=lambda n: -longest(out, n, forward, {}))
    share = {n: Fraction(0) for n in reach}
    share[start] = Fraction(1)
    for node in order:
        moves = out.get(node, [])
        qs = [f.quantity for f in moves]
        parts = (forward_parts(qs, into.get(node, ())) if forward else backward_parts(qs)) \
            if moves else []
        parts = [None] * len(moves) if parts is None else parts
        for f, part in zip(moves, parts, strict=True):
            far = f.child if forward else f.parent
            mine, had = share[node], share[far]
            share[far] = None if None in (mine, part, had) else had + mine * part
    return share


def longest(out, node, forward, memo):
    """Return the longest path from node onwards (its distance to the walk's end)."""
    if node not in memo:
        memo[node] = 1 + max((longest(out, f.child if forward else f.parent, forward, memo)
                              for f in out.get(node, [])), default=0)
    return memo[node]


@settings(max_examples=150, deadline=None)
@given(histories(), st.data())
def test_y_is_forward_of_x_exactly_when_x_is_back_of_y(links, data):
    flows, ids = numbered(links)
    x = data.draw(st.sampled_from(sorted(ids.values())))
    ahead = set(depths(flows, x, FWD))
    for y in ids.values():
        assert (y in ahead) == (x in depths(flows, y, BACK))


@settings(max_examples=150, deadline=None)
@given(histories())
def test_reach_of_the_attribution_equals_a_breadth_first_search(links):
    flows, ids = numbered(links)
    for node, i in ids.items():
        for direction, forward in ((FWD, True), (BACK, False)):
            got = {n for n, s in attribute(flows, i, direction, came_in(flows)).items()}
            assert got == {ids[n] for n in reachable(links, node, forward)}


def mixed(flows: list[Flow]) -> set[int]:
    """Return the nodes whose inflow comes in two dimensions (pieces and kilograms)."""
    units = defaultdict(set)
    for f in flows:
        units[f.child].add(f.quantity.dimension)
    return {n for n, dims in units.items() if len(dims) > 1}


@settings(max_examples=150, deadline=None)
@given(histories())
def test_every_share_lies_between_nothing_and_all_of_the_start(links):
    flows, ids = numbered(links)
    into, two_kinds = came_in(flows), mixed(flows)
    for i in ids.values():
        for direction in (FWD, BACK):
            shares = attribute(flows, i, direction, into)
            assert shares[i] == 1
            if direction is BACK and two_kinds & set(shares):
                continue  # see the test below
            assert all(s is None or 0 <= s <= 1 for s in shares.values())


def test_back_through_pieces_and_kilograms_each_counts_whole_so_a_common_source_counts_twice():
    # A shipment of a serial (1 pcs) and a finished lot (kg), both from lot 1: back from the
    # shipment, each dimension is all of its own inflow, so lot 1 is reached at 1 + 1.
    # (Recall walks forward, and a serial's genealogy back from one dimension: neither meets
    # this; a share of a mixed shipment has no single meaning.)
    kg, pcs = Quantity(Decimal(1), "kg"), Quantity(Decimal(1), "pcs")
    flows = [Flow(1, 2, kg), Flow(2, 3, kg), Flow(2, 4, kg), Flow(3, 5, pcs), Flow(4, 6, kg),
             Flow(5, 7, pcs), Flow(6, 7, kg)]
    assert attribute(flows, 7, BACK)[1] == 2


@settings(max_examples=150, deadline=None)
@given(histories())
def test_a_splits_children_share_exactly_what_reached_the_parent(links):
    flows, ids = numbered(links)
    into = came_in(flows)
    parents_of = defaultdict(set)
    for f in flows:
        parents_of[f.child].add(f.parent)
    splits = defaultdict(list)
    for k, f in zip(links, flows, strict=True):
        if k.relation == "split":
            splits[f.parent].append(f.child)
    for start in ids.values():
        shares = attribute(flows, start, FWD, into)
        for parent, kids in splits.items():
            only_from_it = all(parents_of[k] == {parent} for k in kids)
            all_out = all(f.child in kids for f in flows if f.parent == parent)
            if parent in shares and only_from_it and all_out and shares[parent] is not None:
                assert sum(shares[k] for k in kids) == shares[parent]


@settings(max_examples=150, deadline=None)
@given(histories())
def test_the_integer_ratio_walk_gives_the_fraction_rules_shares(links):
    flows, ids = numbered(links)
    into = came_in(flows)
    for i in ids.values():
        for direction in (FWD, BACK):
            assert attribute(flows, i, direction, into) == reference(flows, i, direction, into)
