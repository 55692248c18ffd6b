"""The SQL walk on random plant histories in a real SQLite database: it reaches what a
breadth-first search reaches, forward and back are inverse, and its shares are the domain's."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain.attribution import Direction, Flow, attribute
from server.runtime import Runtime
from server.services import genealogy, trace
from tests.conftest import make_settings
from tests.support.graphs import Link, histories, nodes_of, reachable

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

_HISTORIES = itertools.count()


@pytest.fixture
def rt(tmp_path, sqlite_url):
    runtime = Runtime.start(make_settings(tmp_path, sqlite_url))
    yield runtime
    runtime.engine.dispose()


def stored(rt: Runtime, links: list[Link]) -> str:
    """Write the history through the genealogy service under a prefix of its own (the graph
    keeps every earlier example: records of a chain are never deleted); return the prefix."""
    prefix = f"h{next(_HISTORIES)}-"
    with rt.transaction() as s:
        made = {n: genealogy.node(s, n[0], prefix + n[1]) for n in nodes_of(links)}
        for k in links:
            genealogy.link(s, made[k.parent], made[k.child], k.relation, k.quantity,
                           record="property")
    return prefix


def walked(rt: Runtime, prefix: str, node: tuple[str, str], direction: str
           ) -> dict[tuple[str, str], str]:
    with rt.sessions() as s:
        found = trace.trace(s, f"{node[0]}:{prefix}{node[1]}", direction)
    return {(n["kind"], n["code"].removeprefix(prefix)): n["share"] for n in found["nodes"]}


@SETTINGS
@given(histories(), st.data())
def test_the_sql_walk_reaches_what_a_breadth_first_search_reaches(rt, links, data):
    prefix = stored(rt, links)
    start = data.draw(st.sampled_from(nodes_of(links)))
    for direction, forward in (("forward", True), ("back", False)):
        assert set(walked(rt, prefix, start, direction)) == reachable(links, start, forward)


@SETTINGS
@given(histories(max_runs=2), st.data())
def test_y_is_forward_of_x_exactly_when_x_is_back_of_y_in_the_database(rt, links, data):
    prefix = stored(rt, links)
    x = data.draw(st.sampled_from(nodes_of(links)))
    ahead = set(walked(rt, prefix, x, "forward"))
    for y in nodes_of(links):
        assert (y in ahead) == (x in walked(rt, prefix, y, "back"))


@SETTINGS
@given(histories(), st.data())
def test_the_walks_shares_are_the_domains_attribution(rt, links, data):
    prefix = stored(rt, links)
    start = data.draw(st.sampled_from(nodes_of(links)))
    ids = {n: i for i, n in enumerate(nodes_of(links))}
    flows = [Flow(ids[k.parent], ids[k.child], k.quantity) for k in links]
    into = defaultdict(list)  # only a lot keeps what it did not pass on (server.services.trace)
    for k, f in zip(links, flows, strict=True):
        if k.child[0] == "lot":
            into[f.child].append(f.quantity)
    for direction in Direction:
        shares = attribute(flows, ids[start], direction, into)
        want = {n: None if shares[i] is None else str(shares[i])
                for n, i in ids.items() if i in shares}
        assert walked(rt, prefix, start, direction.value) == want
