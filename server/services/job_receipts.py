"""Receive a job's output: good lots, quarantined rejected lots, scrap lots, recorded waste.

One transaction per receipt, with the job's row locked first (two receipts racing for the
last pending grams: the second waits, then finds them gone). A receipt with an event_id
already applied returns its first answer and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import QuantityError
from ..domain.genealogy import NodeKind
from ..domain.jobs import (
    Bucket,
    JobBalanceError,
    JobStatus,
    OutputType,
    job_pieces,
    job_weight,
    status_from,
)
from ..domain.lots import LotStatus
from ..domain.quality import InspectionResult
from ..domain.quantities import Dimension, Quantity
from ..errors import BadRequest, Unprocessable
from ..models import Item, Job, JobReceipt, JobReceiptRow, Location, utcnow
from . import audit, genealogy, stock
from .actors import Actor
from .catalog import item_by_sku
from .job_records import balance_of, job_by_number, job_dict, receipt_dict, store_totals
from .locations import location_by_code
from .stages import naming


@dataclass(frozen=True, slots=True)
class Part:
    """A rejection or scrap of a row: its own amounts and descriptions."""

    weight: Decimal
    unit: str
    pieces: int | None = None
    shape: str = ""
    size: str = ""
    colour: str = ""
    inventory_type: str = ""
    item: str | None = None
    type: str = ""
    value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Row:
    output_type: OutputType
    item: str
    weight: Decimal
    unit: str
    pieces: int | None = None
    type: str = ""
    shape: str = ""
    size: str = ""
    waste_weight: Decimal | None = None
    waste_unit: str | None = None
    rejection: Part | None = None
    scrap: Part | None = None


@dataclass(frozen=True, slots=True)
class ReceiptSpec:
    location: str
    rows: Sequence[Row]
    received_on: date | None = None
    quality: str = ""
    bin: str = ""
    event_id: str | None = None


def receive(session: Session, actor: Actor, number: str, spec: ReceiptSpec) -> dict[str, Any]:
    """Record a receipt of the job's output; refuse, writing nothing, what breaks the balance."""
    actor.require("operator") if not actor.is_station else actor.require("station")
    if spec.event_id is not None:
        done = session.scalar(select(JobReceipt).where(JobReceipt.event_id == spec.event_id))
        if done is not None:
            return dict(done.answer)
    job = job_by_number(session, number, lock=True)
    if JobStatus(job.status) is JobStatus.CANCELLED:
        raise Unprocessable("the job is cancelled", code="job_cancelled", field="job")
    with naming("location"):
        location = location_by_code(session, spec.location)
    if spec.quality and spec.quality not in {r.value for r in InspectionResult}:
        raise BadRequest(f"unknown quality {spec.quality!r}", code="invalid_quality",
                         field="quality")
    if not spec.rows:
        raise BadRequest("a receipt has at least one row", code="no_rows", field="rows")
    made = [r for n, row in enumerate(spec.rows) for r in _bucket_rows(session, n, row)]
    rows = [r for r, _ in made]
    try:
        result = balance_of(job, rows)  # raises naming the bucket and the amount over
    except JobBalanceError as err:
        err.detail.setdefault("field", _over_field(made, err.detail))
        raise
    except QuantityError as err:
        # "This job was issued no pieces" names a dimension: name the row that gives some.
        if err.detail.get("field") in {"pieces", "weight"}:
            err.detail["field"] = _over_field(made, {
                "bucket": None, "unit": "pcs" if err.detail["field"] == "pieces" else "g"})
        raise
    receipt = JobReceipt(job=job, seq=len(job.receipts) + 1,
                         received_on=spec.received_on or utcnow().date(),
                         quality=spec.quality, location=location, bin=spec.bin,
                         created_by=actor.name, event_id=spec.event_id, rows=rows)
    session.add(receipt)
    session.flush()
    node = genealogy.node(session, NodeKind.JOB, job.number, job.id)
    for row in rows:
        _make_lot(session, actor, job, row, location, spec.bin, node)
    store_totals(job, result)
    job.status = status_from(JobStatus(job.status), result).value
    audit.record(session, actor, "job.receive", "job", job.number, seq=receipt.seq,
                 rows=len(rows), status=job.status)
    session.flush()
    session.refresh(job)
    answer = {"job": job_dict(session, job), "receipt": receipt_dict(receipt)}
    receipt.answer = answer
    session.flush()
    return answer


def check(session: Session, actor: Actor, number: str, spec: ReceiptSpec) -> dict[str, Any]:
    """Validate a receipt as receive would, write nothing, and answer the balance after it."""
    nested = session.begin_nested()
    try:
        made = receive(session, actor, number, replace(spec, event_id=None))
    finally:
        nested.rollback()
    job = made["job"]
    return {"ok": True, "status": job["status"], "balance": job["balance"],
            "rows": [{"bucket": r["bucket"], "item": r["item"], "pieces": r["pieces"],
                      "weight": r["weight"], "unit": r["unit"]}
                     for r in made["receipt"]["rows"]]}


