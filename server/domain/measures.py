"""Measures: what something amounts to in each way it is counted (pieces and weight together).

A job is issued and received in pieces *and* grams or carats; a batch is counted one way
(its unit). A Measure holds at most one quantity per dimension; an absent one counts as zero.
Sums are exact: a sum of one unit stays in it, a sum of mixed units is kept in the dimension's
base unit (pcs, g, mm, ml, m2) with every digit, so 1 ozt + 1 g is 32.1034768 g, not rounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)

from .errors import QuantityError
from .quantities import BASE_UNITS, Dimension, Quantity, factor_of

# Enough digits for any sum of amounts up to 10^9 t with six places in units whose
# factors have nine; Inexact is trapped, so a rounding would be an error, never a result.
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])


def exact_base(qty: Quantity) -> Decimal:
    """Return a quantity's amount in its dimension's base unit, exactly."""
    with localcontext(_EXACT):
        return qty.amount * factor_of(qty.unit)


@dataclass(frozen=True, slots=True, eq=False)
class Measure:
    """Quantities by dimension: pieces, weight, or the one unit a batch is counted in."""

    parts: tuple[Quantity, ...] = ()

    @classmethod
    def of(cls, *, pieces: Quantity | int | str | None = None,
           weight: Quantity | None = None) -> Measure:
        """Build a measure of pieces (a count, or a number of pcs) and a weight in a mass unit."""
        parts = []
        if pieces is not None:
            count = pieces if isinstance(pieces, Quantity) else Quantity.of(pieces, "pcs")
            if count.dimension is not Dimension.COUNT:
                raise QuantityError(f"pieces are counted, not measured in {count.unit}",
                                    unit=count.unit)
            parts.append(count)
        if weight is not None:
            if weight.dimension is not Dimension.MASS:
                raise QuantityError(f"a weight is a mass, not {weight.unit}", unit=weight.unit)
            parts.append(weight)
        return cls(tuple(parts))

    @classmethod
    def of_quantities(cls, quantities: Iterable[Quantity]) -> Measure:
        """Build a measure of quantities in different dimensions (one each)."""
        parts = tuple(quantities)
        dims = [q.dimension for q in parts]
        if len(set(dims)) != len(dims):
            raise QuantityError("a measure holds one quantity per dimension",
                                units=[q.unit for q in parts])
        return cls(tuple(sorted(parts, key=lambda q: list(Dimension).index(q.dimension))))

    def part(self, dimension: Dimension) -> Quantity | None:
        """Return the quantity in a dimension, or None when not counted that way."""
        return next((q for q in self.parts if q.dimension is dimension), None)

    @property
    def pieces(self) -> Quantity | None:
        return self.part(Dimension.COUNT)

    @property
    def weight(self) -> Quantity | None:
        return self.part(Dimension.MASS)

    @property
    def dimensions(self) -> frozenset[Dimension]:
        return frozenset(q.dimension for q in self.parts)

    def base(self) -> dict[Dimension, Decimal]:
        """Return the exact amount in each dimension's base unit."""
        return {q.dimension: exact_base(q) for q in self.parts}

    def __iter__(self) -> Iterator[Quantity]:
        return iter(self.parts)

    def __add__(self, other: Measure) -> Measure:
        return _combine(self, other, 1)

    def __sub__(self, other: Measure) -> Measure:
        return _combine(self, other, -1)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Measure):
            return NotImplemented
        return _difference(self, other) == {}

    def __hash__(self) -> int:
        return hash(frozenset((d, v.normalize()) for d, v in self.base().items() if v))

    def __le__(self, other: Measure) -> bool:
        """Tell whether self is at most other in every dimension (absent counts as zero)."""
        return all(v < 0 for v in _difference(self, other).values())

    def __ge__(self, other: Measure) -> bool:
        return other <= self

    def __lt__(self, other: Measure) -> bool:
        return self <= other and self != other

    def __gt__(self, other: Measure) -> bool:
        return other < self

    def is_negative(self) -> bool:
        """Tell whether any dimension is below zero."""
        return any(q.amount < 0 for q in self.parts)

    def __str__(self) -> str:
        return " and ".join(str(q) for q in self.parts) or "nothing"


def _difference(a: Measure, b: Measure) -> dict[Dimension, Decimal]:
    """Return a - b by dimension in base units, leaving out the dimensions that are equal."""
    left, right = a.base(), b.base()
    with localcontext(_EXACT):
        diff = {d: left.get(d, Decimal(0)) - right.get(d, Decimal(0)) for d in {*left, *right}}
    return {d: v for d, v in diff.items() if v != 0}


def _combine(a: Measure, b: Measure, sign: int) -> Measure:
    """Return a + sign * b, exactly; each dimension keeps its unit when both sides share it."""
    parts = []
    for dim in sorted(a.dimensions | b.dimensions, key=list(Dimension).index):
        x, y = a.part(dim), b.part(dim)
        with localcontext(_EXACT):
            if y is None:
                assert x is not None
                parts.append(x)
            elif x is None:
                parts.append(Quantity(sign * y.amount, y.unit))
            elif x.unit == y.unit:
                parts.append(Quantity(x.amount + sign * y.amount, x.unit))
            else:
                parts.append(Quantity(exact_base(x) + sign * exact_base(y), BASE_UNITS[dim]))
    return Measure(tuple(parts))


def total(measures: Iterable[Measure]) -> Measure:
    """Sum measures exactly (nothing sums to an empty measure)."""
    result = Measure()
    for m in measures:
        result = result + m
    return result

