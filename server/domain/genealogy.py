"""Rules for transformations that make new units from old: split and merge.

What a step or a job makes of what came in is a balance (server/domain/balance.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import GenealogyError
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

