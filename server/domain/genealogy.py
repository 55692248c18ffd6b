"""Rules for transformations that make new units from old: split, merge, step yields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .errors import GenealogyCycle, GenealogyError, RelationNotAllowed
from .quantities import PLACES, Dimension, Quantity, total

MAX_CHILDREN = 1000


def split(parent: Quantity, children: Sequence[Quantity]) -> list[Quantity]:
    """Check a split: two or more positive children that sum exactly to the parent."""
    if not 2 <= len(children) <= MAX_CHILDREN:
        raise GenealogyError(f"a split makes 2 to {MAX_CHILDREN} batches",
                             children=len(children))
    converted = [child.to(parent.unit) for child in children]
    if any(not child.is_positive() for child in converted):
        raise GenealogyError("every split quantity must be greater than zero")
    if total(converted, parent.unit).amount != parent.amount:
        raise GenealogyError(
            f"split quantities sum to {total(converted, parent.unit)}, not {parent}",
            parent=str(parent),
        )
    return converted


def split_evenly(parent: Quantity, parts: int) -> list[Quantity]:
    """Divide a quantity into parts whose sum is exact (the last takes the remainder)."""
    if not 2 <= parts <= MAX_CHILDREN:
        raise GenealogyError(f"a split makes 2 to {MAX_CHILDREN} batches", children=parts)
    # Counted units split into whole pieces; measured ones to the storage precision.
    step = Decimal(1) if parent.dimension is Dimension.COUNT else PLACES
    share = (parent.amount / parts).quantize(step, rounding="ROUND_DOWN")
    if share <= 0:
        raise GenealogyError(f"{parent} cannot be split into {parts} parts", parts=parts)
    shares = [Quantity(share, parent.unit) for _ in range(parts - 1)]
    shares.append(Quantity(parent.amount - share * (parts - 1), parent.unit))
    return split(parent, shares)


@dataclass(frozen=True, slots=True)
class MergeInput:
    item: str
    quantity: Quantity
    step_index: int | None
    run: str = ""


def merge(inputs: Sequence[MergeInput]) -> Quantity:
    """Check a merge of two or more batches of one item at one step; return the sum."""
    if len(inputs) < 2:
        raise GenealogyError("a merge needs two or more batches")
    items = {i.item for i in inputs}
    if len(items) != 1:
        raise GenealogyError("only batches of the same item can be merged", items=sorted(items))
    if len({i.run for i in inputs}) != 1:
        raise GenealogyError("only batches of the same run can be merged")
    steps = {i.step_index for i in inputs}
    if len(steps) != 1:
        raise GenealogyError("only batches waiting at the same step can be merged")
    unit = inputs[0].quantity.unit
    return total([i.quantity for i in inputs], unit)


class NodeKind(StrEnum):
    """What a genealogy node is: every traced thing has one node of one kind."""

    LOT = "lot"
    BATCH = "batch"
    RUN = "run"
    SERIAL = "serial"
    JOB = "job"
    RECEIPT = "receipt"
    SHIPMENT = "shipment"


class Relation(StrEnum):
    """How a child came from its parent; one vocabulary for every transformation."""

    RECEIVE = "receive"
    ISSUE = "issue"
    PRODUCE = "produce"
    SPLIT = "split"
    MERGE = "merge"
    CONSUME = "consume"
    SHIP = "ship"


def _rules(parents: Iterable[NodeKind], relation: Relation, children: Iterable[NodeKind]
           ) -> set[tuple[NodeKind, Relation, NodeKind]]:
    kids = list(children)
    return {(p, relation, c) for p in parents for c in kids}


_K, _R = NodeKind, Relation
# (parent kind, relation, child kind) -> allowed; the migration copies this into the
# genealogy_rules table, so the database refuses any other edge too.
ALLOWED: frozenset[tuple[NodeKind, Relation, NodeKind]] = frozenset(
    _rules([_K.RECEIPT], _R.RECEIVE, [_K.LOT])
    | _rules([_K.LOT], _R.ISSUE, [_K.RUN, _K.BATCH, _K.JOB])
    | _rules([_K.RUN], _R.PRODUCE, [_K.BATCH])
    | _rules([_K.BATCH], _R.SPLIT, [_K.BATCH])
    | _rules([_K.BATCH], _R.MERGE, [_K.BATCH])
    | _rules([_K.LOT, _K.BATCH], _R.CONSUME, [_K.JOB, _K.SERIAL, _K.BATCH])
    | _rules([_K.JOB], _R.PRODUCE, [_K.LOT, _K.BATCH, _K.SERIAL])
    | _rules([_K.LOT, _K.BATCH, _K.SERIAL], _R.SHIP, [_K.SHIPMENT])
    | _rules([_K.BATCH], _R.PRODUCE, [_K.SERIAL, _K.LOT])
)


def check_relation(parent: NodeKind, relation: Relation, child: NodeKind) -> None:
    """Raise RelationNotAllowed unless parent -relation-> child is in the table."""
    if (parent, relation, child) not in ALLOWED:
        allowed = sorted(f"{r}->{c}" for p, r, c in ALLOWED if p == parent)
        raise RelationNotAllowed(
            f"a {parent} cannot {relation} a {child}",
            parent_kind=parent.value, relation=relation.value, child_kind=child.value,
            allowed=allowed,
        )


def reaches(children_of: Mapping[int, Iterable[int]], start: int, target: int) -> bool:
    """Tell whether target is start or a descendant of start over the child adjacency."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == target:
            return True
        for nxt in children_of.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def check_acyclic(children_of: Mapping[int, Iterable[int]], parent: int, child: int) -> None:
    """Raise GenealogyCycle if the edge parent -> child would close a cycle."""
    if reaches(children_of, child, parent):
        raise GenealogyCycle("this edge would make the genealogy a cycle",
                             parent=parent, child=child)


@dataclass(frozen=True, slots=True)
class StepYield:
    """What a step did with what came in: in = good + rejected + scrapped + waste."""

    quantity_in: Decimal
    good: Decimal
    rejected: Decimal
    scrapped: Decimal
    waste: Decimal

    def check(self) -> StepYield:
        """Return self if the yields are non-negative and add up, else raise."""
        parts = (self.good, self.rejected, self.scrapped, self.waste)
        if any(p < 0 for p in parts) or self.quantity_in < 0:
            raise GenealogyError("step quantities cannot be negative")
        if sum(parts, Decimal(0)) != self.quantity_in:
            raise GenealogyError(
                f"good + rejected + scrapped + waste = {sum(parts, Decimal(0))}, "
                f"but {self.quantity_in} came in",
            )
        return self
