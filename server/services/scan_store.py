"""The scan hot path's SQL, in SQLAlchemy Core: a handful of statements per scan.

The ORM version of this path cost ~7 ms of CPU per scan; these statements cost well under
two, which is what lets one process take hundreds of scans a second.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Table,
    bindparam,
    case,
    func,
    insert,
    null,
    select,
    update,
)

from ..domain.batches import Action, BatchState, ScanDecision
from ..domain.runs import LIVE, UNFINISHED, RunStatus, status_from
from ..models import (
    Batch,
    Item,
    Operation,
    ProductionRun,
    RoutingStep,
    ScanEvent,
    Station,
    StepExecution,
)
from ..models.base import literals
from .driver_sql import Prepared
from .driver_sql import execute as run

B, R, I_, S = (cast(Table, m.__table__) for m in (Batch, ProductionRun, Item, Station))
E, X, RS, OP = (cast(Table, m.__table__) for m in (ScanEvent, StepExecution, RoutingStep,
                                                   Operation))
ZERO = Decimal(0)

# A routing version never changes once saved (an edit saves a new version), so each
# process keeps them by version id, per database engine.
_routings: weakref.WeakKeyDictionary[Engine, dict[int, list[tuple[int, str]]]] = \
    weakref.WeakKeyDictionary()
_stations: weakref.WeakKeyDictionary[Engine, dict[int, StationRow]] = \
    weakref.WeakKeyDictionary()


# Built once: constructing statements per scan cost more CPU than running them; and run on
# the driver (driver_sql), as SQLAlchemy's dispatch cost more than the database's work.
STATION = Prepared(select(S.c.id, S.c.name, OP.c.code, S.c.scan_mode)
                   .join(OP, OP.c.id == S.c.operation_id).where(S.c.id == bindparam("id")))
FIRST = Prepared(select(E.c.station_id, E.c.result)
                 .where(E.c.event_id == bindparam("event_id")))
BATCH = Prepared(select(B.c.id, B.c.code, B.c.state, B.c.step_index, B.c.quantity, B.c.unit,
                B.c.last_scan_at, B.c.last_station_id, B.c.version, B.c.item_id,
                B.c.routing_id, B.c.run_id,
                R.c.number.label("run"), R.c.status.label("run_status"),
                I_.c.sku.label("item"),
                select(S.c.enabled).where(S.c.id == bindparam("station_id"))
                .scalar_subquery().label("station_enabled"),
                select(S.c.token_hash).where(S.c.id == bindparam("station_id"))
                .scalar_subquery().label("station_token"))
         .join(R, R.c.id == B.c.run_id).join(I_, I_.c.id == B.c.item_id)
         .where(B.c.code == bindparam("code")).with_for_update(of=B))
ROUTING = Prepared(select(RS.c.id, OP.c.code).join(OP, OP.c.id == RS.c.operation_id)
           .where(RS.c.routing_id == bindparam("routing_id")).order_by(RS.c.position))
NEW_EXECUTION = Prepared(insert(X))
CLOSE_EXECUTION = Prepared(update(X).where(X.c.batch_id == bindparam("b_id"),
                                   X.c.position == bindparam("b_position"),
                                   X.c.finished_at.is_(None))
                   .values(finished_at=bindparam("now"), quantity_good=X.c.quantity_in,
                           finished_by=bindparam("b_operator")))
MOVE_BATCH = Prepared(update(B).where(B.c.id == bindparam("b_id"),
                                      B.c.version == bindparam("b_version"))
              .values(state=bindparam("state"), step_index=bindparam("step_index"),
                      last_scan_at=bindparam("at"), updated_at=bindparam("now"),
                      last_station_id=bindparam("station_id"), version=bindparam("new_version")))
# How many of a run's batches are live and still unfinished: what the run-status rule
# (server.domain.runs.status_from) decides on, counted by the domain's groups.
COUNT_BATCHES = Prepared(select(*(func.coalesce(func.sum(case((B.c.state.in_(literals(group)), 1),
                                                              else_=0)), 0)
                                  for group in (LIVE, UNFINISHED)))
                         .where(B.c.run_id == bindparam("run_id")))
NEW_EVENT = Prepared(insert(E))


def _while_open(status: RunStatus) -> RunStatus:
    """Return the rule's status for a scanned run with a batch still to finish."""
    return status_from(status, live=1, unfinished=1, scanned=True)


# Every scan moves a batch that was open, so the rule's answer for "a batch still to finish"
# (tabulated from the domain: pending starts) holds until the moved batch finishes.
_WHILE_OPEN = {s: _while_open(s) for s in RunStatus if _while_open(s) is not s}
_REOPENED = [s for s in _WHILE_OPEN if s is RunStatus.COMPLETED]
# One statement bumps the run's version, applies that answer, and (being an UPDATE) locks
# its row until commit. A backlog may arrive in any order, so started_at keeps the earliest
# scan time seen (LEAST, spelled as a CASE that SQLite and PostgreSQL both read).
_AT = bindparam("now", type_=R.c.started_at.type)
ADVANCE_RUN = Prepared(update(R).where(R.c.id == bindparam("r_id"))
               .values(version=R.c.version + 1,
                       status=case(*((R.c.status == literals([s])[0], literals([t])[0])
                                     for s, t in _WHILE_OPEN.items()), else_=R.c.status),
                       started_at=case((R.c.started_at.is_(None), _AT),
                                       (R.c.started_at > _AT, _AT), else_=R.c.started_at),
                       **({"completed_at": case((R.c.status.in_(literals(_REOPENED)), null()),
                                                else_=R.c.completed_at)} if _REOPENED else {}))
               .returning(R.c.status))
