"""The database refuses what the domain forbids, should anything slip past the domain."""

from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from server.models import Batch, ScanEvent, StepExecution
from server.services import catalog, runs
from server.services.actors import SYSTEM


@pytest.fixture
def batch_id(runtime):
    with runtime.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
        catalog.create_item(s, SYSTEM, sku="A", name="A", kind="finished", unit="kg",
                            routing=["CUT"])
        runs.create_run(s, SYSTEM, [runs.BatchSpec("A", Decimal(2), "kg", 1)])
        return s.scalar(select(Batch.id))


@pytest.mark.parametrize("values", [{"quantity": Decimal("-1")}, {"state": "teleported"}])
def test_a_batch_cannot_hold_a_negative_quantity_or_an_unknown_state(runtime, batch_id, values):
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.execute(update(Batch).where(Batch.id == batch_id).values(**values))


def test_a_scan_event_has_one_of_three_outcomes(runtime, batch_id):
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.add(ScanEvent(event_id="x", raw_code="x", outcome="maybe", result={}))


def test_step_quantities_cannot_be_negative(runtime, batch_id):
    from server.models import RoutingStep, utcnow
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        step = s.scalar(select(RoutingStep.id))
        s.add(StepExecution(batch_id=batch_id, step_id=step, position=0, started_at=utcnow(),
                            quantity_in=Decimal(2), quantity_waste=Decimal("-0.5")))


def test_a_sales_order_has_a_status_of_the_order_vocabulary(runtime):
    from server.models import Customer, SalesOrder
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.add(SalesOrder(number="SO-1", customer=Customer(code="C", name="C"), status="lost"))


def test_every_state_check_is_rendered_from_its_domain_enum():
    from server.domain.batches import BatchState
    from server.domain.orders import OrderStatus
    from server.domain.runs import RunStatus
    from server.models import Base
    from server.models.base import one_of
    checks = {(t.name, c.name): str(c.sqltext) for t in Base.metadata.tables.values()
              for c in t.constraints if c.name and str(c.name).startswith("ck_")}
    assert checks[("batches", "ck_batches_state")] == one_of("state", BatchState)
    assert checks[("production_runs", "ck_production_runs_status")] == one_of("status", RunStatus)
    assert checks[("sales_orders", "ck_sales_orders_status")] == one_of("status", OrderStatus)
