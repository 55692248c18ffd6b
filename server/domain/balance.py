"""One balance rule: inputs = outputs by bucket + pending, pending >= 0.

Step quantities (in = good + rejected + scrapped + waste, nothing pending once the step is
finished) and production jobs (issued = received + rejected + scrapped + waste + pending)
both use it. Pieces and weight balance separately, each in any mix of units of its
dimension, exactly; an output counted in a dimension the inputs are not counted in does not
convert and is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .errors import BalanceError, QuantityError
from .measures import Measure, total
from .quantities import Quantity, unit_named


@dataclass(frozen=True, slots=True)
class Balance:
    """Inputs, outputs by bucket, and what is still pending (never negative)."""

    inputs: Measure
    outputs: tuple[tuple[str, Measure], ...]
    pending: Measure

    @property
    def settled(self) -> bool:
        """Tell whether nothing is pending: every input is accounted for."""
        return self.pending == Measure()

    def bucket(self, name: str) -> Measure:
        return dict(self.outputs).get(name, Measure())


def balance(inputs: Iterable[Measure], outputs: Mapping[str, Iterable[Measure]], *,
            settled: bool = False, subject: str = "") -> Balance:
    """Return the balance of inputs and outputs by bucket, or raise if it does not hold.

    settled asks for nothing pending (a finished step); subject names what is balanced in
    the messages ("step quantities cannot be negative").
    """
    came_in = list(inputs)
    buckets = {name: list(measures) for name, measures in outputs.items()}
    if any(m.is_negative() for m in came_in + [m for ms in buckets.values() for m in ms]):
        raise BalanceError(f"{subject + ' ' if subject else ''}quantities cannot be negative")
    issued = total(came_in)
    sums = {name: total(ms) for name, ms in buckets.items()}
    out = total(sums.values())
    foreign = [q.unit for q in out if q.dimension not in issued.dimensions]
    if foreign:
        raise QuantityError(
            f"{', '.join(foreign)} does not convert to what came in ({issued})",
            units=foreign, inputs=[q.unit for q in issued])
    pending = issued - out
    if pending.is_negative() or (settled and pending != Measure()):
        raise BalanceError(f"{' + '.join(sums)} = {out}, but {issued} came in",
                           pending=str(pending))
    return Balance(issued, tuple(sums.items()), pending)


def measure_of(amount: Decimal, unit: str) -> Measure:
    """Return an already checked amount in a unit as a measure of that one dimension."""
    return Measure((Quantity(amount, unit_named(unit)),))


@dataclass(frozen=True, slots=True)
class StepYield:
    """What a step did with what came in: in = good + rejected + scrapped + waste."""

    quantity_in: Decimal
    good: Decimal
    rejected: Decimal
    scrapped: Decimal
    waste: Decimal
    unit: str

    def check(self) -> StepYield:
        """Return self if the yields are non-negative and add up, else raise."""
        buckets = {"good": self.good, "rejected": self.rejected, "scrapped": self.scrapped,
                   "waste": self.waste}
        balance([measure_of(self.quantity_in, self.unit)],
                {name: [measure_of(v, self.unit)] for name, v in buckets.items()},
                settled=True, subject="step")
        return self
