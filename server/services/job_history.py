"""A job's run history: the chain of jobs its material came through and went on to.

The genealogy walks of server.services.trace_walk (one recursive query each way) find every job
upstream (lot -issue-> job <- job -produce-> lot ...) and downstream of this one; each gets
one timeline entry, ordered by how many jobs lie between it and this one, with what was
issued into it, what came out by bucket, the lots it made and what was lost. Events are
this job's own: issued, each receipt, each change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain.attribution import Direction, depths
from ..domain.genealogy import NodeKind
from ..domain.job_efficiency import loss_rate
from ..domain.jobs import Bucket, JobStatus
from ..domain.quantities import amount_text
from ..errors import NotFound
from ..models.jobs import Job, JobReceipt
from .genealogy import find_node
from .job_filters import grams_text
from .job_stats import rate_text
from .trace_walk import walk_edges

CSV_COLUMNS = ["position", "stage", "stage_name", "job", "status", "from", "to", "inputs",
               "issued_pieces", "issued_weight", "received_pieces", "received_weight",
               "rejected_pieces", "rejected_weight", "scrapped_pieces", "scrapped_weight",
               "waste_pieces", "waste_weight", "pending_pieces", "pending_weight",
               "loss_weight", "loss_rate", "unit"]


def _chain(session: Session, number: str) -> dict[str, int]:
    """Return the jobs linked to this one through the graph, each with its position."""
    start = find_node(session, NodeKind.JOB, number)
    positions = {number: 0}
    if start is None:
        return positions
    for way, sign in ((Direction.BACK, -1), (Direction.FORWARD, 1)):
        walked = walk_edges(session, start.id, way)
        depth = depths(walked.flows, start.id, way)
        jobs = {n: code for n, (kind, code) in walked.nodes.items() if kind == NodeKind.JOB}
        # A job two edges away (job -> lot -> job) is the next stage: count jobs, not edges.
        ranked = sorted({depth[n] for n in jobs if n != start.id and n in depth})
        for node, code in jobs.items():
            if node != start.id and node in depth:
                positions.setdefault(code, sign * (ranked.index(depth[node]) + 1))
    return positions


def _job(session: Session, number: str) -> Job:
    job = session.scalar(select(Job).where(Job.number == number))
    if job is None:
        raise NotFound(f"no job {number!r}", code="unknown_job", field="number", value=number)
    return job


def _amount(job: Job, bucket: str) -> dict[str, Any]:
    return {"pieces": getattr(job, f"{bucket}_pieces"),
            "weight": grams_text(getattr(job, f"{bucket}_weight"))}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else amount_text(value)


def _entry(job: Job, position: int) -> dict[str, Any]:
    last = max((r.received_on for r in job.receipts), default=None)
    lost = Decimal(str(job.scrapped_weight)) + Decimal(str(job.waste_weight))
    return {
        "stage": {"code": job.stage.code, "name": job.stage.name}, "job": job.number,
        "status": job.status, "position": position, "from": job.issued_on.isoformat(),
        "to": last.isoformat() if last and job.status == JobStatus.COMPLETED else None,
        "unit": "g", "issued": _amount(job, "issued"), "pending": _amount(job, "pending"),
        "inputs": [{"lot": i.lot.number, "item": i.lot.item.sku,
                    "quantity": amount_text(i.quantity), "unit": i.unit, "pieces": i.pieces,
                    "weight": _text(i.weight), "weight_unit": i.weight_unit or None}
                   for i in job.issues],
        "outputs": {b.value: _amount(job, b.value) for b in Bucket},
        "losses": {"weight": grams_text(lost),
                   "rate": rate_text(loss_rate(Decimal(str(job.scrapped_weight)),
                                               Decimal(str(job.waste_weight)),
                                               Decimal(str(job.issued_weight))))},
        "made": [{"lot": row.lot.number if row.lot else None, "bucket": row.bucket,
                  "item": row.item.sku if row.item else None, "pieces": row.pieces,
                  "weight": amount_text(row.weight), "unit": row.unit}
                 for receipt in job.receipts for row in receipt.rows],
    }


def _events(job: Job) -> list[dict[str, Any]]:
    lots = ", ".join(i.lot.number for i in job.issues)
    events = [{"at": job.created_at.isoformat(), "what": "issued", "by": job.created_by,
               "detail": lots}]
    events += [{"at": r.at.isoformat(), "what": "received", "by": r.created_by,
                "detail": f"receipt {r.seq} on {r.received_on.isoformat()}"}
               for r in job.receipts]
    events += [{"at": c.at.isoformat(), "what": "changed", "by": c.actor, "detail": c.reason}
               for c in job.changes]
    return sorted(events, key=lambda e: e["at"])


def history(session: Session, number: str) -> dict[str, Any]:
    """Return a job's timeline of stages (jobs up- and downstream) and its own events."""
    job = _job(session, number)
    positions = _chain(session, number)
    jobs = session.scalars(
        select(Job).where(Job.number.in_(list(positions)))
        .options(selectinload(Job.issues), selectinload(Job.receipts)
                 .selectinload(JobReceipt.rows), selectinload(Job.changes))).unique().all()
    ordered = sorted(jobs, key=lambda j: (positions[j.number], j.stage.position, j.number))
    return {"job": job.number, "timeline": [_entry(j, positions[j.number]) for j in ordered],
            "events": _events(job)}


def csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a history's timeline into one CSV row per stage."""
    rows = []
    for e in result["timeline"]:
        row: dict[str, Any] = {
            "position": e["position"], "stage": e["stage"]["code"],
            "stage_name": e["stage"]["name"], "job": e["job"], "status": e["status"],
            "from": e["from"], "to": e["to"], "unit": "g",
            "inputs": "; ".join(f"{i['lot']} {i['quantity']} {i['unit']}" for i in e["inputs"]),
            "loss_weight": e["losses"]["weight"], "loss_rate": e["losses"]["rate"]}
        for name in ("issued", *(b.value for b in Bucket), "pending"):
            part = e[name] if name in ("issued", "pending") else e["outputs"][name]
            row[f"{name}_pieces"], row[f"{name}_weight"] = part["pieces"], part["weight"]
        rows.append(row)
    return rows
