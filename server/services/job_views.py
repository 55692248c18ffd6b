"""The production list: jobs of a view, a stage and a search, a page at a time, and its summary.

A page is one count over the view's conditions, one query for the page's ids (from the
nearer end, over the (status, id) index), one for their rows (newest first, by id: stable
however jobs are added) and one for the products of the page's jobs. The
summary is one grouped query (stage x status x scheduled) from which the counts of every
view, the weights, the loss rate and the stage x status overview all follow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, func, select, type_coerce
from sqlalchemy.orm import Session

from ..domain.job_efficiency import loss_rate
from ..domain.jobs import JobStatus, JobView, in_view
from ..models import Item, Lot, SalesOrder, User
from ..models.jobs import Job, JobIssue, JobItem, Stage
from .job_filters import SCHEDULED, conditions, grams_text

CSV_COLUMNS = ["number", "stage", "stage_name", "product", "product_name", "staff",
               "staff_name", "status", "issued_type", "shape", "size", "issued_weight",
               "pending_weight", "unit", "issued_pieces", "pending_pieces", "deadline",
               "issued_on", "order"]
_ROW = (Job.id, Job.number, Stage.code, Stage.name, User.username, User.display_name,
        Job.status, Job.shape, Job.size, Job.issued_weight, Job.pending_weight,
        Job.issued_pieces, Job.pending_pieces, Job.deadline, Job.issued_on, SalesOrder.number)


def _page_ids(session: Session, where: list[Any], limit: int, offset: int, total: int
              ) -> list[int]:
    """Return the ids of one page, newest first: ids alone (no joins for the skipped rows),
    and a page past the middle counted from the oldest end, so no page skips more than
    half the jobs."""
    if offset * 2 <= total:
        return list(session.scalars(select(Job.id).where(*where).order_by(Job.id.desc())
                                    .limit(limit).offset(offset)))
    from_end = max(total - offset - limit, 0)
    size = min(limit, total - offset)
    ids = list(session.scalars(select(Job.id).where(*where).order_by(Job.id.asc())
                               .limit(size).offset(from_end)))
    return ids[::-1]


def _page_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Return the list rows of these jobs, newest first."""
    if not ids:
        return []
    stmt = (select(*_ROW).join(Stage, Stage.id == Job.stage_id)
            .outerjoin(User, User.id == Job.assignee_id)
            .outerjoin(SalesOrder, SalesOrder.id == Job.order_id)
            .where(Job.id.in_(ids)).order_by(Job.id.desc()))
    rows = session.execute(stmt).all()
    products = _products(session, [r[0] for r in rows])
    out = []
    for (job_id, number, stage, stage_name, username, name, status, shape, size, issued_w,
         pending_w, issued_p, pending_p, deadline, issued_on, order) in rows:
        product, product_name, kinds = products.get(job_id, ("", "", ""))
        out.append({
            "number": number, "stage": {"code": stage, "name": stage_name},
            "product": product, "product_name": product_name,
            "staff": None if username is None else {"username": username, "name": name},
            "status": status, "issued_type": kinds, "shape": shape, "size": size,
            "issued_weight": grams_text(issued_w), "pending_weight": grams_text(pending_w),
            "unit": "g", "issued_pieces": issued_p, "pending_pieces": pending_p,
            "deadline": deadline.isoformat() if deadline else None,
            "issued_on": issued_on.isoformat(), "order": order})
    return out


