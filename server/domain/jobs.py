"""Production jobs: the status table, list views, buckets and the job's mass balance.

A job is issued lots (pieces and weight) and gives back what it made by bucket: received
(good), rejected, scrapped (recoverable) and waste (process loss); the rest is pending.
issued = received + rejected + scrapped + waste + pending in each dimension, pending >= 0:
the one balance rule of server/domain/balance.py. The per-item request policies live in
server/domain/job_requests.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .balance import Balance, balance
from .errors import BalanceError, QuantityError, TransitionError
from .measures import Measure, total
from .quantities import BASE_UNITS, Dimension, Quantity, amount_of, factor_of, unit_named

# The largest amount one issue or receipt line may carry in each dimension: a sane ceiling
# (10 t, ten million pieces) that refuses a typo of 1e12 kg long before any column overflows.
MAX_WEIGHT_G = Decimal(10_000_000)
MAX_PIECES = 10_000_000


class JobStatus(StrEnum):
    OPEN = "open"  # issued, nothing received yet
    IN_PROGRESS = "in_progress"  # something received, something pending
    COMPLETED = "completed"  # nothing pending in pieces or weight
    CANCELLED = "cancelled"  # given back before anything was received


ONGOING = frozenset({JobStatus.OPEN, JobStatus.IN_PROGRESS})

# Receipts move a job along; an edit that issues more reopens a completed one, an edit that
# issues less may complete one. Only an open job is cancelled (its stock goes back).
TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.OPEN: frozenset({JobStatus.IN_PROGRESS, JobStatus.COMPLETED,
                               JobStatus.CANCELLED}),
    JobStatus.IN_PROGRESS: frozenset({JobStatus.COMPLETED}),
    JobStatus.COMPLETED: frozenset({JobStatus.IN_PROGRESS}),
    JobStatus.CANCELLED: frozenset(),
}


def check_transition(old: JobStatus, new: JobStatus) -> JobStatus:
    """Return new if the table allows old -> new (or it is no change), else raise."""
    if new is not old and new not in TRANSITIONS[old]:
        raise TransitionError(f"a job cannot go from {old} to {new}", status=old.value,
                              target=new.value)
    return new


class JobView(StrEnum):
    """The list's views, each a set of statuses and maybe a scheduling condition."""

    ALL = "all"  # every job but the cancelled
    ONGOING = "ongoing"  # open or in progress
    COMPLETED = "completed"
    UNSCHEDULED = "unscheduled"  # ongoing, lacking a staff deadline or an assignee
    SCHEDULED = "scheduled"  # ongoing, with both a staff deadline and an assignee


VIEW_STATUSES: dict[JobView, frozenset[JobStatus]] = {
    JobView.ALL: frozenset(JobStatus) - {JobStatus.CANCELLED},
    JobView.ONGOING: ONGOING,
    JobView.COMPLETED: frozenset({JobStatus.COMPLETED}),
    JobView.UNSCHEDULED: ONGOING,
    JobView.SCHEDULED: ONGOING,
}


def in_view(view: JobView, status: JobStatus, *, has_deadline: bool,
            has_assignee: bool) -> bool:
    """Tell whether a job belongs to a view (the list's SQL filters the same way)."""
    if status not in VIEW_STATUSES[view]:
        return False
    scheduled = has_deadline and has_assignee
    if view is JobView.UNSCHEDULED:
        return not scheduled
    if view is JobView.SCHEDULED:
        return scheduled
    return True


class Bucket(StrEnum):
    RECEIVED = "received"
    REJECTED = "rejected"
    SCRAPPED = "scrapped"
    WASTE = "waste"


PENDING = "pending"  # derived: what was issued and is not yet in a bucket


class OutputType(StrEnum):
    FINISHED = "finished"
    MATERIALS = "materials"  # materials and supplies


class JobBalanceError(BalanceError):
    """A receipt or an edit that would take a bucket past what is pending."""

    code = "balance"


@dataclass(frozen=True, slots=True)
class JobBalance:
    """A job's buckets in pieces and in grams, exactly, with what is pending."""

    issued: Measure
    buckets: Mapping[Bucket, Measure]
    pending: Measure

    @property
    def received_anything(self) -> bool:
        return any(m != Measure() for m in self.buckets.values())

    @property
    def settled(self) -> bool:
        return self.pending == Measure()

    def amounts(self, dimension: Dimension) -> dict[str, Decimal]:
        """Return issued, each bucket and pending in the dimension's base unit (pcs or g)."""
        def base(m: Measure) -> Decimal:
            return m.base().get(dimension, Decimal(0))
        out = {"issued": base(self.issued)}
        out.update({b.value: base(self.buckets.get(b, Measure())) for b in Bucket})
        out[PENDING] = base(self.pending)
        return out


