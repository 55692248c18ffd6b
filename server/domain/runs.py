"""A run's status and progress follow from its batches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .batches import BatchState

# Parents of a split or merge live on in their children, so they do not count.
REPLACED = frozenset({BatchState.SPLIT, BatchState.MERGED})
FINISHED = frozenset({BatchState.DONE, BatchState.SCRAPPED, BatchState.CANCELLED})
# Finished batches that made nothing: they leave a run's completion share.
FRUITLESS = frozenset({BatchState.SCRAPPED, BatchState.CANCELLED})
# Batches that count towards a run: every one but the replaced.
LIVE = frozenset(BatchState) - REPLACED
# Live batches still to finish: the open ones (a batch is open, finished or replaced).
UNFINISHED = LIVE - FINISHED


class RunStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Runs still to work on: they can be cancelled, planned against and shown as active.
ACTIVE = frozenset({RunStatus.PENDING, RunStatus.IN_PROGRESS})
# Statuses a run's batches no longer move.
FIXED = frozenset({RunStatus.CANCELLED})

# Every change of status: the batches move a run along (an undo reopens a completed one);
# a planner cancels it.
TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.PENDING: frozenset({RunStatus.IN_PROGRESS, RunStatus.COMPLETED,
                                  RunStatus.CANCELLED}),
    RunStatus.IN_PROGRESS: frozenset({RunStatus.COMPLETED, RunStatus.CANCELLED}),
    RunStatus.COMPLETED: frozenset({RunStatus.IN_PROGRESS}),
    RunStatus.CANCELLED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class BatchProgress:
    state: BatchState
    step_index: int | None
    step_count: int
    count: int = 1  # how many batches are in this same place


def status_from(current: RunStatus, *, live: int, unfinished: int, scanned: bool) -> RunStatus:
    """Return the run's status from how many of its batches are live and still unfinished.

    The one run-status rule: the ORM path counts in Python, the scan path in SQL (by LIVE
    and UNFINISHED), and both ask this.
    """
    if current in FIXED:
        return current
    if live and not unfinished:
        return RunStatus.COMPLETED
    if scanned or current is not RunStatus.PENDING:
        return RunStatus.IN_PROGRESS
    return RunStatus.PENDING


def next_status(current: RunStatus, batches: Iterable[BatchProgress], *, scanned: bool
                ) -> RunStatus:
    """Return the run's status after a change: started by a scan, completed when all finish.

    A completed run whose batch is taken back (an undo) reopens; scrapped batches count as
    finished, so a run whose last batch was scrapped completes.
    """
    places = list(batches)
    return status_from(current, live=sum(b.count for b in places if b.state in LIVE),
                       unfinished=sum(b.count for b in places if b.state in UNFINISHED),
                       scanned=scanned)


def can_cancel(status: RunStatus) -> bool:
    """Tell whether a run in this status can still be cancelled (not once completed)."""
    return RunStatus.CANCELLED in TRANSITIONS[status]


def completion(batches: Iterable[BatchProgress]) -> float:
    """Return the share of routing steps done over the run's live batches, 0 to 100."""
    live = [b for b in batches if b.state not in REPLACED and b.state not in FRUITLESS]
    total = sum(b.count for b in live)
    if not total:
        return 0.0
    done = Fraction(0)  # exact, so grouping batches never changes the rounded result
    for b in live:
        if b.state is BatchState.DONE or b.step_count == 0:
            done += b.count
        else:
            done += Fraction(b.count * min(b.step_index or 0, b.step_count), b.step_count)
    return round(float(100 * done / total), 1)
