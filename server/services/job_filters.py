"""Which jobs a list, a summary or an export shows: a view, a stage and a search, as SQL.

Every condition is a bound parameter or a non-correlated subquery over a small table
(items, users, orders) or an indexed one (job items and issues by item), so filtering stays
one pass over jobs however many there are. A search's % and _ mean themselves.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ColumnElement, and_, not_, or_, select

from ..domain.jobs import VIEW_STATUSES, JobView
from ..domain.quantities import PLACES, amount_text
from ..models import Item, Lot, SalesOrder, User
from ..models.base import values_of
from ..models.jobs import Job, JobIssue, JobItem, Stage

# Ongoing jobs with both a staff deadline and an assignee are scheduled (domain in_view).
SCHEDULED: ColumnElement[bool] = and_(Job.deadline.is_not(None), Job.assignee_id.is_not(None))


def view_condition(view: JobView) -> ColumnElement[bool]:
    """Return the SQL of a view: its statuses, and for two views the scheduling rule."""
    statuses = Job.status.in_(values_of(VIEW_STATUSES[view]))
    if view is JobView.SCHEDULED:
        return and_(statuses, SCHEDULED)
    if view is JobView.UNSCHEDULED:
        return and_(statuses, not_(SCHEDULED))
    return statuses


def search_condition(q: str) -> ColumnElement[bool]:
    """Match q in the job number, a product (SKU or name of a job item or an issued lot's
    item), the staff member (username or display name) or the order number."""
    items = select(Item.id).where(Item.sku.icontains(q, autoescape=True)
                                  | Item.name.icontains(q, autoescape=True))
    return or_(
        Job.number.icontains(q, autoescape=True),
        Job.id.in_(select(JobItem.job_id).where(JobItem.item_id.in_(items))),
        Job.id.in_(select(JobIssue.job_id).join(Lot, Lot.id == JobIssue.lot_id)
                   .where(Lot.item_id.in_(items))),
        Job.assignee_id.in_(select(User.id).where(
            User.username.icontains(q, autoescape=True)
            | User.display_name.icontains(q, autoescape=True))),
        Job.order_id.in_(select(SalesOrder.id).where(
            SalesOrder.number.icontains(q, autoescape=True))),
    )


def conditions(*, view: JobView | None, stage: str = "", q: str = ""
               ) -> list[ColumnElement[bool]]:
    """Return the WHERE conditions of a view (None: any view), a stage code and a search."""
    where: list[ColumnElement[bool]] = [view_condition(view if view is not None
                                                       else JobView.ALL)]
    if stage:
        where.append(Job.stage_id.in_(select(Stage.id).where(Stage.code == stage)))
    if q.strip():
        where.append(search_condition(q.strip()))
    return where


def grams_text(value: Decimal | float | int | None) -> str:
    """Return grams as text to six places (micrograms), the list's and summary's precision.

    SQLite keeps NUMERIC as a double; six places give back the exact amounts people enter.
    """
    if value is None:
        return "0"
    return amount_text(Decimal(str(value)).quantize(PLACES))
