"""The batch state machine: an explicit transition table and the scan decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# Re-exported: the scan wire vocabulary lives in station.protocol, shared with the agent.
from station.protocol import Outcome as Outcome
from station.protocol import Reason as Reason

from .errors import TransitionError


class BatchState(StrEnum):
    WAITING = "waiting"
    IN_PROCESS = "in_process"
    ON_HOLD = "on_hold"
    DONE = "done"
    SCRAPPED = "scrapped"
    SPLIT = "split"
    MERGED = "merged"
    CANCELLED = "cancelled"  # its run was cancelled before the batch finished


CLOSED_STATES = frozenset({BatchState.DONE, BatchState.SCRAPPED, BatchState.SPLIT,
                           BatchState.MERGED, BatchState.CANCELLED})
OPEN_STATES = frozenset(BatchState) - CLOSED_STATES
# Open and not held: a batch that should be moving through its steps.
FLOWING = OPEN_STATES - {BatchState.ON_HOLD}


class Action(StrEnum):
    START = "start"          # first scan of a toggle station
    COMPLETE = "complete"    # a step finished, more steps follow
    FINISH = "finish"        # the last step finished
    HOLD = "hold"
    RELEASE = "release"
    SCRAP = "scrap"
    SPLIT = "split"
    MERGE = "merge"
    CANCEL = "cancel"        # the batch's run was cancelled


class ScanMode(StrEnum):
    TOGGLE = "toggle"      # first scan starts the step, second completes it
    COMPLETE = "complete"  # one scan completes the step


# Every allowed change of state. RELEASE goes back to the state held before the hold.
TRANSITIONS: dict[tuple[BatchState, Action], BatchState | None] = {
    (BatchState.WAITING, Action.START): BatchState.IN_PROCESS,
    (BatchState.WAITING, Action.COMPLETE): BatchState.WAITING,
    (BatchState.WAITING, Action.FINISH): BatchState.DONE,
    (BatchState.IN_PROCESS, Action.COMPLETE): BatchState.WAITING,
    (BatchState.IN_PROCESS, Action.FINISH): BatchState.DONE,
    (BatchState.WAITING, Action.HOLD): BatchState.ON_HOLD,
    (BatchState.IN_PROCESS, Action.HOLD): BatchState.ON_HOLD,
    (BatchState.ON_HOLD, Action.RELEASE): None,
    (BatchState.WAITING, Action.SCRAP): BatchState.SCRAPPED,
    (BatchState.IN_PROCESS, Action.SCRAP): BatchState.SCRAPPED,
    (BatchState.ON_HOLD, Action.SCRAP): BatchState.SCRAPPED,
    (BatchState.WAITING, Action.SPLIT): BatchState.SPLIT,
    (BatchState.ON_HOLD, Action.SPLIT): BatchState.SPLIT,
    (BatchState.WAITING, Action.MERGE): BatchState.MERGED,
    (BatchState.WAITING, Action.CANCEL): BatchState.CANCELLED,
    (BatchState.IN_PROCESS, Action.CANCEL): BatchState.CANCELLED,
    (BatchState.ON_HOLD, Action.CANCEL): BatchState.CANCELLED,
}

# Transitions an undo can take back, and the action that took it back is recorded as.
UNDOABLE = frozenset({Action.START, Action.COMPLETE, Action.FINISH, Action.HOLD,
                      Action.RELEASE, Action.SCRAP})


def apply(state: BatchState, action: Action, *, held_from: BatchState | None = None
          ) -> BatchState:
    """Return the state after action, or raise TransitionError if the table forbids it."""
    key = (state, action)
    if key not in TRANSITIONS:
        raise TransitionError(
            f"cannot {action.value} a batch that is {state.value.replace('_', ' ')}",
            state=state.value, action=action.value,
        )
    target = TRANSITIONS[key]
    if target is None:
        return held_from if held_from is not None else BatchState.WAITING
    return target


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What the scan decision needs to know: the batch, its routing and the station."""

    state: BatchState
    step_index: int | None          # 0-based position in the routing; None when done
    steps: Sequence[str]            # operation code of each routing step
    station_operation: str
    mode: ScanMode
    station_enabled: bool = True


