import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.batches import (
    CLOSED_STATES,
    TRANSITIONS,
    Action,
    BatchState,
    Outcome,
    Place,
    Reason,
    ScanContext,
    ScanMode,
    apply,
    decide_scan,
    is_repeat,
    scan_places,
    undo,
    within_window,
)
from server.domain.errors import TransitionError

ROUTING = ["CUT", "WELD", "PAINT"]


def ctx(state=BatchState.WAITING, step=0, op="CUT", mode=ScanMode.COMPLETE, enabled=True):
    return ScanContext(state, step, ROUTING, op, mode, enabled)


def test_complete_station_finishes_a_step_in_one_scan():
    d = decide_scan(ctx())
    assert d.outcome is Outcome.ACCEPTED and d.action is Action.COMPLETE
    assert d.state is BatchState.WAITING and d.step_index == 0 and d.next_step_index == 1


def test_toggle_station_starts_then_completes():
    first = decide_scan(ctx(step=1, op="WELD", mode=ScanMode.TOGGLE))
    assert first.action is Action.START and first.state is BatchState.IN_PROCESS
    assert first.next_step_index == 1
    second = decide_scan(ctx(BatchState.IN_PROCESS, 1, "WELD", ScanMode.TOGGLE))
    assert second.action is Action.COMPLETE and second.next_step_index == 2


def test_last_step_finishes_the_batch():
    d = decide_scan(ctx(step=2, op="PAINT"))
    assert d.action is Action.FINISH and d.state is BatchState.DONE and d.next_step_index is None


def test_wrong_step_names_the_step_the_batch_expects():
    d = decide_scan(ctx(step=1, op="PAINT"))
    assert d.outcome is Outcome.REJECTED and d.reason is Reason.WRONG_STEP and d.step_index == 1


@pytest.mark.parametrize(("state", "reason"), [
    (BatchState.DONE, Reason.ALREADY_DONE), (BatchState.ON_HOLD, Reason.ON_HOLD),
    (BatchState.SPLIT, Reason.BATCH_CLOSED), (BatchState.MERGED, Reason.BATCH_CLOSED),
    (BatchState.SCRAPPED, Reason.BATCH_CLOSED)])
def test_closed_or_held_batches_are_refused(state, reason):
    assert decide_scan(ctx(state=state)).reason is reason


@pytest.mark.parametrize("state", [BatchState.SPLIT, BatchState.MERGED, BatchState.SCRAPPED,
                                   BatchState.DONE])
def test_a_closed_batch_waits_for_no_next_step_and_keeps_its_state(state):
    d = decide_scan(ctx(state=state, step=1, op="WELD"))
    assert d.next_step_index is None and d.state is state and d.step_index is None


def test_a_step_the_batch_has_passed_is_already_done_at_that_step():
    d = decide_scan(ctx(step=2, op="CUT"))
    assert (d.outcome, d.reason) == (Outcome.REJECTED, Reason.ALREADY_DONE)
    assert (d.step_index, d.next_step_index) == (0, 2)


def test_a_step_still_ahead_as_well_as_behind_is_the_wrong_step():
    d = decide_scan(ScanContext(BatchState.WAITING, 1, ["QC", "CUT", "QC"], "QC",
                                ScanMode.COMPLETE))
    assert (d.reason, d.step_index, d.next_step_index) == (Reason.WRONG_STEP, 1, 1)


def test_disabled_station_refuses_every_scan():
    assert decide_scan(ctx(enabled=False)).reason is Reason.STATION_DISABLED


def test_release_returns_to_the_state_before_the_hold():
    held = apply(BatchState.IN_PROCESS, Action.HOLD)
    assert apply(held, Action.RELEASE, held_from=BatchState.IN_PROCESS) is BatchState.IN_PROCESS


def test_a_done_batch_cannot_be_split():
    with pytest.raises(TransitionError, match="cannot split a batch that is done"):
        apply(BatchState.DONE, Action.SPLIT)


def test_repeat_window():
    assert is_repeat(0.5, 3.0) and not is_repeat(3.5, 3.0) and not is_repeat(None, 3.0)


@given(state=st.sampled_from(BatchState), action=st.sampled_from(Action))
def test_apply_follows_the_table_and_nothing_else(state, action):
    if (state, action) in TRANSITIONS:
        assert isinstance(apply(state, action, held_from=BatchState.WAITING), BatchState)
    else:
        with pytest.raises(TransitionError):
            apply(state, action)


@given(state=st.sampled_from(sorted(CLOSED_STATES)), action=st.sampled_from(Action))
def test_closed_states_are_final(state, action):
    with pytest.raises(TransitionError):
        apply(state, action)


@given(modes=st.lists(st.sampled_from(ScanMode), min_size=1, max_size=8),
       extra=st.lists(st.sampled_from(["CUT", "WELD", "PAINT", "QC"]), max_size=20))
def test_scanning_in_routing_order_always_ends_done_and_never_skips(modes, extra):
    """Feed a batch correct scans interleaved with wrong ones; it visits every step once."""
    routing = [f"OP{i}" for i in range(len(modes))]
    state, step, visited = BatchState.WAITING, 0, []
    noise = iter(extra)
    for _ in range(4 * len(modes) + len(extra)):
        if state is BatchState.DONE:
            break
        wrong = next(noise, None)
        if wrong is not None:
            d = decide_scan(ScanContext(state, step, routing, wrong, modes[step]))
            assert d.outcome is Outcome.REJECTED and d.reason is Reason.WRONG_STEP
        d = decide_scan(ScanContext(state, step, routing, routing[step], modes[step]))
        assert d.accepted
        if d.action is not Action.START:
            visited.append(step)
        state, step = d.state, d.next_step_index
    assert state is BatchState.DONE and visited == list(range(len(routing)))
    assert decide_scan(ScanContext(state, None, routing, routing[-1], modes[-1])).reason is \
        Reason.ALREADY_DONE


@pytest.mark.parametrize("state", [BatchState.WAITING, BatchState.IN_PROCESS,
                                   BatchState.ON_HOLD])
def test_cancelling_a_run_closes_any_open_batch(state):
    assert apply(state, Action.CANCEL) is BatchState.CANCELLED


def test_a_batch_of_a_cancelled_run_is_refused_saying_so():
    ctx = ScanContext(BatchState.CANCELLED, 0, ROUTING, "CUT", ScanMode.COMPLETE)
    assert decide_scan(ctx).reason is Reason.RUN_CANCELLED


def test_undo_puts_a_batch_back_where_the_change_found_it():
    before, after = scan_places(Action.COMPLETE, 1, started=True)
    assert before == Place(BatchState.IN_PROCESS, 1)
    assert after == Place(BatchState.WAITING, 2)
    assert undo(Action.COMPLETE, before=before, after=after, now=after) == before
    assert scan_places(Action.FINISH, 2, started=False) == (Place(BatchState.WAITING, 2),
                                                            Place(BatchState.DONE, None))


def test_undo_is_refused_once_the_batch_has_moved_on_or_for_a_split():
    before, after = scan_places(Action.START, 0, started=False)
    with pytest.raises(TransitionError):
        undo(Action.START, before=before, after=after, now=Place(BatchState.ON_HOLD, 0))
    split = Place(BatchState.SPLIT, 0)
    with pytest.raises(TransitionError):
        undo(Action.SPLIT, before=before, after=split, now=split)


def test_an_operators_undo_window_is_closed_at_both_ends():
    assert within_window(0, 120) and within_window(120, 120)
    assert not within_window(120.5, 120) and not within_window(-1, 120)
