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


CLOSED_STATES = frozenset({BatchState.DONE, BatchState.SCRAPPED, BatchState.SPLIT,
                           BatchState.MERGED})


class Action(StrEnum):
    START = "start"          # first scan of a toggle station
    COMPLETE = "complete"    # a step finished, more steps follow
    FINISH = "finish"        # the last step finished
    HOLD = "hold"
    RELEASE = "release"
    SCRAP = "scrap"
    SPLIT = "split"
    MERGE = "merge"


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
}


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


def reject(reason: Reason, step_index: int | None = None) -> ScanDecision:
    """Return a rejected decision with its reason."""
    return ScanDecision(Outcome.REJECTED, reason, step_index=step_index)


_CLOSED_REASON = {BatchState.DONE: Reason.ALREADY_DONE}


def decide_scan(ctx: ScanContext) -> ScanDecision:
    """Decide what a scan of a batch at a station does, without changing anything."""
    if not ctx.station_enabled:
        return reject(Reason.STATION_DISABLED)
    if ctx.state in CLOSED_STATES:
        return reject(_CLOSED_REASON.get(ctx.state, Reason.BATCH_CLOSED))
    if ctx.state is BatchState.ON_HOLD:
        return reject(Reason.ON_HOLD, ctx.step_index)
    step = ctx.step_index
    if step is None or not 0 <= step < len(ctx.steps):
        return reject(Reason.ALREADY_DONE)
    if ctx.steps[step] != ctx.station_operation:
        return reject(Reason.WRONG_STEP, step)
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


def is_repeat(seconds_since_last: float | None, window: float) -> bool:
    """Tell whether a scan of the same batch at the same station is a bounce to ignore."""
    return seconds_since_last is not None and 0 <= seconds_since_last < window
