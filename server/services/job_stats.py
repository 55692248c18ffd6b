"""Efficiency per stage or per staff member: buckets, yield and rates, on time (domain rules).

One query reads each job's buckets, deadline and last receipt day; the domain's Tally sums
them and says which job kept its deadline, so the rule lives in one place.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.job_efficiency import Amounts, Tally, on_time
from ..domain.jobs import JobStatus, JobView
from ..models import User
from ..models.jobs import Job, JobReceipt, Stage
from .job_filters import conditions, grams_text

NO_STAFF = ""  # the key of jobs nobody is assigned to


def rate_text(value: Decimal | None) -> str | None:
    """Return a rate as text with its four places (0.9500), or None."""
    return None if value is None else f"{value:f}"


def stats(session: Session, *, by: str, first: date | None, last: date | None,
          today: date) -> dict[str, Any]:
    """Return one row per stage (or staff member) of the jobs issued first..last."""
    done = (select(JobReceipt.job_id, func.max(JobReceipt.received_on).label("last"))
            .group_by(JobReceipt.job_id).subquery())
    key = (Stage.code, Stage.name, Stage.position) if by == "stage" else \
        (User.username, User.display_name, User.username)
    stmt = (select(*key, Job.status, Job.deadline, done.c.last,
                   *(getattr(Job, f"{b}_pieces") for b in _NAMES),
                   *(getattr(Job, f"{b}_weight") for b in _NAMES))
            .join(Stage, Stage.id == Job.stage_id)
            .outerjoin(User, User.id == Job.assignee_id)
            .outerjoin(done, done.c.job_id == Job.id)
            .where(*conditions(view=JobView.ALL)))
    if first is not None:
        stmt = stmt.where(Job.issued_on >= first)
    if last is not None:
        stmt = stmt.where(Job.issued_on <= last)
    tallies: dict[tuple[Any, str, str], Tally] = defaultdict(Tally)
    for code, name, order, status, deadline, last_day, *amounts in session.execute(stmt):
        pieces = Amounts(*(Decimal(a) for a in amounts[:6]))
        weight = Amounts(*(Decimal(str(a)) for a in amounts[6:]))
        completed = status == JobStatus.COMPLETED
        tallies[(order or "", code or NO_STAFF, name or "")].add(
            pieces, weight, on_time(deadline, last_day, completed=completed, today=today))
    return {"by": by, "from": first.isoformat() if first else None,
            "to": last.isoformat() if last else None,
            "rows": [_row(code, name, t) for (_, code, name), t in sorted(tallies.items())]}


_NAMES = ("issued", "received", "rejected", "scrapped", "waste", "pending")


def _row(code: str, name: str, tally: Tally) -> dict[str, Any]:
    rates = tally.rates()
    return {
        "key": code, "name": name, "jobs": tally.jobs,
        "pieces": {b: str(int(getattr(tally.pieces, b))) for b in _NAMES},
        "weight": {b: grams_text(getattr(tally.weight, b)) for b in _NAMES}, "unit": "g",
        "basis": rates.basis, "yield": rate_text(rates.yield_),
        "rejection_rate": rate_text(rates.rejection), "scrap_rate": rate_text(rates.scrap),
        "waste_rate": rate_text(rates.waste), "on_time": tally.on_time, "late": tally.late,
        "on_time_share": rate_text(tally.on_time_share)}