# The body fields (weight, pieces) each bucket row came from, to name one in a refusal.
Fields = tuple[str, str]


def _over_field(made: Sequence[tuple[JobReceiptRow, Fields]], detail: dict[str, Any]) -> str:
    """Name the last field of this receipt that adds to the bucket that went over (any
    bucket if None) in its dimension."""
    pieces = detail.get("unit") == "pcs"
    for row, (weight, count) in reversed(made):
        if detail.get("bucket") in {None, row.bucket} and (row.pieces if pieces else row.weight):
            return count if pieces else weight
    return "rows"


def _bucket_rows(session: Session, n: int, row: Row) -> list[tuple[JobReceiptRow, Fields]]:
    """Return the bucket rows one receipt row makes: received, rejected, scrapped, waste."""
    where = f"rows[{n}]"
    with naming(f"{where}.item"):
        item = item_by_sku(session, row.item)
    out = [(_bucket(Bucket.RECEIVED, row.output_type, item, where, row.weight, row.unit,
                    row.pieces, type=row.type, shape=row.shape, size=row.size),
            (f"{where}.weight", f"{where}.pieces"))]
    if row.waste_weight is not None:
        out.append((_bucket(Bucket.WASTE, row.output_type, None, where, row.waste_weight,
                            row.waste_unit or row.unit, None, field="waste_weight",
                            unit_field="waste_unit" if row.waste_unit else "unit"),
                    (f"{where}.waste_weight", f"{where}.waste_weight")))
    for bucket, part, name in ((Bucket.REJECTED, row.rejection, "rejection"),
                               (Bucket.SCRAPPED, row.scrap, "scrap")):
        if part is not None:
            at = f"{where}.{name}"
            out.append((_part(session, bucket, row, item, part, at),
                        (f"{at}.weight", f"{at}.pieces")))
    kept = [(r, f) for r, f in out if r.pieces or r.weight]
    if not kept:
        raise BadRequest(f"{where}: the row receives nothing (give its weight or pieces)",
                         code="invalid_quantity", field=f"{where}.weight")
    return kept


def _part(session: Session, bucket: Bucket, row: Row, item: Item, part: Part, where: str
          ) -> JobReceiptRow:
    product = item
    if part.item is not None:
        with naming(f"{where}.item"):
            product = item_by_sku(session, part.item)
    # A rejection or scrap of nothing is a mistake, not a row to keep.
    job_weight(part.weight, part.unit, field=f"{where}.weight", required=True)
    target = product
    if bucket is Bucket.SCRAPPED:
        if product.scrap_item is None:
            raise Unprocessable(
                f"{product.sku} has no scrap item: set one in Setup -> Items, or "
                f"PUT /api/v1/items/{product.sku}/scrap-item {{\"scrap_sku\": \"...\"}}",
                code="no_scrap_item", field=f"{where}.item", item=product.sku)
        target = product.scrap_item
    made = _bucket(bucket, row.output_type, target, where, part.weight, part.unit,
                   part.pieces, type=part.type, shape=part.shape, size=part.size,
                   colour=part.colour, inventory_type=part.inventory_type)
    made.value = part.value
    return made


def _bucket(bucket: Bucket, output_type: OutputType, item: Item | None, where: str,
            weight: Decimal, unit: str, pieces: int | None, *, field: str = "weight",
            unit_field: str = "unit", **text: str) -> JobReceiptRow:
    count = job_pieces(pieces if pieces is not None else 0, field=f"{where}.pieces")
    mass = job_weight(weight, unit, field=f"{where}.{field}",
                      unit_field=f"{where}.{unit_field}")
    return JobReceiptRow(bucket=bucket.value, output_type=OutputType(output_type).value,
                         item=item, pieces=int(count.amount), weight=mass.amount,
                         unit=mass.unit, **text)


def _make_lot(session: Session, actor: Actor, job: Job, row: JobReceiptRow,
              location: Location, bin: str, node: Any) -> None:
    """Put a row's output into stock (waste is recorded only)."""
    if row.bucket == Bucket.WASTE or row.item is None:
        return
    item = row.item
    if item.unit and Quantity(Decimal(1), item.unit).dimension is Dimension.COUNT:
        qty = Quantity(Decimal(row.pieces), item.unit)
        field = "pieces"
    else:
        qty = Quantity(row.weight, row.unit)
        field = "weight"
    if not qty.is_positive():
        raise BadRequest(f"{item.sku} is counted in {item.unit}: give its {field}",
                         code="invalid_quantity", field=field)
    status = LotStatus.QUARANTINED if row.bucket == Bucket.REJECTED else LotStatus.AVAILABLE
    cost = item.standard_cost
    if row.value is not None:
        cost = (row.value / qty.to(item.unit).amount).quantize(Decimal("0.000001"),
                                                               rounding=ROUND_HALF_EVEN)
    with naming(field):
        row.lot = stock.produce_lot(session, item=item, quantity=qty, location=location,
                                    bin=bin, status=status, unit_cost=cost, actor=actor,
                                    source_node=node, record=f"job:{job.number}")
