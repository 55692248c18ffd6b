"""What live screens show: snapshots of the plant, a run or a station, and stalled batches."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..domain.batches import FLOWING
from ..domain.runs import ACTIVE, RunStatus
from ..models import Batch, ProductionRun, ScanEvent, Station, StepExecution, utcnow
from ..models.base import values_of
from ..settings import Settings
from .batches import batch_summary, step_name
from .plant import station_by_name, station_dict
from .queue import queue_for
from .runs import run_by_number, run_detail
from .runs import run_summaries as summarise

RECENT_SCANS = 30


# Built once: every live flush asks for it.
_RUNS = select(ProductionRun).where(ProductionRun.number.in_(bindparam("numbers", expanding=True)))


def run_summaries(session: Session, numbers: list[str]) -> list[dict[str, Any]]:
    return summarise(session, list(session.scalars(_RUNS, {"numbers": numbers})))


def recent_scans(session: Session, *, station_id: int | None = None,
                 limit: int = RECENT_SCANS) -> list[dict[str, Any]]:
    stmt = select(ScanEvent).order_by(ScanEvent.id.desc()).limit(limit)
    if station_id is not None:
        stmt = stmt.where(ScanEvent.station_id == station_id)
    return [{**e.result, "code": e.raw_code[:200], "at": e.received_at.isoformat(),
             "operator": e.operator} for e in session.scalars(stmt)]


def snapshot(session: Session, room: str, settings: Settings) -> dict[str, Any]:
    """Return everything a screen in room needs to draw itself from scratch."""
    base: dict[str, Any] = {"room": room, "server_time": utcnow().isoformat()}
    if room == "plant":
        runs = session.scalars(select(ProductionRun)
                               .where(ProductionRun.status.in_(values_of(ACTIVE)))
                               .order_by(ProductionRun.id)).all()
        return {**base, "runs": summarise(session, list(runs)),
                "stations": [station_dict(s) for s in
                             session.scalars(select(Station).order_by(Station.name))],
                "recent_scans": recent_scans(session),
                "stalled": stalled_batches(session, settings)}
    kind, _, key = room.partition(":")
    if kind == "run":
        return {**base, "run": run_detail(session, run_by_number(session, key))}
    station = station_by_name(session, key)
    return {**base, "station": station_dict(station),
            "recent_scans": recent_scans(session, station_id=station.id, limit=10),
            "queue": queue_for(session, station)}


def typical_step_seconds(session: Session, limit: int = 500) -> dict[str, float]:
    """Return, per operation, the median time from a batch reaching a step to finishing it."""
    rows = session.scalars(select(StepExecution).where(StepExecution.finished_at.is_not(None),
                                                       StepExecution.undone_at.is_(None))
                           .order_by(StepExecution.id.desc()).limit(limit)).all()
    by_batch: dict[int, list[StepExecution]] = defaultdict(list)
    for row in rows:
        by_batch[row.batch_id].append(row)
    gaps: dict[str, list[float]] = defaultdict(list)
    for execs in by_batch.values():
        execs.sort(key=lambda e: e.position)
        for prev, cur in pairwise(execs):
            assert cur.finished_at is not None and prev.finished_at is not None
            gaps[cur.step.operation.code].append(
                (cur.finished_at - prev.finished_at).total_seconds())
    return {op: statistics.median(values) for op, values in gaps.items()}


def stalled_batches(session: Session, settings: Settings) -> list[dict[str, Any]]:
    """Open batches with no scan for much longer than their step usually takes."""
    typical = typical_step_seconds(session)
    now = utcnow()
    batches = session.scalars(select(Batch).join(Batch.run).where(
        ProductionRun.status == RunStatus.IN_PROGRESS.value,
        Batch.state.in_(values_of(FLOWING)))
    ).all()
    out = []
    for batch in batches:
        op = step_name(batch)
        since: datetime = batch.last_scan_at or batch.run.started_at or batch.created_at
        idle = (now - since).total_seconds()
        limit = max(settings.stall_min_seconds, settings.stall_factor * typical.get(op or "", 0))
        if op and idle > limit:
            out.append({**batch_summary(batch), "idle_seconds": round(idle),
                        "typical_seconds": round(typical.get(op, 0))})
    return sorted(out, key=lambda b: -b["idle_seconds"])[:50]
