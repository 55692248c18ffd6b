"""A job's received good output as a completion's source: the lots its receipts put into
stock, taken out into serials oldest first, so the same pieces are never in stock twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.jobs import Bucket
from ..domain.lots import LotStatus
from ..domain.quantities import Quantity, amount_text, is_counted
from ..errors import NotFound, Unprocessable
from ..models import Completion, Item, Job, JobReceipt, JobReceiptRow, Lot
from . import stock
from .actors import Actor
from .catalog import item_by_sku


@dataclass(frozen=True, slots=True)
class Held:
    """A received good lot of the job that can still give: what it has on hand."""

    lot: Lot
    on_hand: Decimal  # in the item's unit


def received_lots(session: Session, job: Job, item: Item, *, lock: bool = False
                  ) -> list[Held]:
    """Return the job's received good lots of the item that are available with stock on
    hand, oldest first; lock=True takes each lot's row lock before summing its stock."""
    lots = session.scalars(
        select(Lot).join(JobReceiptRow, JobReceiptRow.lot_id == Lot.id)
        .join(JobReceipt, JobReceipt.id == JobReceiptRow.receipt_id)
        .where(JobReceipt.job_id == job.id, JobReceiptRow.bucket == Bucket.RECEIVED.value,
               JobReceiptRow.item_id == item.id, Lot.status == LotStatus.AVAILABLE.value)
        .order_by(Lot.id)).all()
    held = []
    for found in lots:
        lot = stock.lot_by_number(session, found.number, lock=True) if lock else found
        amount = stock.on_hand(session, lot).to(item.unit).amount
        # Re-read under the lock: a shipment or a quarantine may have come first.
        if lot.status == LotStatus.AVAILABLE and amount > 0:
            held.append(Held(lot, amount))
    return held


def job_by_number(session: Session, number: str) -> Job:
    """Return a job, or raise unknown_code."""
    job = session.scalar(select(Job).where(Job.number == number))
    if job is None:
        raise NotFound(f"no job {number!r}", code="unknown_code", job=number)
    return job


def job_received(session: Session, job: Job, item: Item) -> Decimal:
    """Return the job's good received output of the item: pieces, or weight in its unit."""
    rows = session.scalars(select(JobReceiptRow).join(JobReceipt).where(
        JobReceipt.job_id == job.id, JobReceiptRow.bucket == Bucket.RECEIVED,
        JobReceiptRow.item_id == item.id))
    if is_counted(item.unit):
        return sum((Quantity(Decimal(r.pieces), "pcs").to(item.unit).amount for r in rows),
                   Decimal(0))
    return sum((Quantity(r.weight, r.unit).to(item.unit).amount for r in rows), Decimal(0))


def job_item(session: Session, job: Job, sku: str | None) -> Item:
    """Return the item a job's completion is of: the one named, or the job's only output."""
    if sku is not None:
        return item_by_sku(session, sku)
    ids = received_items(session, job)
    if not ids:
        raise Unprocessable(f"job {job.number} has received no good output to complete",
                            code="more_than_came_in", available="0")
    if len(ids) > 1:
        raise Unprocessable(f"job {job.number} received several items: name the item",
                            code="item_required")
    item = session.get(Item, ids.pop())
    assert item is not None
    return item


def received_items(session: Session, job: Job) -> set[int]:
    """Return the ids of the items a job has received good output of."""
    return set(session.scalars(select(JobReceiptRow.item_id).join(JobReceipt).where(
        JobReceipt.job_id == job.id, JobReceiptRow.bucket == Bucket.RECEIVED,
        JobReceiptRow.item_id.is_not(None))))


def lots_view(held: Sequence[Held], unit: str) -> list[dict[str, Any]]:
    """Return what the completion form shows of the lots a job's output is taken from."""
    return [{"number": h.lot.number, "on_hand": amount_text(h.on_hand), "unit": unit,
             "location": h.lot.location.code, "bin": h.lot.bin} for h in held]


def take(session: Session, actor: Actor, held: Sequence[Held], row: Completion,
         unit: str) -> list[tuple[Lot, Decimal]]:
    """Take the completion's whole quantity (defective pieces too) out of the lots, oldest
    first, one movement each; return each lot with what it gave, in the item's unit."""
    left, taken = row.quantity_completed, []
    for h in held:
        if left <= 0:
            break
        part = min(left, h.on_hand)
        stock.take_out(session, h.lot, Quantity(part, unit), record=f"completion:{row.id}",
                       reason=f"completed into serials (completion {row.id})", actor=actor)
        taken.append((h.lot, part))
        left -= part
    return taken


def piece_lots(taken: Sequence[tuple[Lot, Decimal]], unit: str, count: int) -> list[Lot]:
    """Return the lot each of count good pieces came from: the good pieces are the first
    taken, oldest lot first (the defective ones are the last)."""
    ends, total = [], Decimal(0)
    for lot, part in taken:
        total += Quantity(part, unit).to("pcs").amount
        ends.append((total, lot))
    return [next(lot for end, lot in ends if end > n) for n in range(count)]
