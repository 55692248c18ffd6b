"""What of each ancestor went into a thing, as material and as the losses charged to it.

Walking back from a start (a serial, a lot, a batch, a run), each ancestor n passes part of
itself to each child: the edge's quantity over n's size (what came into n, or what left it
if that is more; a lot of 20 kg that issued 10 kg passes 1/2 and keeps the rest). Where the
dimension changes (kilograms into a run, pieces out of it) the children share n's output
by their quantities, after n's own losses.

n's losses (scrap and waste on its steps, or a job's) are the fraction lam of what came in.
They are charged to the good output that left n, so the start carries its share of them:
material(n) = Σ part(e) · material(child); loss(n) = Σ part(e) · loss(child)
+ lam / (1 - lam) · Σ part(e) · (material + loss)(child). The start itself is material
1 - lam and loss lam. All fractions are exact; where a node's outgoing quantities do not
convert into one dimension its parts are unknown (None), never guessed.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .quantities import UNITS, Dimension, Quantity


@dataclass(frozen=True, slots=True)
class Edge:
    """parent -> child with the quantity that moved."""

    parent: int
    child: int
    quantity: Quantity


@dataclass(frozen=True, slots=True)
class Charge:
    """The fractions of a node that went into the start as material and as losses."""

    material: Fraction
    loss: Fraction


@lru_cache(maxsize=4096)  # a plant's edges carry few distinct quantities (1 pcs, 10 kg)
def based(qty: Quantity) -> tuple[Dimension, Fraction]:
    """Return a quantity's dimension and its exact amount in the dimension's base unit."""
    dimension, size = UNITS[qty.unit]
    return dimension, Fraction(qty.amount) * Fraction(size)


def _sum(quantities: Iterable[Quantity], dimension: Dimension) -> Fraction:
    return sum((a for d, a in map(based, quantities) if d is dimension), Fraction(0))


def size(incoming: Sequence[Quantity], outgoing: Sequence[Quantity]
         ) -> tuple[Dimension, Fraction] | None:
    """Return a node's size: what came in or left (whichever is more) in one dimension."""
    for moves in (outgoing, incoming):
        dims = {based(q)[0] for q in moves}
        if len(dims) == 1:
            dimension = dims.pop()
            return dimension, max(_sum(incoming, dimension), _sum(outgoing, dimension))
    return None


def loss_rate(incoming: Sequence[Quantity], loss: Quantity | None) -> Fraction:
    """Return the losses as a fraction of what came in of their dimension (0 if none)."""
    if loss is None or loss.amount <= 0:
        return Fraction(0)
    dimension, amount = based(loss)
    came = _sum(incoming, dimension)
    return min(Fraction(1), amount / came) if came else Fraction(0)


def parts(incoming: Sequence[Quantity], outgoing: Sequence[Quantity], lam: Fraction
          ) -> list[Fraction] | None:
    """Return the fraction of a node each outgoing edge took, or None if they do not convert."""
    based_out = [based(q) for q in outgoing]
    if len({d for d, _ in based_out}) != 1:
        return None
    dimension = based_out[0][0]
    left = sum((a for _, a in based_out), Fraction(0))
    came = _sum(incoming, dimension)
    if came >= left and came > 0:
        return [a / came for _, a in based_out]
    if left == 0:
        return [Fraction(0) for _ in based_out]
    # More left than came in of this dimension: a change of dimension (or a lot without a
    # receipt): the outputs share what was not lost.
    keep = 1 - lam if came == 0 else Fraction(1)
    return [a / left * keep for _, a in based_out]


def charges(edges: Iterable[Edge], start: int, losses: Mapping[int, Quantity],
            start_loss: Fraction | None = None) -> dict[int, Charge | None]:
    """Return, for the start and each ancestor, what of it went into the start.

    start_loss is the fraction of the start lost after it (forward_losses); by default
    only the start's own losses count.
    """
    out: dict[int, list[Edge]] = defaultdict(list)
    into: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        out[e.parent].append(e)
        into[e.child].append(e)
    came = {n: [e.quantity for e in es] for n, es in into.items()}
    lam = {n: loss_rate(came.get(n, []), q) for n, q in losses.items()}
    own = lam.get(start, Fraction(0)) if start_loss is None else start_loss
    result: dict[int, Charge | None] = {start: Charge(1 - own, own)}
    for node in _upward(start, into):
        moves = out[node]
        rate = lam.get(node, Fraction(0))
        found = parts(came.get(node, []), [e.quantity for e in moves], rate)
        reached = [(p, result.get(e.child)) for e, p in
                   zip(moves, found or [Fraction(0)] * len(moves), strict=True)
                   if e.child in result]
        if found is None or any(c is None for _, c in reached):
            result[node] = None
            continue
        material = sum((p * c.material for p, c in reached if c), Fraction(0))
        loss = sum((p * c.loss for p, c in reached if c), Fraction(0))
        if rate < 1:
            loss += rate / (1 - rate) * (material + loss)
        result[node] = Charge(material, loss)
    return result


def forward_losses(edges: Iterable[Edge], losses: Mapping[int, Quantity], nodes: Iterable[int]
                   ) -> dict[int, Fraction | None]:
    """Return, for each of nodes, the fraction of it lost at it or after it: its own losses
    plus each child's part times the child's (edges must hold every edge into and out of
    the nodes and their descendants)."""
    out: dict[int, list[Edge]] = defaultdict(list)
    came: dict[int, list[Quantity]] = defaultdict(list)
    for e in edges:
        out[e.parent].append(e)
        came[e.child].append(e.quantity)
    lost: dict[int, Fraction | None] = {}
    wanted = list(nodes)
    for node in _downward(wanted, out):
        rate = loss_rate(came[node], losses.get(node))
        moves = out.get(node, [])
        found = parts(came[node], [e.quantity for e in moves], rate) if moves else []
        below = [lost.get(e.child) for e in moves]
        if found is None or any(b is None for b in below):
            lost[node] = None
            continue
        lost[node] = rate + sum((p * b for p, b in zip(found, below, strict=True) if b),
                                Fraction(0))
    return {n: lost[n] for n in wanted}


def _downward(starts: list[int], out: Mapping[int, Sequence[Edge]]) -> list[int]:
    """Return starts and their descendants, each after all of its children."""
    order: list[int] = []
    done: set[int] = set()
    for first in starts:
        stack: list[tuple[int, bool]] = [(first, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if node in done:
                continue
            done.add(node)
            stack.append((node, True))
            stack.extend((e.child, False) for e in out.get(node, ()) if e.child not in done)
    return order


def _upward(start: int, into: Mapping[int, Sequence[Edge]]) -> list[int]:
    """Return the start's ancestors, each after every one of its children on the walk."""
    reach, todo = {start}, [start]
    while todo:
        for e in into.get(todo.pop(), ()):
            if e.parent not in reach:
                reach.add(e.parent)
                todo.append(e.parent)
    waiting: dict[int, int] = defaultdict(int)  # children on the walk not yet done
    for n in reach:
        for e in into.get(n, ()):
            waiting[e.parent] += 1
    ready, order = deque([start]), []
    while ready:
        node = ready.popleft()
        for e in into.get(node, ()):
            waiting[e.parent] -= 1
            if waiting[e.parent] == 0:
                ready.append(e.parent)
                order.append(e.parent)
    return order