def _products(session: Session, job_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """Return per job its products (job items, else issued items) and issued item kinds."""
    if not job_ids:
        return {}
    asked: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for job_id, sku, name in session.execute(
            select(JobItem.job_id, Item.sku, Item.name).join(Item, Item.id == JobItem.item_id)
            .where(JobItem.job_id.in_(job_ids)).order_by(JobItem.id)):
        asked[job_id].append((sku, name))
    issued: dict[int, list[tuple[str, str]]] = defaultdict(list)
    kinds: dict[int, list[str]] = defaultdict(list)
    for job_id, sku, name, kind in session.execute(
            select(JobIssue.job_id, Item.sku, Item.name, Item.kind)
            .join(Lot, Lot.id == JobIssue.lot_id).join(Item, Item.id == Lot.item_id)
            .where(JobIssue.job_id.in_(job_ids)).order_by(JobIssue.id)):
        issued[job_id].append((sku, name))
        kinds[job_id].append(kind)
    out = {}
    for job_id in job_ids:
        products = list(dict.fromkeys(asked.get(job_id) or issued.get(job_id, [])))
        out[job_id] = (", ".join(p[0] for p in products), ", ".join(p[1] for p in products),
                       ", ".join(dict.fromkeys(kinds.get(job_id, []))))
    return out


def list_jobs(session: Session, *, view: JobView = JobView.ALL, stage: str = "", q: str = "",
              page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """Return one page of the jobs of a view, newest first, with the total and page count."""
    where = conditions(view=view, stage=stage, q=q)
    total = session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    offset = (page - 1) * per_page
    jobs = _page_rows(session, _page_ids(session, where, per_page, offset, total)) \
        if offset < total else []
    return {"jobs": jobs, "total": total, "page": page, "per_page": per_page,
            "pages": max(1, -(-total // per_page))}


def export_rows(session: Session, *, view: JobView = JobView.ALL, stage: str = "",
                q: str = "", chunk: int = 1000) -> Iterator[dict[str, Any]]:
    """Yield every job of a view as a flat CSV row, newest first, a chunk at a time."""
    where = conditions(view=view, stage=stage, q=q)
    before: int | None = None  # keyset: each chunk starts below the last id given
    while True:
        ids = list(session.scalars(
            select(Job.id).where(*where, *([Job.id < before] if before is not None else []))
            .order_by(Job.id.desc()).limit(chunk)))
        rows = _page_rows(session, ids)
        for row in rows:
            staff = row["staff"] or {"username": "", "name": ""}
            yield {**row, "stage": row["stage"]["code"], "stage_name": row["stage"]["name"],
                   "staff": staff["username"], "staff_name": staff["name"]}
        if len(ids) < chunk:
            return
        before = ids[-1]


def _grams(column: Any) -> Any:
    return type_coerce(func.coalesce(func.sum(column), 0), Numeric(38, 15, asdecimal=True))


def summary(session: Session, *, view: JobView = JobView.ALL, stage: str = "", q: str = ""
            ) -> dict[str, Any]:
    """Return the counts of every view, the view's weights and loss rate, and its stage x
    status overview (stage and search apply to all of it, the view to all but the counts)."""
    stmt = (select(Stage.code, Stage.name, Stage.position, Job.status,
                   SCHEDULED.label("scheduled"), func.count(),
                   _grams(Job.issued_weight), _grams(Job.pending_weight),
                   _grams(Job.scrapped_weight), _grams(Job.waste_weight))
            .join(Stage, Stage.id == Job.stage_id)
            .where(*conditions(view=None, stage=stage, q=q))
            .group_by(Stage.code, Stage.name, Stage.position, Job.status, SCHEDULED))
    counts = dict.fromkeys((v.value for v in JobView), 0)
    sums = [Decimal(0)] * 4
    jobs = 0
    overview: dict[tuple[int, str, str, str], int] = defaultdict(int)
    for code, name, position, status, scheduled, count, *weights in session.execute(stmt):
        scheduled = bool(scheduled)  # SQLite answers 0/1, and NULL for a NULL deadline
        for each in JobView:
            if in_view(each, JobStatus(status), has_deadline=scheduled,
                       has_assignee=scheduled):
                counts[each.value] += count
        if in_view(view, JobStatus(status), has_deadline=scheduled, has_assignee=scheduled):
            jobs += count
            sums = [s + Decimal(w) for s, w in zip(sums, weights, strict=True)]
            overview[(position, code, name, status)] += count
    issued, pending, scrapped, waste = sums
    rate = loss_rate(scrapped, waste, issued)
    return {"counts": counts, "view": view.value, "jobs": jobs,
            "issued_weight": grams_text(issued), "pending_weight": grams_text(pending),
            "scrapped_weight": grams_text(scrapped), "waste_weight": grams_text(waste),
            "unit": "g", "loss_rate": None if rate is None else f"{rate:f}",
            "overview": [{"stage": code, "name": name, "status": status, "count": n}
                         for (_, code, name, status), n in sorted(overview.items())]}
