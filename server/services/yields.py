"""Step yields: what a finished step made of what came in (good, rejected, scrapped, waste)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.balance import StepYield
from ..domain.batches import CLOSED_STATES, BatchState
from ..domain.quantities import amount_of
from ..errors import Conflict, NotFound
from ..models import StepExecution
from . import audit
from .actors import Actor
from .batches import batch_by_code, batch_summary, execution_dict, scrap_batch


def record_yield(session: Session, actor: Actor, code: str, position: int, *, good: Decimal,
                 rejected: Decimal, scrapped: Decimal, waste: Decimal, reason: str = ""
                 ) -> dict[str, Any]:
    """Store the quantities of a batch's finished step; later steps start from `good`.

    A batch left with no good quantity stops flowing: it is scrapped, not scanned on.
    """
    actor.require("operator")
    batch = batch_by_code(session, code, lock=True)
    good, rejected, scrapped, waste = (
        amount_of(value, batch.unit, field=name).amount for name, value in
        (("good", good), ("rejected", rejected), ("scrapped", scrapped), ("waste", waste)))
    if BatchState(batch.state) in CLOSED_STATES - {BatchState.DONE}:
        # Its quantity now lives in the batches made from it; changing it would break the
        # genealogy's sums.
        raise Conflict(f"batch {code} is {batch.state}; record quantities on the batches "
                       "made from it", code="batch_closed", batch=code, state=batch.state)
    execution = session.scalar(
        select(StepExecution).where(StepExecution.batch_id == batch.id,
                                    StepExecution.position == position,
                                    StepExecution.finished_at.is_not(None),
                                    StepExecution.undone_at.is_(None))
        .order_by(StepExecution.id.desc()).limit(1))
    if execution is None:
        raise NotFound(f"batch {code} has no finished step at position {position}",
                       code="unknown_step", batch=code, position=position)
    if any(e.position > position and e.undone_at is None for e in batch.executions):
        raise Conflict("a later step has started; quantities of earlier steps are fixed",
                       code="step_not_last", batch=code, position=position)
    StepYield(execution.quantity_in, good, rejected, scrapped, waste, batch.unit).check()
    before = {"good": execution.quantity_good, "rejected": execution.quantity_rejected,
              "scrapped": execution.quantity_scrapped, "waste": execution.quantity_waste}
    execution.quantity_good, execution.quantity_rejected = good, rejected
    execution.quantity_scrapped, execution.quantity_waste = scrapped, waste
    batch.quantity = good
    batch.run.version += 1
    audit.record(session, actor, "step.quantities", "batch", code, reason=reason,
                 position=position, before=before, good=good, rejected=rejected,
                 scrapped=scrapped, waste=waste)
    session.flush()
    if good == 0 and BatchState(batch.state) not in CLOSED_STATES:
        scrap_batch(session, actor, code, reason or f"no good quantity left after "
                    f"{execution.step.operation.code}", action="batch.scrap")
    return {"batch": batch_summary(batch), "execution": execution_dict(execution)}
