"""Completions with their final inspection, finished serials, and quality checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.quality import CheckStage, CheckSubject, InspectionResult
from ..domain.serials import CompletionOutput, SerialStatus
from .base import Amount, Base, Code, Timestamp, UTCDateTime, one_of
from .catalog import Item
from .inventory import Location


class Completion(Base):
    """Finishing a run's batch or a job's output: how much, how much defective, who inspected.

    The good quantity becomes finished serials (one per piece) or one finished lot.
    """

    __tablename__ = "completions"
    __table_args__ = (
        CheckConstraint("quantity_completed > 0", name="completed"),
        CheckConstraint("quantity_defective >= 0 AND quantity_defective <= quantity_completed",
                        name="defective"),
        CheckConstraint("(batch_id IS NULL) <> (job_id IS NULL)", name="source"),
        CheckConstraint(one_of("result", InspectionResult), name="result"),
        CheckConstraint(one_of("output", CompletionOutput), name="output"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("production_runs.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    quantity_completed: Mapped[Amount]
    quantity_defective: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    inspector: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    output: Mapped[str] = mapped_column(String(8))
    # The finished lot, when the output is a lot.
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    # A retried request with the same id answers the first completion.
    event_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[Timestamp]

    item: Mapped[Item] = relationship(lazy="joined")
    serials: Mapped[list[Serial]] = relationship(back_populates="completion",
                                                 order_by="Serial.id")


class Serial(Base):
    """One finished piece: [TYPE]-[YYYY]-[MMDD]-[SEQ], labelled and traced like a batch."""

    __tablename__ = "serials"
    __table_args__ = (CheckConstraint(one_of("status", SerialStatus), name="status"),
                      Index("ix_serials_status", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    completion_id: Mapped[int] = mapped_column(ForeignKey("completions.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SerialStatus.IN_STOCK.value)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    bin: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[Timestamp]
    version: Mapped[int] = mapped_column(default=0)

    item: Mapped[Item] = relationship(lazy="joined")
    location: Mapped[Location | None] = relationship(lazy="joined")
    completion: Mapped[Completion] = relationship(back_populates="serials")


class QualityCheck(Base):
    """An inspection: of a step at a quality-check operation, a final one, or of a serial."""

    __tablename__ = "quality_checks"
    __table_args__ = (
        CheckConstraint(one_of("stage", CheckStage), name="stage"),
        CheckConstraint(one_of("subject_kind", CheckSubject), name="subject_kind"),
        CheckConstraint(one_of("result", InspectionResult), name="result"),
        CheckConstraint("defects >= 0", name="defects"),
        Index("ix_quality_checks_subject", "subject_kind", "subject_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(16))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_code: Mapped[Code]  # the batch, lot, job or serial code inspected
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    step_execution_id: Mapped[int | None] = mapped_column(ForeignKey("step_executions.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    serial_id: Mapped[int | None] = mapped_column(ForeignKey("serials.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completions.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    inspector: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(16))
    defects: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(String(2000), default="")
    at: Mapped[Timestamp]
    event_id: Mapped[str | None] = mapped_column(String(36), unique=True)
