"""Two receipts racing for one job's pending grams, whose sum is more than is pending: the
job's row lock makes the second wait and then find the grams gone. Exactly one succeeds, the
other gets the balance error, and the balance still holds (on each backend; PostgreSQL is
the one where both really run at once)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from server.domain.jobs import JobBalanceError
from server.domain.quantities import Dimension
from server.runtime import Runtime
from server.services import job_receipts
from server.services.job_records import balance_of, job_by_number
from tests.conftest import make_settings
from tests.support.job_plant import OPERATOR, issued_job, jewellery_plant

ROUNDS = 4


@pytest.fixture
def plant(tmp_path, database_url):
    # The loser waits for the winner's write lock; on SQLite under a loaded CI machine that
    # can outlast the default 5 s budget, which would be a test of the machine, not the lock.
    runtime = Runtime.start(make_settings(tmp_path, database_url, db_lock_wait_seconds=30))
    with runtime.transaction() as s:
        jewellery_plant(s)
    yield runtime
    runtime.engine.dispose()


def receipt(grams: str) -> job_receipts.ReceiptSpec:
    return job_receipts.ReceiptSpec(location="STORES", rows=[job_receipts.Row(
        output_type="finished", item="RING", pieces=1, weight=Decimal(grams), unit="g")])


def race(runtime, number: str, asks: list[str]) -> list[str]:
    """Receive each ask from its own thread, released together; return the outcomes."""
    barrier = threading.Barrier(len(asks))
    outcomes: list[str] = []

    def operator(grams: str) -> None:
        barrier.wait()
        try:
            with runtime.transaction() as s:
                job_receipts.receive(s, OPERATOR, number, receipt(grams))
            outcomes.append("received")
        except JobBalanceError as err:
            outcomes.append(f"{err.code}:{err.detail['bucket']}")
        except Exception as err:  # any other end fails the test, with its name
            outcomes.append(f"{type(err).__name__}: {err}")

    threads = [threading.Thread(target=operator, args=(g,)) for g in asks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_receipts_over_pending_together_exactly_one_is_taken(plant, round_):
    with plant.transaction() as s:
        number = issued_job(s, "10", 4)
    assert race(plant, number, ["6", "6"]) == ["balance:received", "received"]
    with plant.sessions() as s:
        job = job_by_number(s, number)
        assert len(job.receipts) == 1
        assert (job.received_weight, job.pending_weight) == (Decimal(6), Decimal(4))
        assert (job.received_pieces, job.pending_pieces) == (1, 3)
        # The domain's own balance, recomputed from the rows, agrees with the stored totals.
        weights = balance_of(job).amounts(Dimension.MASS)
        assert (weights["received"], weights["pending"]) == (Decimal(6), Decimal(4))
