"""A lot's label scanned at a station: issue the whole lot to the batch being worked there.

The station's current batch is the one in process whose last accepted scan was at this
station (the most recent, if several); at a station that completes a step with one scan,
where nothing stays in process, it is the batch last scanned there within the last
`lot_scan_minutes` (an operator scans the batch, then the material that went into it).
The issue runs in a savepoint of the scan's own transaction, so a refusal leaves nothing but
the rejected scan event; the scan event's unique event_id (and the movement's) make a resent
scan answer its first result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, case, or_, select
from sqlalchemy.orm import Session

from ..domain.batches import BatchState, Outcome, Reason
from ..domain.errors import DomainError
from ..domain.quantities import amount_text
from ..errors import FloorlineError
from ..models import Batch, ProductionRun, Station
from . import stock
from .actors import Actor

B, R, S = (cast(Table, m.__table__) for m in (Batch, ProductionRun, Station))
ISSUED = "issued"  # the transition an accepted lot scan reports

_IN_PROCESS = B.c.state == BatchState.IN_PROCESS.value
# A held, split, merged, scrapped or cancelled batch takes no material.
_TAKES = (BatchState.IN_PROCESS.value, BatchState.WAITING.value, BatchState.DONE.value)
CURRENT_BATCH = (select(B.c.id, B.c.code, R.c.number.label("run"))
                 .join(R, R.c.id == B.c.run_id)
                 .where(B.c.last_station_id == bindparam("station_id"), B.c.state.in_(_TAKES),
                        or_(_IN_PROCESS, B.c.last_scan_at >= bindparam("since")))
                 .order_by(case((_IN_PROCESS, 0), else_=1), B.c.last_scan_at.desc(),
                           B.c.id.desc()).limit(1))
STATION_STATE = select(S.c.enabled, S.c.token_hash).where(S.c.id == bindparam("station_id"))

# What the kiosk says for each refusal the stock service can give.
REASONS = {r.value: r for r in (Reason.INSUFFICIENT_STOCK, Reason.LOT_QUARANTINED,
                                Reason.LOT_EXPIRED, Reason.LOT_CONSUMED,
                                Reason.LOT_NOT_ISSUABLE)}
TEXT = {
    Reason.NO_BATCH_HERE: "No batch in process or just scanned at this station",
    Reason.INSUFFICIENT_STOCK: "Nothing left on hand in this lot",
    Reason.LOT_QUARANTINED: "Lot is quarantined",
    Reason.LOT_EXPIRED: "Lot has expired",
    Reason.LOT_CONSUMED: "Lot is used up",
    Reason.LOT_NOT_ISSUABLE: "Lot cannot be issued",
}


@dataclass(frozen=True, slots=True)
class LotScan:
    """What a lot scan did: accepted with the issue's fields, or a refusal reason."""

    outcome: Outcome
    reason: Reason | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def issue_here(conn: Connection, station_id: int, number: str, *, event_id: str,
               operator: str | None, station_name: str, at: datetime,
               token_hash: str | None, recent: timedelta = timedelta(minutes=15)) -> LotScan:
    """Issue the lot to the station's current batch, once; refuse with a reason."""
    enabled, token = conn.execute(STATION_STATE, {"station_id": station_id}).one()
    if token_hash is not None and token != token_hash:
        return LotScan(Outcome.REJECTED, Reason.NOT_AUTHORIZED)
    if not enabled:
        return LotScan(Outcome.REJECTED, Reason.STATION_DISABLED)
    batch = conn.execute(CURRENT_BATCH, {"station_id": station_id, "since": at - recent}).first()
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    try:
        lot = stock.lot_by_number(session, number)
    except FloorlineError:
        session.close()
        return LotScan(Outcome.REJECTED, Reason.UNKNOWN_CODE, {"lot": number})
    fields: dict[str, Any] = {"lot": lot.number, "item": lot.item.sku, "unit": lot.unit}
    if batch is None:
        session.close()
        return LotScan(Outcome.REJECTED, Reason.NO_BATCH_HERE, fields)
    fields.update(batch=batch.code, run=batch.run)
    actor = Actor(operator or f"station:{station_name}", "station", station_id=station_id)
    try:
        move = stock.issue(session, lot.number, stock.Target("batch", batch.code), None,
                           actor=actor, at=at, event_id=event_id)
        fields["quantity"] = amount_text(-move.quantity)
        session.commit()  # releases the savepoint; the scan's transaction commits it all
    except (DomainError, FloorlineError) as err:
        session.rollback()
        return LotScan(Outcome.REJECTED, REASONS.get(err.code, Reason.LOT_NOT_ISSUABLE),
                       fields)
    finally:
        session.close()
    return LotScan(Outcome.ACCEPTED, None, fields)
