"""The scan path's SQL decides a run's status by the same rule as the domain."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from server.domain.batches import BatchState
from server.domain.runs import BatchProgress, RunStatus, next_status
from server.models import Batch, Item, ProductionRun, Routing
from server.services import catalog, scan_store
from server.services.actors import SYSTEM

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
RULE = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@RULE
@given(current=st.sampled_from(RunStatus), moved=st.sampled_from(BatchState),
       others=st.lists(st.sampled_from(BatchState), max_size=6))
def test_the_sql_rule_agrees_with_next_status(runtime, current, moved, others):
    """Whatever the run's status and its batches' states, the scan's SQL lands where
    next_status says (the moved batch already in its new state, as after MOVE_BATCH)."""
    with runtime.transaction() as s:
        if s.scalar(select(Item.id)) is None:
            catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
            catalog.create_item(s, SYSTEM, sku="A", name="A", kind="finished", unit="kg",
                                routing=["CUT"])
    with runtime.engine.connect() as conn, conn.begin() as tx:
        item_id, routing_id = conn.execute(select(Item.id, Routing.id)
                                           .join(Routing, Routing.item_id == Item.id)).one()
        run_id = conn.execute(insert(ProductionRun).values(
            number="PR-2026-99999", status=current.value, notes="", created_at=NOW, version=0,
            completed_at=NOW if current is RunStatus.COMPLETED else None)
            .returning(ProductionRun.id)).scalar_one()
        conn.execute(insert(Batch), [
            {"code": f"B-2026-{900000 + i}", "run_id": run_id, "item_id": item_id,
             "routing_id": routing_id, "quantity": Decimal(1), "unit": "kg", "step_index": 0,
             "state": state.value, "created_at": NOW, "updated_at": NOW, "version": 0}
            for i, state in enumerate([moved, *others])])
        got = scan_store._advance_run(conn, SimpleNamespace(run_id=run_id), moved, NOW)
        status, completed_at = conn.execute(select(ProductionRun.status,
                                                   ProductionRun.completed_at)
                                            .where(ProductionRun.id == run_id)).one()
        tx.rollback()
    want = next_status(current, [BatchProgress(b, None, 1) for b in [moved, *others]],
                       scanned=True)
    assert got == status == want.value
    if want is RunStatus.COMPLETED:
        assert completed_at is not None
    elif want is not RunStatus.CANCELLED:
        assert completed_at is None
