"""Production jobs: create (issuing the lots), check a draft, get, and the sources to issue.

Creating a job is one transaction: the job, a stock issue movement per lot (record
job:J-...) with its genealogy edge lot -issue-> job, the per-item table and an audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import numbering
from ..domain.errors import QuantityError
from ..domain.job_requests import ItemRequest, Policy, prepare_items
from ..domain.jobs import JobStatus, job_pieces, job_weight
from ..domain.lots import LotStatus, exact
from ..domain.measures import Measure
from ..domain.quantities import Dimension, Quantity, amount_text
from ..errors import BadRequest, Unprocessable
from ..models import (
    Item,
    Job,
    JobIssue,
    JobItem,
    Lot,
    SalesOrder,
    SalesOrderLine,
    StockMovement,
    User,
    utcnow,
)
from . import audit, sequences, stock
from .actors import Actor
from .catalog import item_by_sku
from .job_records import balance_of, issue_measure, job_by_number, job_dict, store_totals
from .stages import naming, stage_by_code
from .stock import Target


@dataclass(frozen=True, slots=True)
class IssueLine:
    lot: str
    quantity: Decimal | None = None  # None: the whole lot
    pieces: int | None = None
    weight: Decimal | None = None
    weight_unit: str | None = None


@dataclass(frozen=True, slots=True)
class ItemLine:
    item: str
    pieces: int | None = None
    weight: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class JobSpec:
    stage: str
    issues: Sequence[IssueLine]
    order: str | None = None
    order_line: int | None = None
    shape: str = ""
    size: str = ""
    pieces: int | None = None
    weight: Decimal | None = None
    unit: str | None = None
    policy: Policy = Policy.MATCH_ISSUED
    items: Sequence[ItemLine] = field(default_factory=tuple)
    issued_on: date | None = None
    deadline: date | None = None
    assignee: str | None = None
    notes: str = ""


def get(session: Session, number: str) -> dict[str, Any]:
    return job_dict(session, job_by_number(session, number))


def create(session: Session, actor: Actor, spec: JobSpec) -> dict[str, Any]:
    """Create a job and issue its lots into it, in the caller's transaction."""
    actor.require("planner")
    job = Job(number=_new_number(session), status=JobStatus.OPEN.value,
              created_by=actor.name, version=1)
    _apply_header(session, job, spec)
    session.add(job)
    session.flush()
    issue_lots(session, actor, job, spec.issues)
    _apply_items(session, job, spec)
    result = balance_of(job)
    store_totals(job, result)
    audit.record(session, actor, "job.create", "job", job.number, stage=spec.stage,
                 issues=[i.lot for i in spec.issues])
    session.flush()
    return job_dict(session, job)


def check(session: Session, actor: Actor, spec: JobSpec) -> dict[str, Any]:
    """Validate a draft as create would, write nothing, and return its per-item table."""
    actor.require("planner")
    nested = session.begin_nested()
    try:
        made = create(session, actor, spec)
    finally:
        nested.rollback()
    return {"ok": True, "items": made["items"],
            "summary": {"stage": made["stage"], "issues": made["issues"],
                        "balance": made["balance"], "requested": made["requested"],
                        "issued_on": made["issued_on"], "deadline": made["deadline"],
                        "assignee": made["assignee"]}}


def _new_number(session: Session) -> str:
    year = utcnow().year
    key = numbering.sequence_key(numbering.JOB_PREFIX, year)
    return numbering.job_number(year, sequences.take(session, key)[0])


def _apply_header(session: Session, job: Job, spec: JobSpec) -> None:
    job.stage = stage_by_code(session, spec.stage)
    if job.stage.archived:
        raise Unprocessable(f"stage {spec.stage} is archived", code="stage_archived",
                            field="stage")
    job.order_id, job.order_line_id = _order(session, spec.order, spec.order_line)
    job.assignee_id = _assignee(session, spec.assignee)
    job.shape, job.size, job.notes = spec.shape, spec.size, spec.notes
    job.requested_pieces = int(job_pieces(spec.pieces).amount) if spec.pieces is not None \
        else None
    if spec.weight is not None:
        weight = job_weight(spec.weight, spec.unit)
        job.requested_weight, job.requested_unit = weight.amount, weight.unit
    else:
        job.requested_weight, job.requested_unit = None, ""
    job.policy = Policy(spec.policy).value
    job.issued_on = spec.issued_on or utcnow().date()
    if spec.deadline is not None and spec.deadline < job.issued_on:
        raise BadRequest("the deadline is before the issue date", code="invalid_deadline",
                         field="deadline")
    job.deadline = spec.deadline


def _order(session: Session, number: str | None, line_no: int | None
           ) -> tuple[int | None, int | None]:
    if number is None:
        if line_no is not None:
            raise BadRequest("an order line needs its order", code="invalid_order",
                             field="order_line")
        return None, None
    order = session.scalar(select(SalesOrder).where(SalesOrder.number == number))
    if order is None:
        raise Unprocessable(f"no sales order {number!r}", code="unknown_order", field="order")
    if line_no is None:
        return order.id, None
    line = session.scalar(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id,
                                                       SalesOrderLine.line_no == line_no))
    if line is None:
        raise Unprocessable(f"order {number} has no line {line_no}", code="unknown_order_line",
                            field="order_line")
    return order.id, line.id


def _assignee(session: Session, username: str | None) -> int | None:
    if username is None:
        return None
    user = session.scalar(select(User).where(User.username == username, User.active))
    if user is None:
        raise Unprocessable(f"no active user {username!r}", code="unknown_assignee",
                            field="assignee")
    return user.id


