"""Two packers at once: one serial onto two shipments, or a lot promised twice over. The
serial's and lot's row locks make the second wait and then find it taken: exactly one wins
(on each backend; PostgreSQL is the one where both really run at once)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from server.errors import FloorlineError
from server.models import ShipmentLine
from server.runtime import Runtime
from server.services import sales, shipment_lines, shipments
from server.services.actors import SYSTEM, Actor
from tests.conftest import make_settings
from tests.support.lines import cut_weld_line
from tests.support.serial_rows import make_serials
from tests.support.stock import lot_of, store

PACKER = Actor("packer", "operator")
ROUNDS = 3


@pytest.fixture
def floor(tmp_path, database_url):
    runtime = Runtime.start(make_settings(tmp_path, database_url, db_lock_wait_seconds=30))
    with runtime.transaction() as s:
        store(s)
        cut_weld_line(s)
        sales.create_customer(s, SYSTEM, code="ACME", name="Acme")
    yield runtime
    runtime.engine.dispose()


def race(runtime: Runtime, jobs: list[Callable[[object], object]]) -> list[str]:
    """Run each job in its own transaction and thread, released together; return outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def packer(job: Callable[[object], object]) -> None:
        barrier.wait()
        try:
            with runtime.transaction() as s:
                job(s)
            outcomes.append("packed")
        except FloorlineError as err:
            outcomes.append(err.code)
        except Exception as err:  # any other end fails the test, with its name
            outcomes.append(f"{type(err).__name__}: {err}")

    threads = [threading.Thread(target=packer, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


def two_shipments(runtime: Runtime) -> list[str]:
    with runtime.transaction() as s:
        return [shipments.create_shipment(s, SYSTEM, customer="ACME")["number"]
                for _ in range(2)]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_serial_packed_onto_two_shipments_at_once_goes_onto_one(floor, round_):
    with floor.transaction() as s:
        serial = make_serials(s, "F", 1, location="LINE")[0]
    numbers = two_shipments(floor)
    jobs = [lambda s, n=n: shipment_lines.add_line(s, PACKER, n, serial) for n in numbers]
    assert race(floor, jobs) == ["already_shipped", "packed"]
    with floor.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ShipmentLine)) == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_lot_promised_twice_over_at_once_is_promised_once(floor, round_):
    with floor.transaction() as s:
        lot = lot_of(s, 5).number
    numbers = two_shipments(floor)
    jobs = [lambda s, n=n: shipment_lines.add_line(s, PACKER, n, lot, quantity=Decimal(3))
            for n in numbers]
    assert race(floor, jobs) == ["more_than_on_hand", "packed"]
    with floor.sessions() as s:
        held = s.scalar(select(func.sum(ShipmentLine.quantity)))
        assert held == Decimal(3)
