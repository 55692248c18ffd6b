"""Production jobs: stages, jobs with their issue lines, per-item requests, receipts and changes.

A job keeps its totals per bucket in pieces and in grams, maintained with every issue and
receipt, and the database checks that they add up: issued = received + rejected + scrapped
+ waste + pending, pending >= 0 (server.domain.jobs is the rule; these CHECKs back it).
Grams are Numeric(38, 15): a six-place amount in oz or oz t is exact in grams at 15 places.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.job_requests import Policy
from ..domain.jobs import Bucket, JobStatus, OutputType
from .base import Amount, Base, Code, Name, Timestamp, one_of
from .catalog import Item
from .inventory import Bin, Location, Lot

Grams = Annotated[Decimal, mapped_column(Numeric(38, 15, asdecimal=True), default=Decimal(0))]
BUCKETS = ("issued", *(b.value for b in Bucket), "pending")


def balance_checks() -> list[CheckConstraint]:
    """Return the CHECKs that back the job balance in pieces and in grams.

    PostgreSQL adds NUMERIC exactly. SQLite keeps NUMERIC as a double, so there the sum is
    compared to within a microgram (pieces are integers and exact on both).
    """
    checks = []
    for dim in ("pieces", "weight"):
        parts = " + ".join(f"{b}_{dim}" for b in BUCKETS[1:])
        checks.append(CheckConstraint(f"pending_{dim} >= 0", name=f"pending_{dim}"))
        checks.append(CheckConstraint(
            " AND ".join(f"{b}_{dim} >= 0" for b in BUCKETS[:-1]), name=f"buckets_{dim}"))
        if dim == "pieces":
            checks.append(CheckConstraint(f"issued_pieces = {parts}", name="balance_pieces"))
        else:
            checks.append(CheckConstraint(f"issued_weight = {parts}", name="balance_weight")
                          .ddl_if(dialect="postgresql"))
            checks.append(CheckConstraint(f"abs(issued_weight - ({parts})) < 0.000001",
                                          name="balance_weight_approx")
                          .ddl_if(dialect="sqlite"))
    return checks


class Stage(Base):
    """A production stage (fabrication, assembly...), optionally served by stations."""

    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(one_of("status", JobStatus), name="status"),
        CheckConstraint(one_of("policy", Policy), name="policy"),
        *balance_checks(),
        Index("ix_jobs_stage_status", "stage_id", "status"),
        # The list counts a view and pages its ids from this index (bench/jobs.py).
        Index("ix_jobs_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_lines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    shape: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[str] = mapped_column(String(100), default="")
    requested_pieces: Mapped[int | None]
    requested_weight: Mapped[Amount | None]
    requested_unit: Mapped[str] = mapped_column(String(8), default="")
    policy: Mapped[str] = mapped_column(String(16), default=Policy.MATCH_ISSUED.value)
    issued_on: Mapped[date]
    deadline: Mapped[date | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    notes: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.OPEN.value)
    created_at: Mapped[Timestamp]
    created_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(default=0)
    issued_pieces: Mapped[int] = mapped_column(default=0)
    received_pieces: Mapped[int] = mapped_column(default=0)
    rejected_pieces: Mapped[int] = mapped_column(default=0)
    scrapped_pieces: Mapped[int] = mapped_column(default=0)
    waste_pieces: Mapped[int] = mapped_column(default=0)
    pending_pieces: Mapped[int] = mapped_column(default=0)
    issued_weight: Mapped[Grams]
    received_weight: Mapped[Grams]
    rejected_weight: Mapped[Grams]
    scrapped_weight: Mapped[Grams]
    waste_weight: Mapped[Grams]
    pending_weight: Mapped[Grams]

    stage: Mapped[Stage] = relationship(lazy="joined")
    issues: Mapped[list[JobIssue]] = relationship(back_populates="job", order_by="JobIssue.id",
                                                  cascade="all, delete-orphan")
    items: Mapped[list[JobItem]] = relationship(order_by="JobItem.id",
                                                cascade="all, delete-orphan")
    receipts: Mapped[list[JobReceipt]] = relationship(back_populates="job",
                                                      order_by="JobReceipt.seq")
    changes: Mapped[list[JobChange]] = relationship(order_by="JobChange.id")


class JobIssue(Base):
    """One lot issued into a job: the ledger quantity, and the pieces and weight it counts."""

    __tablename__ = "job_issues"
    __table_args__ = (
        UniqueConstraint("job_id", "lot_id"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("pieces IS NULL OR pieces >= 0", name="pieces"),
        CheckConstraint("weight IS NULL OR weight >= 0", name="weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    pieces: Mapped[int | None]
    weight: Mapped[Amount | None]
    weight_unit: Mapped[str] = mapped_column(String(8), default="")

    job: Mapped[Job] = relationship(back_populates="issues")
    lot: Mapped[Lot] = relationship(lazy="joined")


class JobItem(Base):
    """The per-item table: what one product of the job is asked to come back as."""

    __tablename__ = "job_items"
    __table_args__ = (UniqueConstraint("job_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    pieces: Mapped[int | None]
    weight: Mapped[Amount | None]
    unit: Mapped[str] = mapped_column(String(8), default="")

    item: Mapped[Item] = relationship(lazy="joined")


class JobReceipt(Base):
    __tablename__ = "job_receipts"
    __table_args__ = (UniqueConstraint("job_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    seq: Mapped[int]
    received_on: Mapped[date]
    quality: Mapped[str] = mapped_column(String(16), default="")
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    bin: Mapped[str] = mapped_column(Bin, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[Timestamp]
    # A kiosk's resend of the same receipt is applied once.
    event_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    # The first answer, returned again to a resend.
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    job: Mapped[Job] = relationship(back_populates="receipts")
    location: Mapped[Location] = relationship(lazy="joined")
    rows: Mapped[list[JobReceiptRow]] = relationship(order_by="JobReceiptRow.id",
                                                     cascade="all, delete-orphan")


class JobReceiptRow(Base):
    """One bucket of one receipt row: what it weighed and counted, and the lot it made."""

    __tablename__ = "job_receipt_rows"
    __table_args__ = (
        CheckConstraint(one_of("bucket", Bucket), name="bucket"),
        CheckConstraint(one_of("output_type", OutputType), name="output_type"),
        CheckConstraint("pieces >= 0 AND weight >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("job_receipts.id"), index=True)
    line: Mapped[int] = mapped_column(default=0)
    bucket: Mapped[str] = mapped_column(String(16))
    output_type: Mapped[str] = mapped_column(String(16), default=OutputType.FINISHED.value)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    type: Mapped[str] = mapped_column(String(100), default="")
    shape: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[str] = mapped_column(String(100), default="")
    colour: Mapped[str] = mapped_column(String(100), default="")
    inventory_type: Mapped[str] = mapped_column(String(100), default="")
    pieces: Mapped[int] = mapped_column(default=0)
    weight: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    value: Mapped[Amount | None]
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)

    item: Mapped[Item | None] = relationship(lazy="joined")
    lot: Mapped[Lot | None] = relationship(lazy="joined")


class JobChange(Base):
    """An edit of a job: who, when, why, and the job before and after."""

    __tablename__ = "job_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    at: Mapped[Timestamp]
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit_records.id"))
