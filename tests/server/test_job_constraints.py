"""A job's totals written straight to its row: the database's CHECKs refuse a bad total.

The domain refuses a receipt over pending before anything is written; these CHECKs are what
is left should a script or a bug write the row itself (SQL UPDATE, on SQLite and PostgreSQL).
"""

from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from server.models import Job
from server.services import job_receipts
from server.services.job_records import job_by_number
from tests.support.job_plant import OPERATOR, issued_job, jewellery_plant

TOTALS = [f"{b}_{d}" for b in ("issued", "received", "rejected", "scrapped", "waste", "pending")
          for d in ("pieces", "weight")]


@pytest.fixture
def number(runtime):
    """A job of 40 g in 8 pieces with 3 pieces and 15 g received: 5 pcs and 25 g pending."""
    with runtime.transaction() as s:
        jewellery_plant(s)
        made = issued_job(s, "40", 8)
        job_receipts.receive(s, OPERATOR, made, job_receipts.ReceiptSpec(
            location="STORES", rows=[job_receipts.Row(
                output_type="finished", item="RING", pieces=3, weight=Decimal(15), unit="g")]))
    return made


def totals(runtime, number: str) -> dict[str, Decimal]:
    with runtime.sessions() as s:
        job = job_by_number(s, number)
        return {name: Decimal(str(getattr(job, name))) for name in TOTALS}


@pytest.mark.parametrize("values", [
    {"received_weight": Decimal(16)},  # 1 g more received, pending left: the sum is 41 g
    {"pending_weight": Decimal("24.5")},  # half a gram gone from the sum
    {"issued_weight": Decimal(50)},  # more issued than the buckets hold
    {"received_pieces": 4},  # a piece more received, pending left
    {"received_weight": Decimal(41), "pending_weight": Decimal(-1)},  # sums, pending < 0
    {"received_pieces": 9, "pending_pieces": -1},  # sums, pending < 0
    {"rejected_weight": Decimal(-2), "pending_weight": Decimal(27)},  # sums, bucket < 0
], ids=["received-g", "pending-g", "issued-g", "received-pcs", "pending-below-0-g",
        "pending-below-0-pcs", "bucket-below-0-g"])
def test_a_bad_total_written_straight_to_the_job_row_is_refused(runtime, number, values):
    before = totals(runtime, number)
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.execute(update(Job).where(Job.number == number).values(**values))
    assert totals(runtime, number) == before


def test_totals_moved_between_buckets_that_still_balance_are_kept(runtime, number):
    # 2 g of the received weight recorded as waste instead: the sum and every bucket hold.
    with runtime.transaction() as s:
        s.execute(update(Job).where(Job.number == number).values(
            received_weight=Decimal(13), waste_weight=Decimal(2)))
    after = totals(runtime, number)
    assert (after["received_weight"], after["waste_weight"], after["pending_weight"]) == \
        (Decimal(13), Decimal(2), Decimal(25))
