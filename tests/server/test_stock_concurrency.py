"""Two stations issuing the last 5 kg of a lot at once: exactly one gets it, on each backend."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.domain.errors import StockError
from server.domain.quantities import Quantity
from server.models import StockMovement
from server.services import runs, stock
from server.services.actors import SYSTEM, Actor
from server.services.stock import Target
from tests.support.lines import cut_weld_line
from tests.support.stock import lot_of, store

ROUNDS = 8


@pytest.fixture
def run_number(runtime):
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s)
        return runs.create_run(s, SYSTEM, [runs.BatchSpec("F", Decimal(5), "pcs", 1)])["number"]


def race(runtime, number, run_number, asks):
    """Issue each ask from its own thread, released together; return the outcomes."""
    barrier = threading.Barrier(len(asks))
    outcomes: list[str] = []

    def station(i, qty):
        barrier.wait()
        try:
            with runtime.transaction() as s:
                stock.issue(s, number, Target("run", run_number), qty,
                            actor=Actor(f"station:s{i}", "station", station_id=i))
            outcomes.append("issued")
        except StockError as err:
            outcomes.append(err.code)

    threads = [threading.Thread(target=station, args=(i, q)) for i, q in enumerate(asks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_exactly_one_of_two_stations_gets_the_last_5_kg(runtime, run_number, round_):
    with runtime.transaction() as s:
        number = lot_of(s, 5).number
    five = Quantity.of(5, "kg")
    assert race(runtime, number, run_number, [five, five]) == ["insufficient_stock", "issued"]
    with runtime.sessions() as s:
        lot = stock.lot_by_number(s, number)
        assert (stock.on_hand(s, lot).amount, lot.status) == (0, "consumed")
        issues = s.scalar(select(func.count()).select_from(StockMovement)
                          .where(StockMovement.lot_id == lot.id,
                                 StockMovement.kind == "issue"))
        assert issues == 1


def test_four_stations_taking_2_kg_of_5_leave_1_and_never_go_below_zero(runtime, run_number):
    with runtime.transaction() as s:
        number = lot_of(s, 5).number
    two = Quantity.of(2, "kg")
    assert race(runtime, number, run_number, [two] * 4) == \
        ["insufficient_stock", "insufficient_stock", "issued", "issued"]
    with runtime.sessions() as s:
        assert stock.on_hand(s, stock.lot_by_number(s, number)) == Quantity.of(1, "kg")
