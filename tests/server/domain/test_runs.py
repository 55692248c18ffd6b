from hypothesis import given
from hypothesis import strategies as st

from server.domain.batches import BatchState
from server.domain.runs import BatchProgress, RunStatus, completion, next_status

progress = st.builds(BatchProgress, st.sampled_from(BatchState),
                     st.integers(min_value=0, max_value=4), st.integers(min_value=1, max_value=5),
                     st.integers(min_value=1, max_value=20))


@given(st.lists(progress, max_size=10))
def test_grouped_counts_give_the_same_completion_as_single_batches(groups):
    singles = [BatchProgress(g.state, g.step_index, g.step_count) for g in groups
               for _ in range(g.count)]
    assert completion(groups) == completion(singles)
    assert 0 <= completion(groups) <= 100


def test_split_parents_and_scrap_do_not_count_towards_completion():
    batches = [BatchProgress(BatchState.DONE, None, 3), BatchProgress(BatchState.SPLIT, 0, 3),
               BatchProgress(BatchState.SCRAPPED, 1, 3), BatchProgress(BatchState.WAITING, 0, 3)]
    assert completion(batches) == 50.0


def test_a_run_completes_only_when_every_live_batch_is_finished():
    open_ = [BatchProgress(BatchState.DONE, None, 2), BatchProgress(BatchState.WAITING, 1, 2)]
    assert next_status(RunStatus.PENDING, open_, scanned=True) is RunStatus.IN_PROGRESS
    done = [BatchProgress(BatchState.DONE, None, 2), BatchProgress(BatchState.MERGED, 1, 2)]
    assert next_status(RunStatus.IN_PROGRESS, done, scanned=True) is RunStatus.COMPLETED
    assert next_status(RunStatus.CANCELLED, done, scanned=True) is RunStatus.CANCELLED


def test_a_run_whose_last_open_batch_is_scrapped_completes():
    batches = [BatchProgress(BatchState.DONE, None, 2), BatchProgress(BatchState.SCRAPPED, 1, 2)]
    assert next_status(RunStatus.IN_PROGRESS, batches, scanned=False) is RunStatus.COMPLETED
    scrapped = [BatchProgress(BatchState.SCRAPPED, 0, 2)]
    assert next_status(RunStatus.PENDING, scrapped, scanned=False) is RunStatus.COMPLETED


def test_a_completed_run_reopens_when_a_batch_is_taken_back():
    undone = [BatchProgress(BatchState.DONE, None, 2), BatchProgress(BatchState.WAITING, 1, 2)]
    assert next_status(RunStatus.COMPLETED, undone, scanned=False) is RunStatus.IN_PROGRESS


def test_cancelled_batches_do_not_count_towards_completion():
    batches = [BatchProgress(BatchState.DONE, None, 2), BatchProgress(BatchState.CANCELLED, 0, 2)]
    assert completion(batches) == 100.0


def test_the_groups_split_every_batch_state_into_open_finished_and_replaced():
    from server.domain.batches import CLOSED_STATES, OPEN_STATES
    from server.domain.runs import FINISHED, LIVE, REPLACED, UNFINISHED
    assert UNFINISHED == OPEN_STATES and FINISHED | REPLACED == CLOSED_STATES
    assert frozenset(BatchState) - REPLACED == LIVE and not FINISHED & REPLACED


@given(current=st.sampled_from(RunStatus), batches=st.lists(progress, max_size=6),
       scanned=st.booleans())
def test_a_run_only_ever_makes_a_transition_of_its_table(current, batches, scanned):
    from server.domain.runs import TRANSITIONS
    after = next_status(current, batches, scanned=scanned)
    assert after is current or after in TRANSITIONS[current]