def issue_lots(session: Session, actor: Actor, job: Job, lines: Sequence[IssueLine]) -> None:
    """Issue each line's lot into the job (ledger + genealogy), recording what it counts."""
    if not lines:
        raise BadRequest("a job issues at least one lot", code="no_issues", field="issues")
    seen = {i.lot.number for i in job.issues}
    for n, line in enumerate(lines):
        where = f"issues[{n}]"
        if line.lot in seen:
            raise BadRequest(f"{where}.lot: lot {line.lot} is issued twice",
                             code="duplicate_lot", field=f"{where}.lot")
        seen.add(line.lot)
        with naming(f"{where}.lot"):
            lot = stock.lot_by_number(session, line.lot)
        with naming(f"{where}.quantity"):
            qty = Quantity.of(line.quantity, lot.unit) if line.quantity is not None else None
            move = stock.issue(session, lot, Target("job", job.number), qty, actor=actor)
        issued = Quantity(-move.quantity, lot.unit)
        job.issues.append(_issue_row(lot, issued, line, where))
    session.flush()


def _issue_row(lot: Lot, issued: Quantity, line: IssueLine, where: str) -> JobIssue:
    """Return the issue line: the lot's own unit counts itself, the other is declared."""
    counted = issued.dimension is Dimension.COUNT
    weighed = issued.dimension is Dimension.MASS
    pieces = int(issued.amount) if counted and line.pieces is None else line.pieces
    if pieces is not None:
        pieces = int(job_pieces(pieces, field=f"{where}.pieces").amount)
    if weighed and line.weight is None:
        weight: Quantity | None = issued
    elif line.weight is not None:
        weight = job_weight(line.weight, line.weight_unit or (lot.unit if weighed else None),
                            field=f"{where}.weight", unit_field=f"{where}.weight_unit")
    else:
        weight = None
    if weight is not None:
        job_weight(weight.amount, weight.unit, field=f"{where}.weight")  # the ceiling
    if (counted and pieces != int(issued.amount)) or (weighed and weight is not None and \
            Measure.of(weight=weight) != Measure.of(weight=issued)):
        raise QuantityError(f"{where}: the lot is counted in {lot.unit}: what it gives is "
                            f"{issued}", field=f"{where}.{'pieces' if counted else 'weight'}")
    return JobIssue(lot=lot, quantity=issued.amount, unit=issued.unit, pieces=pieces,
                    weight=weight.amount if weight else None,
                    weight_unit=weight.unit if weight else "")


def _apply_items(session: Session, job: Job, spec: JobSpec) -> None:
    """Replace the per-item table with what the job's policy prepares."""
    issued: dict[str, Measure] = {}
    for issue in job.issues:
        sku = issue.lot.item.sku
        issued[sku] = issued.get(sku, Measure()) + issue_measure(issue)
    total_pieces = job.requested_pieces
    total_weight = Quantity(job.requested_weight, job.requested_unit) \
        if job.requested_weight is not None else None
    custom = [_item_request(n, line) for n, line in enumerate(spec.items)]
    rows = prepare_items(Policy(job.policy), issued=issued, pieces=total_pieces,
                         weight=total_weight, custom=custom)
    job.items.clear()
    session.flush()
    for row in rows:
        job.items.append(JobItem(item=item_by_sku(session, row.item), pieces=row.pieces,
                                 weight=row.weight.amount if row.weight else None,
                                 unit=row.weight.unit if row.weight else ""))


def _item_request(n: int, line: ItemLine) -> ItemRequest:
    where = f"items[{n}]"
    pieces = int(job_pieces(line.pieces, field=f"{where}.pieces").amount) \
        if line.pieces is not None else None
    weight = job_weight(line.weight, line.unit, field=f"{where}.weight") \
        if line.weight is not None else None
    return ItemRequest(line.item, pieces, weight)


def sources(session: Session, skus: Sequence[str]) -> list[dict[str, Any]]:
    """Return the available lots of these items with stock on hand, to issue into a job."""
    on_hand = func.sum(StockMovement.quantity)
    stock_of = (select(StockMovement.lot_id, on_hand.label("on_hand"))
                .group_by(StockMovement.lot_id).having(on_hand > 0).subquery())
    picked = select(Item.id).where(Item.sku.in_(list(skus)[:50]))
    rows = session.execute(
        select(Lot, stock_of.c.on_hand).join(stock_of, stock_of.c.lot_id == Lot.id)
        .where(Lot.item_id.in_(picked), Lot.status == LotStatus.AVAILABLE.value)
        .order_by(Lot.number)).all()
    return [{"lot": lot.number, "item": lot.item.sku, "name": lot.item.name,
             "unit": lot.unit, "on_hand": amount_text(Decimal(amount)),
             "location": lot.location.code, "bin": lot.bin,
             "supplier_batch": lot.supplier_batch} for lot, amount in rows]


def set_scrap_item(session: Session, actor: Actor, sku: str, scrap_sku: str | None
                   ) -> dict[str, Any]:
    """Set (or clear) the SKU a product's scrap is received under."""
    actor.require("planner")
    item = item_by_sku(session, sku)
    before = item.scrap_item.sku if item.scrap_item else None
    if scrap_sku is None:
        item.scrap_item_id = None
    else:
        with naming("scrap_sku"):
            scrap = item_by_sku(session, scrap_sku)
        if scrap.id == item.id:
            raise BadRequest("an item is not its own scrap", code="invalid_scrap_item",
                             field="scrap_sku")
        exact(Quantity(Decimal(1), scrap.unit), scrap.unit)
        item.scrap_item_id = scrap.id
    audit.record(session, actor, "item.scrap_item", "item", sku, before=before,
                 after=scrap_sku)
    session.flush()
    return {"sku": sku, "scrap_sku": scrap_sku}
