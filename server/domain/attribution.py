"""Mass attribution along a genealogy walk: how much of the start reached each node.

Forward, a node passes its share to each child in proportion to that edge's quantity over
the node's size: all of its outgoing quantities, or what came into it if that is more (a lot
of 5 kg that issued 2 kg passes 2/5 on and keeps the rest on hand; a split gives each child
child/parent, a merge gives the merged batch all of each input's share). Backward, a node
owes each parent the share edge / all of its incoming quantities of that edge's dimension: a
batch made of 50 pieces from its run and 1 kg of a lot issued to it is all of the run's
pieces and all of that lot's kilograms. Shares are exact fractions; quantities are compared
in their dimension's base unit, exactly, so 400 g and 0.6 kg weigh 2 : 3. Where a node's
outgoing quantities do not convert (pieces out of one edge, kilograms out of another) the
share that passes forward through it is unknown (None), not guessed.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from math import gcd

from .quantities import PLACES, UNITS, Dimension, Quantity


class Direction(StrEnum):
    BACK = "back"
    FORWARD = "forward"


@dataclass(frozen=True, slots=True)
class Flow:
    """One edge of a walk: parent -> child with the quantity that moved."""

    parent: int
    child: int
    quantity: Quantity


def base(qty: Quantity) -> tuple[Dimension, Fraction]:
    """Return a quantity's dimension and its exact amount in the dimension's base unit."""
    dimension, size = UNITS[qty.unit]
    return dimension, Fraction(qty.amount) * Fraction(size)


def weights(quantities: Sequence[Quantity]) -> list[Fraction] | None:
    """Return each quantity over their sum, or None if they do not convert or sum to zero."""
    based = [base(q) for q in quantities]
    if len({d for d, _ in based}) != 1:
        return None
    whole = sum((a for _, a in based), Fraction(0))
    if whole == 0:
        return None
    return [a / whole for _, a in based]


def forward_parts(moves: Sequence[Quantity], came_in: Sequence[Quantity]
                  ) -> list[Fraction] | None:
    """Return each outgoing quantity over the node's size (what left it, or what came in of
    the same dimension if more), or None if the outgoing quantities do not convert."""
    # An edge of nothing (an issue given back in full) carries nothing, in whatever unit.
    moving = [q for q in moves if q.amount != 0]
    if not moving:
        return [Fraction(0)] * len(moves)
    found = weights(moving)
    if found is None:
        return None
    dimension = base(moving[0])[0]
    left = sum((base(q)[1] for q in moving), Fraction(0))
    size = sum((a for d, a in map(base, came_in) if d is dimension), Fraction(0))
    whole = left if size <= left else size
    return [base(q)[1] / whole if q.amount != 0 else Fraction(0) for q in moves]


def backward_parts(moves: Sequence[Quantity]) -> list[Fraction]:
    """Return each incoming quantity over all incoming of its dimension (0 if they sum to 0)."""
    based = [base(q) for q in moves]
    whole: dict[Dimension, Fraction] = defaultdict(Fraction)
    for dimension, amount in based:
        whole[dimension] += amount
    return [a / whole[d] if whole[d] else Fraction(0) for d, a in based]


def attribute(flows: Iterable[Flow], start: int, direction: Direction,
              came_in: Mapping[int, Sequence[Quantity]] | None = None
              ) -> dict[int, Fraction | None]:
    """Return each node's share of the start (the start itself has 1) along the walk.

    came_in holds, for a forward walk, what each node received (its incoming edges), so a
    node that passed on only part of itself keeps the rest. One pass over the edges in
    topological order, exact: the same shares as forward_parts/backward_parts give, worked
    out in integer ratios (a Fraction costs a few microseconds an operation; a walk of a
    thousand edges makes some thousands).
    """
    forward = direction is Direction.FORWARD
    out: dict[int, list[Flow]] = defaultdict(list)  # edges in the walking direction
    for e in flows:
        out[e.parent if forward else e.child].append(e)
    order = _order(start, {n: [_far(e, forward) for e in es] for n, es in out.items()})
    share: dict[int, _Ratio | None] = dict.fromkeys(order, _ZERO)
    share[start] = _ONE
    into = came_in or {}
    for node in order:
        moves = out.get(node)
        if not moves:
            continue
        mine = share[node]
        parts = _forward_ratios(moves, into.get(node, ())) if forward else _backward_ratios(moves)
        for e, part in zip(moves, parts, strict=True):
            far = _far(e, forward)
            had = share.get(far, _ZERO)
            share[far] = None if mine is None or part is None or had is None \
                else _add(had, _mul(mine, part))
    return {n: None if r is None else Fraction(r[0], r[1]) for n, r in share.items()}


_Ratio = tuple[int, int]  # numerator, denominator > 0, in lowest terms
_ZERO, _ONE = (0, 1), (1, 1)


@lru_cache(maxsize=1 << 16)
def _based(amount: Decimal, unit: str) -> tuple[Dimension, _Ratio]:
    """Return a quantity's dimension and exact amount in the base unit, as a ratio."""
    dimension, size = UNITS[unit]
    n1, d1 = amount.as_integer_ratio()
    n2, d2 = size.as_integer_ratio()
    return dimension, _ratio(n1 * n2, d1 * d2)


