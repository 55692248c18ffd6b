"""Random plant histories for property tests: typed DAGs of the genealogy graph.

receipts -receive-> lots -issue-> runs -produce-> batches, batches split and merged, batches
-produce-> serials and finished lots, serials and lots -ship-> shipments; every edge a
relation the domain allows, every quantity random (kilograms between batches, one piece a
serial). Acyclic by construction: each edge points at a node made after its parent.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from server.domain.genealogy import Relation
from server.domain.quantities import Quantity

Node = tuple[str, str]  # (kind, code)


@dataclass(frozen=True)
class Link:
    parent: Node
    relation: Relation
    child: Node
    quantity: Quantity


KG = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(500), places=3)


@st.composite
def histories(draw: st.DrawFn, max_runs: int = 3) -> list[Link]:
    """Draw a plant history as its links, parents always made before their children."""
    links: list[Link] = []

    def link(parent: Node, relation: Relation, child: Node, qty: Quantity | None = None) -> None:
        links.append(Link(parent, relation, child, qty or Quantity(draw(KG), "kg")))

    lots = []
    for r in range(draw(st.integers(1, 3))):
        for i in range(draw(st.integers(1, 3))):
            lots.append(("lot", f"L{r}{i}"))
            link(("receipt", f"R{r}"), Relation.RECEIVE, lots[-1])
    size: dict[Node, Decimal] = {}  # what each batch weighs: a split divides it exactly
    for r in range(draw(st.integers(1, max_runs))):
        run = ("run", f"P{r}")
        for lot in draw(st.lists(st.sampled_from(lots), min_size=1, max_size=3, unique=True)):
            link(lot, Relation.ISSUE, run)
        for i in range(draw(st.integers(1, 3))):
            size[("batch", f"B{r}{i}")] = draw(KG)
            link(run, Relation.PRODUCE, ("batch", f"B{r}{i}"),
                 Quantity(size[("batch", f"B{r}{i}")], "kg"))
    for n in range(draw(st.integers(0, 3))):  # splits and merges of batches made so far
        batches = list(size)
        if draw(st.booleans()):
            parent = draw(st.sampled_from(batches))
            weights = draw(st.lists(st.integers(1, 9), min_size=2, max_size=3))
            parts = [(size[parent] * w / sum(weights)).quantize(Decimal("0.000001"))
                     for w in weights[:-1]]
            parts.append(size[parent] - sum(parts))
            for i, part in enumerate(parts):
                size[("batch", f"S{n}{i}")] = part
                link(parent, Relation.SPLIT, ("batch", f"S{n}{i}"), Quantity(part, "kg"))
        elif len(batches) >= 2:
            merged = ("batch", f"M{n}")
            inputs = draw(st.lists(st.sampled_from(batches), min_size=2, max_size=3,
                                   unique=True))
            for b in inputs:
                link(b, Relation.MERGE, merged, Quantity(size[b], "kg"))
            size[merged] = sum((size[b] for b in inputs), Decimal(0))
    batches = list(size)
    outputs: list[Node] = []
    for b in draw(st.lists(st.sampled_from(batches), max_size=3, unique=True)):
        if draw(st.booleans()):
            for i in range(draw(st.integers(1, 3))):
                outputs.append(("serial", f"{b[1]}-{i}"))
                link(b, Relation.PRODUCE, outputs[-1], Quantity(Decimal(1), "pcs"))
        else:
            outputs.append(("lot", f"F{b[1]}"))
            link(b, Relation.PRODUCE, outputs[-1])
    for thing in draw(st.lists(st.sampled_from(outputs), unique=True)) if outputs else []:
        ship = ("shipment", f"SH{draw(st.integers(0, 1))}")
        qty = Quantity(Decimal(1), "pcs") if thing[0] == "serial" else None
        link(thing, Relation.SHIP, ship, qty)
    return links


def reachable(links: list[Link], start: Node, forward: bool) -> set[Node]:
    """Return the nodes a breadth-first search reaches from start (start included)."""
    nexts: dict[Node, list[Node]] = defaultdict(list)
    for k in links:
        if forward:
            nexts[k.parent].append(k.child)
        else:
            nexts[k.child].append(k.parent)
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in nexts[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def nodes_of(links: list[Link]) -> list[Node]:
    """Return every node of the links, parents first, each once."""
    return list(dict.fromkeys(n for k in links for n in (k.parent, k.child)))
