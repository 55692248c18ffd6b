"""Per-item requests of a job: what each issued product is asked to come back as.

Three policies prepare the table the planner may adjust: match what was issued of each
item, split the job's requested totals evenly over its items (whole pieces; the remainder
goes to the first items, so 10 over 3 is 4, 3, 3), or take the planner's own rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from .errors import QuantityError
from .measures import Measure
from .quantities import PLACES, Quantity


class Policy(StrEnum):
    MATCH_ISSUED = "match_issued"
    SPLIT_EVENLY = "split_evenly"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class ItemRequest:
    """What one item of the job is asked to give: pieces and/or a weight."""

    item: str
    pieces: int | None = None
    weight: Quantity | None = None


def prepare_items(policy: Policy, *, issued: Mapping[str, Measure], pieces: int | None,
                  weight: Quantity | None,
                  custom: Sequence[ItemRequest] = ()) -> list[ItemRequest]:
    """Return the per-item table a policy makes of the issued items and the job's totals."""
    items = list(issued)
    if policy is Policy.MATCH_ISSUED:
        return [_matching(sku, issued[sku]) for sku in items]
    if policy is Policy.SPLIT_EVENLY:
        if pieces is None and weight is None:
            raise QuantityError("split_evenly needs the job's total pieces or weight",
                                field="pieces")
        piece_shares = split_count(pieces, len(items)) if pieces is not None else None
        weight_shares = split_weight(weight, len(items)) if weight is not None else None
        return [ItemRequest(sku, piece_shares[i] if piece_shares else None,
                            weight_shares[i] if weight_shares else None)
                for i, sku in enumerate(items)]
    return _custom(items, custom)


def _matching(sku: str, measure: Measure) -> ItemRequest:
    count = measure.pieces
    return ItemRequest(sku, int(count.amount) if count is not None else None, measure.weight)


def _custom(items: list[str], rows: Sequence[ItemRequest]) -> list[ItemRequest]:
    if not rows:
        raise QuantityError("custom needs a row per item", field="items")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.item not in items:
            raise QuantityError(f"items[{i}].item: {row.item} is not among the issued items",
                                field=f"items[{i}].item", issued=items)
        if row.item in seen:
            raise QuantityError(f"items[{i}].item: {row.item} is listed twice",
                                field=f"items[{i}].item")
        seen.add(row.item)
    return list(rows)


def split_count(count: int, parts: int) -> list[int]:
    """Split whole pieces into parts that sum exactly; the first ones take the remainder."""
    share, rest = divmod(count, parts)
    return [share + (1 if i < rest else 0) for i in range(parts)]


def split_weight(weight: Quantity, parts: int) -> list[Quantity]:
    """Split a weight into parts of six places that sum exactly to it."""
    share = (weight.amount / parts).quantize(PLACES, rounding=ROUND_DOWN)
    steps = int((weight.amount - share * parts) / PLACES)  # whole 0.000001 left over
    return [Quantity(share + (PLACES if i < steps else Decimal(0)), weight.unit)
            for i in range(parts)]