@dataclass(frozen=True, slots=True)
class ScanDecision:
    outcome: Outcome
    reason: Reason | None = None
    action: Action | None = None
    state: BatchState | None = None          # state after the scan
    step_index: int | None = None            # step the scan acted on (or expects)
    next_step_index: int | None = None       # step the batch waits for afterwards

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPTED


def reject(reason: Reason, step_index: int | None = None, *, waits_at: int | None = None,
           state: BatchState | None = None) -> ScanDecision:
    """Return a rejected decision with its reason and the step the batch still waits for."""
    return ScanDecision(Outcome.REJECTED, reason, state=state, step_index=step_index,
                        next_step_index=waits_at)


_CLOSED_REASON = {BatchState.DONE: Reason.ALREADY_DONE,
                  BatchState.CANCELLED: Reason.RUN_CANCELLED}


def decide_scan(ctx: ScanContext) -> ScanDecision:
    """Decide what a scan of a batch at a station does, without changing anything."""
    if not ctx.station_enabled:
        return reject(Reason.STATION_DISABLED)
    if ctx.state in CLOSED_STATES:
        # A closed batch waits for nothing: its children (if any) carry on.
        return reject(_CLOSED_REASON.get(ctx.state, Reason.BATCH_CLOSED), state=ctx.state)
    if ctx.state is BatchState.ON_HOLD:
        return reject(Reason.ON_HOLD, ctx.step_index, waits_at=ctx.step_index)
    step = ctx.step_index
    if step is None or not 0 <= step < len(ctx.steps):
        return reject(Reason.ALREADY_DONE, state=ctx.state)
    if ctx.steps[step] != ctx.station_operation:
        done_at = done_step(ctx.steps, step, ctx.station_operation)
        if done_at is not None:
            return reject(Reason.ALREADY_DONE, done_at, waits_at=step)
        return reject(Reason.WRONG_STEP, step, waits_at=step)
    starts = ctx.mode is ScanMode.TOGGLE and ctx.state is BatchState.WAITING
    if starts:
        action = Action.START
    elif step + 1 < len(ctx.steps):
        action = Action.COMPLETE
    else:
        action = Action.FINISH
    new_state = apply(ctx.state, action)
    next_step = step if starts else (step + 1 if action is Action.COMPLETE else None)
    return ScanDecision(Outcome.ACCEPTED, None, action, new_state, step, next_step)


def done_step(steps: Sequence[str], step: int, operation: str) -> int | None:
    """Return the step of operation the batch has passed, unless it still lies ahead."""
    if operation in steps[step:]:
        return None  # needed again later: scanning it now is the wrong step
    passed = [i for i, op in enumerate(steps[:step]) if op == operation]
    return passed[-1] if passed else None


def is_repeat(seconds_since_last: float | None, window: float) -> bool:
    """Tell whether a scan of the same batch at the same station is a bounce to ignore."""
    return seconds_since_last is not None and 0 <= seconds_since_last < window


@dataclass(frozen=True, slots=True)
class Place:
    """Where a batch is: its state, its step and, when held, the state it was held from."""

    state: BatchState
    step_index: int | None
    held_state: BatchState | None = None


def scan_places(action: Action, step_index: int, *, started: bool) -> tuple[Place, Place]:
    """Return where a batch was before and after a scan's action at step_index.

    started tells whether a toggle start of that step was in effect before the scan.
    """
    if action is Action.START:
        return Place(BatchState.WAITING, step_index), Place(BatchState.IN_PROCESS, step_index)
    before = Place(BatchState.IN_PROCESS if started else BatchState.WAITING, step_index)
    if action is Action.COMPLETE:
        return before, Place(BatchState.WAITING, step_index + 1)
    if action is Action.FINISH:
        return before, Place(BatchState.DONE, None)
    raise TransitionError(f"a scan does not {action.value} a batch", action=action.value)


def undo(action: Action, *, before: Place, after: Place, now: Place) -> Place:
    """Return where undoing action (which took a batch from before to after) puts it back."""
    if action not in UNDOABLE:
        raise TransitionError(f"a {action.value} cannot be undone", action=action.value)
    if now != after:
        # Something else moved the batch since; taking this back would skip that change.
        raise TransitionError(f"the batch is no longer where the {action.value} left it",
                              action=action.value, state=now.state.value)
    return before


def within_window(seconds_since: float, window: float) -> bool:
    """Tell whether a change made seconds_since ago is still the maker's to undo."""
    return 0 <= seconds_since <= window