def _ratio(n: int, d: int) -> _Ratio:
    g = gcd(n, d)
    return (n // g, d // g) if d > 0 else (-n // g, -d // g)


def _add(a: _Ratio, b: _Ratio) -> _Ratio:
    return a if b[0] == 0 else b if a[0] == 0 else _ratio(a[0] * b[1] + b[0] * a[1], a[1] * b[1])


def _mul(a: _Ratio, b: _Ratio) -> _Ratio:
    return _ratio(a[0] * b[0], a[1] * b[1])


def _over(a: _Ratio, b: _Ratio) -> _Ratio:
    return _ratio(a[0] * b[1], a[1] * b[0])


def _forward_ratios(moves: Sequence[Flow], came_in: Sequence[Quantity]
                    ) -> list[_Ratio | None]:
    """forward_parts in integer ratios: each move over the node's size, or all None."""
    based = [_based(e.quantity.amount, e.quantity.unit) for e in moves]
    moving = [(d, a) for d, a in based if a[0] != 0]
    if not moving:
        return [_ZERO] * len(moves)
    dimension = moving[0][0]
    if any(d is not dimension for d, _ in moving):
        return [None] * len(moves)
    left = _ZERO
    for _, a in moving:
        left = _add(left, a)
    size = _ZERO
    for q in came_in:
        d, a = _based(q.amount, q.unit)
        if d is dimension:
            size = _add(size, a)
    whole = left if size[0] * left[1] <= left[0] * size[1] else size
    return [_over(a, whole) if a[0] else _ZERO for _, a in based]


def _backward_ratios(moves: Sequence[Flow]) -> list[_Ratio | None]:
    """backward_parts in integer ratios: each move over all incoming of its dimension."""
    based = [_based(e.quantity.amount, e.quantity.unit) for e in moves]
    whole: dict[Dimension, _Ratio] = {}
    for d, a in based:
        whole[d] = _add(whole.get(d, _ZERO), a)
    return [_over(a, whole[d]) if whole[d][0] else _ZERO for d, a in based]


def _far(edge: Flow, forward: bool) -> int:
    return edge.child if forward else edge.parent


def _order(start: int, nexts: dict[int, list[int]]) -> list[int]:
    """Return the nodes reachable from start, each after every node that leads to it."""
    reach, todo = {start}, [start]
    while todo:
        for nxt in nexts.get(todo.pop(), []):
            if nxt not in reach:
                reach.add(nxt)
                todo.append(nxt)
    waiting = {n: 0 for n in reach}
    for n in reach:
        for nxt in nexts.get(n, []):
            waiting[nxt] += 1
    ready, order = deque([start]), []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in nexts.get(node, []):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    return order  # a cycle (the database refuses them) would leave its nodes out


def depths(flows: Iterable[Flow], start: int, direction: Direction) -> dict[int, int]:
    """Return each node's fewest steps from the start along the walk."""
    forward = direction is Direction.FORWARD
    nexts: dict[int, list[int]] = defaultdict(list)
    for e in flows:
        nexts[e.parent if forward else e.child].append(_far(e, forward))
    depth, ready = {start: 0}, deque([start])
    while ready:
        node = ready.popleft()
        for nxt in nexts.get(node, []):
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                ready.append(nxt)
    return depth


def start_total(flows: Iterable[Flow], start: int, direction: Direction,
                came_in: Sequence[Quantity] = ()) -> Quantity | None:
    """Return the start's size in its first edge's unit: what left it (forward; or what came
    into it, if more) or what came into it (back)."""
    forward = direction is Direction.FORWARD
    mine = [e.quantity for e in flows if (e.parent if forward else e.child) == start]
    if not mine or len({UNITS[q.unit][0] for q in mine}) != 1:
        return None
    whole = sum((base(q)[1] for q in mine), Fraction(0))
    dimension = base(mine[0])[0]
    whole = max(whole, sum((a for d, a in map(base, came_in) if d is dimension), Fraction(0)))
    return Quantity(as_decimal(whole / Fraction(UNITS[mine[0].unit][1])), mine[0].unit)


def amount_of(share: Fraction | None, total: Quantity | None) -> Quantity | None:
    """Return share of total, to the stored precision, or None if either is unknown."""
    if share is None or total is None:
        return None
    return Quantity(as_decimal(share * Fraction(total.amount)), total.unit)


def as_decimal(value: Fraction) -> Decimal:
    """Return a fraction as a Decimal rounded to the stored precision (six places)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(PLACES)