# completed_at is the latest scan that moved any of the run's batches, whichever came last:
# every accepted scan's time is an execution's start or finish.
_RUN_EXECUTIONS = X.c.batch_id.in_(select(B.c.id).where(B.c.run_id == bindparam("r_id")))
LATEST_SCAN = Prepared(select(func.max(case((X.c.finished_at > X.c.started_at, X.c.finished_at),
                                            else_=X.c.started_at))).where(_RUN_EXECUTIONS))
SET_RUN_STATUS = Prepared(update(R).where(R.c.id == bindparam("r_id"))
                  .values(status=bindparam("status"), completed_at=bindparam("completed_at")))


@dataclass(frozen=True, slots=True)
class StationRow:
    id: int
    name: str
    operation: str
    scan_mode: str


def load_station(session: Connection, station_id: int) -> StationRow:
    """Return a station's name, operation and mode (fixed once created, so kept per process);
    whether it is enabled is read with each scan's batch."""
    cache = _stations.setdefault(session.engine, {})
    if station_id not in cache:
        cache[station_id] = StationRow(*run(session, STATION, {"id": station_id}).one())
    return cache[station_id]


def first_result(session: Connection, event_id: str) -> tuple[int | None, dict[str, Any]] | None:
    """Return (station id, ack) of an event already stored, or None."""
    row = run(session, FIRST, {"event_id": event_id}).first()
    return (row[0], row[1]) if row else None


def load_batch(session: Connection, code: str, station_id: int) -> Any:
    """Read the batch with its run and item, locking the batch row until commit."""
    return run(session, BATCH, {"code": code, "station_id": station_id}).first()


def routing(session: Connection, routing_id: int) -> list[tuple[int, str]]:
    """Return (routing step id, operation code) per position of a routing version."""
    cache = _routings.setdefault(session.engine, {})
    if routing_id not in cache:
        cache[routing_id] = [(r[0], r[1]) for r in
                             run(session, ROUTING, {"routing_id": routing_id}).all()]
    return cache[routing_id]


def apply(session: Connection, batch: Row[Any], steps: list[tuple[int, str]], station: StationRow,
          decision: ScanDecision, operator: str | None, at: datetime, now: datetime) -> str:
    """Write the transition: step execution, batch, run. Return the run's status after.

    at is when the station scanned (a resent backlog keeps its real cycle times); now is
    when the server took it.
    """
    assert decision.step_index is not None and decision.state is not None
    step_id = steps[decision.step_index][0]
    opened = decision.action is Action.START
    closed = None if opened else _close_open_execution(session, batch, decision.step_index, at,
                                                       operator)
    if not closed:
        run(session, NEW_EXECUTION, {
            "batch_id": batch.id, "step_id": step_id, "position": decision.step_index,
            "station_id": station.id, "operator": operator, "started_at": at,
            "finished_by": None if opened else operator,
            "finished_at": None if opened else at, "quantity_in": batch.quantity,
            "quantity_good": None if opened else batch.quantity, "quantity_rejected": ZERO,
            "quantity_scrapped": ZERO, "quantity_waste": ZERO})
    done = run(session, MOVE_BATCH, {
        "b_id": batch.id, "b_version": batch.version, "state": decision.state.value,
        "step_index": decision.next_step_index, "at": at, "now": now,
        "station_id": station.id, "new_version": batch.version + 1})
    assert done.rowcount == 1, "batch changed under its row lock"
    return _advance_run(session, batch, decision.state, at)


def _close_open_execution(session: Connection, batch: Row[Any], position: int, now: datetime,
                          operator: str | None) -> bool:
    if batch.state != BatchState.IN_PROCESS.value:
        return False  # only a toggle start leaves an execution open
    result = run(session, CLOSE_EXECUTION, {"b_id": batch.id, "b_position": position,
                                               "now": now, "b_operator": operator})
    return bool(result.rowcount)


def _advance_run(session: Connection, batch: Row[Any], state: BatchState | None,
                 now: datetime) -> str:
    # Lock the run before counting its batches: two stations finishing a run's last two
    # batches at once would otherwise each still see the other's batch as open. The count
    # then runs after the lock, in a fresh snapshot (READ COMMITTED).
    status = RunStatus(run(session, ADVANCE_RUN, {"r_id": batch.run_id, "now": now})
                       .one()[0])
    if state in UNFINISHED:
        return status.value  # the moved batch is still to finish: ADVANCE_RUN's answer holds
    live, unfinished = run(session, COUNT_BATCHES, {"run_id": batch.run_id}).one()
    after = status_from(status, live=live, unfinished=unfinished, scanned=True)
    if after is not status:
        # This scan's execution is already written, so the latest includes it.
        latest = (run(session, LATEST_SCAN, {"r_id": batch.run_id}).scalar() or now
                  if after is RunStatus.COMPLETED else None)
        run(session, SET_RUN_STATUS, {"r_id": batch.run_id, "status": after.value,
                                         "completed_at": latest})
    return after.value


def store_event(session: Connection, **values: Any) -> None:
    run(session, NEW_EVENT, values)
