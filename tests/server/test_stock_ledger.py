"""Random sequences of stock changes: on hand is always the ledger's sum and never below 0."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.domain.errors import DomainError
from server.domain.quantities import Quantity
from server.errors import FloorlineError
from server.models import StockMovement
from server.services import runs, stock
from server.services.actors import SYSTEM
from server.services.stock import Target
from tests.support.lines import cut_weld_line
from tests.support.stock import lot_of, store

AMOUNTS = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(8), places=3)
UNITS = st.sampled_from(["kg", "g", "lb"])
STEPS = st.lists(st.tuples(st.sampled_from(["issue", "adjust", "scrap", "issue_all"]),
                           AMOUNTS, UNITS, st.booleans()), min_size=1, max_size=12)


@pytest.fixture
def run_number(sqlite_url, tmp_path):
    from server.runtime import Runtime
    from tests.conftest import make_settings
    rt = Runtime.start(make_settings(tmp_path, sqlite_url))
    with rt.transaction() as s:
        store(s)
        cut_weld_line(s)
        number = runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])["number"]
    yield rt, number
    rt.engine.dispose()


def apply(s, lot, run, step):
    kind, amount, unit, negative = step
    qty = Quantity.of(amount, unit)
    if kind == "issue":
        stock.issue(s, lot, Target("run", run), qty, actor=SYSTEM)
    elif kind == "issue_all":
        stock.issue(s, lot, Target("run", run), actor=SYSTEM)
    elif kind == "adjust":
        signed = Quantity.of(-amount if negative else amount, unit)
        stock.adjust(s, lot, signed, reason="count", actor=SYSTEM)
    else:
        stock.scrap(s, lot, qty, reason="damaged", actor=SYSTEM)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=AMOUNTS, steps=STEPS)
def test_on_hand_is_the_ledger_sum_and_never_negative(run_number, start, steps):
    rt, run = run_number
    with rt.transaction() as s:
        lot = lot_of(s, start).number
    expected = start
    for step in steps:
        try:
            with rt.transaction() as s:
                apply(s, lot, run, step)
        except (DomainError, FloorlineError):
            pass  # refused: nothing may have changed
        else:
            kind, amount, unit, negative = step
            change = Quantity.of(amount, unit).to("kg").amount
            expected += {"issue": -change, "scrap": -change, "issue_all": -expected,
                         "adjust": -change if negative else change}[kind]
        with rt.sessions() as s:
            row = stock.lot_by_number(s, lot)
            held = stock.on_hand(s, row).amount
            ledger = s.scalar(select(func.sum(StockMovement.quantity))
                              .where(StockMovement.lot_id == row.id))
            assert held == ledger == expected
            assert held >= 0
            assert (row.status == "consumed") == (held == 0)