def job_balance(issued: Measure, buckets: Mapping[Bucket, Measure]) -> JobBalance:
    """Return a job's balance, or raise JobBalanceError naming the first bucket that goes
    past what is pending and by how much (in the dimension's base unit)."""
    filled = {b: buckets.get(b, Measure()) for b in Bucket}
    running = Measure()
    for bucket, measure in filled.items():
        running = running + measure
        for dimension, over in _excess(running, issued).items():
            unit = BASE_UNITS[dimension]
            left = issued.base().get(dimension, Decimal(0)) - (
                (running - measure).base().get(dimension, Decimal(0)))
            raise JobBalanceError(
                f"{bucket} is {_text(over)} {unit} over what is pending "
                f"({_text(max(left, Decimal(0)))} {unit})",
                bucket=bucket.value, over=_text(over), unit=unit,
                pending=_text(max(left, Decimal(0))))
    result: Balance = balance([issued], {b.value: [m] for b, m in filled.items()},
                              subject="job")
    return JobBalance(issued, filled, result.pending)


def _excess(out: Measure, issued: Measure) -> dict[Dimension, Decimal]:
    """Return by how much out exceeds issued, per dimension issued (others do not balance)."""
    came_in = issued.base()
    excess = {}
    for dimension, amount in out.base().items():
        if dimension not in came_in:
            if amount:
                raise QuantityError(
                    f"this job was issued no {_DIMENSION_WORDS[dimension]}: "
                    f"declare them on its issue lines to count them out",
                    field=_DIMENSION_FIELDS[dimension], unit=BASE_UNITS[dimension])
            continue
        if amount > came_in[dimension]:
            excess[dimension] = amount - came_in[dimension]
    return excess


_DIMENSION_WORDS = {Dimension.COUNT: "pieces", Dimension.MASS: "weight"}
_DIMENSION_FIELDS = {Dimension.COUNT: "pieces", Dimension.MASS: "weight"}


def _text(amount: Decimal) -> str:
    text = f"{amount.normalize():f}"
    return "0" if text in {"-0", ""} else text


def status_from(current: JobStatus, result: JobBalance) -> JobStatus:
    """Return the status a job's balance gives it (a cancelled job stays cancelled)."""
    if current is JobStatus.CANCELLED:
        return current
    if result.settled and result.issued != Measure():
        return check_transition(current, JobStatus.COMPLETED)
    if not result.received_anything:
        return JobStatus.OPEN if current is JobStatus.OPEN else \
            check_transition(current, JobStatus.IN_PROGRESS)
    return check_transition(current, JobStatus.IN_PROGRESS)


def check_cancel(status: JobStatus, result: JobBalance) -> JobStatus:
    """Return cancelled if an open job with nothing received may be cancelled, else raise."""
    if status is not JobStatus.OPEN or result.received_anything:
        raise TransitionError("only an open job with nothing received can be cancelled",
                              status=status.value, target=JobStatus.CANCELLED.value)
    return check_transition(status, JobStatus.CANCELLED)


def job_pieces(value: object, *, field: str = "pieces", required: bool = False) -> Quantity:
    """Return a whole, non-negative number of pieces within the ceiling, or raise naming field.

    Pieces come as integers or digit strings; a fraction, a float or a negative is refused.
    """
    qty = amount_of(value, "pcs", field=field)
    if qty.amount > MAX_PIECES:
        raise QuantityError(f"{field}: at most {MAX_PIECES} pieces", field=field,
                            maximum=MAX_PIECES)
    if required and not qty.is_positive():
        raise QuantityError(f"{field} must be greater than zero", field=field)
    return qty


def job_weight(value: object, unit: object, *, field: str = "weight",
               required: bool = False, unit_field: str | None = None) -> Quantity:
    """Return a non-negative weight in a mass unit within the ceiling, or raise naming field
    (or unit_field, the unit's own field: `unit` beside field unless told)."""
    if unit_field is None:
        unit_field = f"{field.rsplit('.', 1)[0]}.unit" if "." in field else "unit"
    if not isinstance(unit, str):
        raise QuantityError(f"{unit_field}: a weight needs its unit", field=unit_field)
    try:
        name = unit_named(unit)
    except QuantityError as err:
        raise QuantityError(f"{unit_field}: {err.message}", field=unit_field,
                            **err.detail) from None
    qty = amount_of(value, name, field=field)
    if qty.dimension is not Dimension.MASS:
        raise QuantityError(f"{field}: a weight is a mass, not {qty.unit}", field=field,
                            unit=qty.unit)
    if qty.amount * factor_of(qty.unit) > MAX_WEIGHT_G:
        raise QuantityError(f"{field}: at most {MAX_WEIGHT_G / 1000000} t on one line",
                            field=field, maximum=f"{MAX_WEIGHT_G} g")
    if required and not qty.is_positive():
        raise QuantityError(f"{field} must be greater than zero", field=field)
    return qty


def grams(measure: Measure) -> Decimal:
    """Return a measure's weight in grams, exactly (0 when it has none)."""
    return measure.base().get(Dimension.MASS, Decimal(0))


def pieces_of(measure: Measure) -> int:
    """Return a measure's pieces (0 when it has none)."""
    return int(measure.base().get(Dimension.COUNT, Decimal(0)))


def sum_measures(measures: list[Measure]) -> Measure:
    """Sum measures exactly."""
    return total(measures)

