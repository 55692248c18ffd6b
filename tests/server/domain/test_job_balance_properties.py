"""Hypothesis: random issue lines and receipt sequences in mixed units keep the job balance.

issued = received + rejected + scrapped + waste + pending holds after every accepted receipt,
in pieces and in weight, with pending never below zero; a receipt that would pass pending is
refused naming the bucket and exactly how much it is over; every amount is a Decimal or an
int, never a float. A second property runs a few sequences through the receipt service on
SQLite and PostgreSQL and checks the database's CHECKs agree with the domain: what the
domain takes the database stores, what it refuses the database refuses too.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from server.domain.errors import QuantityError
from server.domain.jobs import (
    Bucket,
    JobBalanceError,
    job_balance,
    job_pieces,
    job_weight,
)
from server.domain.measures import Measure
from server.domain.quantities import Dimension, Quantity
from server.models import Job
from server.services import job_receipts
from server.services.job_records import job_by_number
from tests.support.job_plant import OPERATOR, issued_job, jewellery_plant

# The oracle's own conversion table (grams per unit), written out apart from the code's and
# keyed by what a person types: "oz t" is the troy ounce (31.1034768 g by definition).
GRAMS = {"g": Decimal(1), "kg": Decimal(1000), "mg": Decimal("0.001"), "ct": Decimal("0.2"),
         "oz t": Decimal("31.1034768")}
BUCKETS = list(Bucket)  # received, rejected, scrapped, waste: the order refusals are checked


def amounts(max_milli: int):
    """A weight as (amount, unit): up to max_milli thousandths of the unit, three places."""
    return st.tuples(st.integers(0, max_milli).map(lambda n: Decimal(n).scaleb(-3)),
                     st.sampled_from(sorted(GRAMS)))


issue_lines = st.lists(st.tuples(st.integers(0, 500), amounts(400_000)), min_size=1,
                       max_size=4)
# One receipt: per bucket, maybe some pieces and a weight (often small, sometimes too much).
receipt = st.dictionaries(st.sampled_from(BUCKETS),
                          st.tuples(st.integers(0, 200), amounts(120_000)), min_size=1)
receipts = st.lists(receipt, min_size=1, max_size=8)


def grams(amount: Decimal, unit: str) -> Decimal:
    return amount * GRAMS[unit]


def measure(pieces: int, weight: tuple[Decimal, str]) -> Measure:
    """Build a measure as an input is read: the unit by the name typed ("oz t" too)."""
    return Measure.of(pieces=pieces, weight=Quantity.of(weight[0], weight[1]))


def assert_exact(balance) -> None:
    """Every amount the balance holds is a Decimal (pieces whole), none a float."""
    for m in [balance.issued, balance.pending, *balance.buckets.values()]:
        for q in m:
            assert type(q.amount) is Decimal, q
            if q.dimension is Dimension.COUNT:
                assert q.amount == int(q.amount)
    for dim in (Dimension.COUNT, Dimension.MASS):
        assert all(type(v) is Decimal for v in balance.amounts(dim).values())


def first_over(issued: tuple[int, Decimal], totals: dict[Bucket, list]
               ) -> tuple[Bucket, dict[str, Decimal]] | None:
    """The oracle: the first bucket whose running sum passes what was issued, and by how
    much in each dimension that passes (pcs, g)."""
    running = [0, Decimal(0)]
    for bucket in BUCKETS:
        pieces, weight = totals.get(bucket, [0, Decimal(0)])
        running = [running[0] + pieces, running[1] + weight]
        over = {}
        if running[0] > issued[0]:
            over["pcs"] = Decimal(running[0] - issued[0])
        if running[1] > issued[1]:
            over["g"] = running[1] - issued[1]
        if over:
            return bucket, over
    return None


@settings(max_examples=300, deadline=None)
@given(issue_lines, receipts)
def test_the_balance_holds_after_every_accepted_receipt_and_refusals_name_the_excess(
        lines, sequence):
    issued = Measure()
    for pieces, weight in lines:
        issued = issued + measure(pieces, weight)
    issued_exact = (sum(p for p, _ in lines), sum(grams(*w) for _, w in lines))
    accepted: dict[Bucket, Measure] = {}
    totals: dict[Bucket, list] = {}  # the oracle's: pieces and grams per bucket
    for rec in sequence:
        tried = dict(accepted)
        tried_totals = {b: list(v) for b, v in totals.items()}
        for bucket, (pieces, weight) in rec.items():
            tried[bucket] = tried.get(bucket, Measure()) + measure(pieces, weight)
            got = tried_totals.setdefault(bucket, [0, Decimal(0)])
            got[0] += pieces
            got[1] += grams(*weight)
        expected = first_over(issued_exact, tried_totals)
        try:
            result = job_balance(issued, tried)
        except JobBalanceError as err:
            assert expected is not None, "refused a receipt that fits"
            bucket, over = expected
            assert err.detail["bucket"] == bucket.value
            unit = err.detail["unit"]
            assert unit in over, (err.detail, over)
            assert Decimal(err.detail["over"]) == over[unit]
            assert isinstance(err.detail["over"], str)  # text, exact, never a float
            event("refused")
            continue  # refused: the job stays as it was
        assert expected is None, f"took a receipt over pending in {expected}"
        event("accepted")
        accepted, totals = tried, tried_totals
        assert_exact(result)
        pieces = result.amounts(Dimension.COUNT)
        weight = result.amounts(Dimension.MASS)
        for dim, amounts_, exact in ((Dimension.COUNT, pieces, issued_exact[0]),
                                     (Dimension.MASS, weight, issued_exact[1])):
            if dim not in issued.base():
                continue
            assert amounts_["issued"] == exact
            assert amounts_["issued"] == sum(amounts_[b.value] for b in BUCKETS) + \
                amounts_["pending"]
            assert amounts_["pending"] >= 0
        assert weight["pending"] == issued_exact[1] - sum(t[1] for t in totals.values())


fractional = st.tuples(st.integers(0, 10_000), st.integers(1, 999)).map(
    lambda t: Decimal(t[0]) + Decimal(t[1]).scaleb(-3))


@given(st.one_of(st.floats(allow_nan=True), fractional, fractional.map(str)))
def test_pieces_are_whole_numbers_and_never_floats(value):
    with pytest.raises(QuantityError):
        job_pieces(value)


@given(st.floats(min_value=0, max_value=1000))
def test_a_float_weight_is_refused(value):
    with pytest.raises(QuantityError):
        job_weight(value, "g")


# --- the service and the database's CHECKs ---------------------------------------------------

# Units whose three places land on whole micrograms, the SQLite weight check's resolution.
SERVICE_UNITS = ["g", "kg", "ct"]
service_rows = st.lists(st.fixed_dictionaries({
    "pieces": st.integers(0, 6),
    "weight": st.integers(1, 30_000).map(lambda n: Decimal(n).scaleb(-3)),
    "unit": st.sampled_from(SERVICE_UNITS),
    "scrap": st.one_of(st.none(), st.integers(1, 5_000).map(lambda n: Decimal(n).scaleb(-3))),
    "waste": st.one_of(st.none(), st.integers(1, 5_000).map(lambda n: Decimal(n).scaleb(-3))),
}), min_size=1, max_size=6)


def totals_of(job: Job) -> dict[str, object]:
    return {f"{b}_{d}": getattr(job, f"{b}_{d}")
            for b in ("issued", "received", "rejected", "scrapped", "waste", "pending")
            for d in ("pieces", "weight")}


@pytest.fixture
def gold_plant(runtime):
    with runtime.transaction() as s:
        jewellery_plant(s)
    return runtime


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=service_rows)
def test_the_database_checks_agree_with_the_domain(gold_plant, rows):
    rt = gold_plant
    with rt.transaction() as s:
        number = issued_job(s, "40", 12)
    for r in rows:
        spec = job_receipts.ReceiptSpec(location="STORES", rows=[job_receipts.Row(
            output_type="finished", item="RING", pieces=r["pieces"], weight=r["weight"],
            unit=r["unit"], waste_weight=r["waste"], waste_unit="g" if r["waste"] else None,
            scrap=job_receipts.Part(weight=r["scrap"], unit="g") if r["scrap"] else None)])
        with rt.sessions() as s:
            before = totals_of(job_by_number(s, number))
        try:
            with rt.transaction() as s:
                job_receipts.receive(s, OPERATOR, number, spec)
        except JobBalanceError as err:
            # The domain refused: the totals it would have stored break a database CHECK too.
            with rt.sessions() as s:
                assert totals_of(job_by_number(s, number)) == before
            dim = "pieces" if err.detail["unit"] == "pcs" else "weight"
            over = Decimal(err.detail["over"])
            bucket, pending = f"{err.detail['bucket']}_{dim}", f"pending_{dim}"
            # Write the bucket it asked for, pending made up to keep the sum: pending < 0.
            grown = Decimal(str(before[bucket])) + Decimal(str(before[pending])) + over
            forced = {bucket: int(grown) if dim == "pieces" else grown,
                      pending: -int(over) if dim == "pieces" else -over}
            event(f"refused in {dim}")
            with pytest.raises(IntegrityError), rt.transaction() as s:
                s.execute(update(Job).where(Job.number == number).values(**forced))
            continue
        with rt.sessions() as s:
            job = job_by_number(s, number)
            after = totals_of(job)
        # What the domain took the database holds: it adds up, nothing is negative.
        for dim in ("pieces", "weight"):
            parts = sum(Decimal(str(after[f"{b}_{dim}"])) for b in
                        ("received", "rejected", "scrapped", "waste", "pending"))
            assert abs(Decimal(str(after[f"issued_{dim}"])) - parts) < Decimal("0.000001")
            assert Decimal(str(after[f"pending_{dim}"])) >= 0
        assert type(after["pending_pieces"]) is int
        assert type(after["pending_weight"]) is Decimal
        event("accepted")
