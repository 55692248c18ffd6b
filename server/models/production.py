"""Production runs, their lines (batch specs), batches and step executions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.batches import BatchState
from ..domain.runs import RunStatus
from .base import Amount, Base, Code, Timestamp, one_of, values_of
from .catalog import Item, Routing, RoutingStep
from .plant import Machine, Station
from .sales import SalesOrder, SalesOrderLine
from .users import User

RUN_STATUSES = tuple(values_of(RunStatus))


class ProductionRun(Base):
    __tablename__ = "production_runs"
    __table_args__ = (
        CheckConstraint(one_of("status", RunStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.PENDING.value,
                                        index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    notes: Mapped[str] = mapped_column(String(2000), default="")
    due_date: Mapped[datetime | None]
    created_at: Mapped[Timestamp]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # Bumped on every change, so live screens can drop snapshots older than what they show.
    version: Mapped[int] = mapped_column(default=0)

    responsible: Mapped[User | None] = relationship(lazy="joined")
    # Joined: every run summary names its order, and dashboards summarise many runs.
    sales_order: Mapped[SalesOrder | None] = relationship(lazy="joined")
    lines: Mapped[list[RunLine]] = relationship(back_populates="run", order_by="RunLine.line_no")
    batches: Mapped[list[Batch]] = relationship(back_populates="run", order_by="Batch.id")


class RunLine(Base):
    """One batch spec of a run: item, quantity per batch, machines, number of batches."""

    __tablename__ = "run_lines"
    __table_args__ = (CheckConstraint("quantity > 0 AND batch_count >= 1", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("production_runs.id"), index=True)
    line_no: Mapped[int]
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    batch_count: Mapped[int]
    machine_codes: Mapped[str] = mapped_column(String(1000), default="")
    sales_order_line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_lines.id"))

    run: Mapped[ProductionRun] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship(lazy="joined")
    sales_order_line: Mapped[SalesOrderLine | None] = relationship()


class Batch(Base):
    __tablename__ = "batches"
    __table_args__ = (
        # Covers live run progress's count by run (server.services.progress).
        Index("ix_batches_run_progress", "run_id", "state", "item_id", "routing_id",
              "step_index"),
        # The domain enforces these; the database refuses what slips past it.
        CheckConstraint("quantity >= 0", name="quantity"),
        CheckConstraint(one_of("state", BatchState), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("production_runs.id"))
    run_line_id: Mapped[int | None] = mapped_column(ForeignKey("run_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    # The routing version the batch follows: the item's current one when the batch was made
    # (split and merge children keep their parents'), so a routing edit never moves it.
    routing_id: Mapped[int] = mapped_column(ForeignKey("routings.id"), index=True)
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    step_index: Mapped[int | None] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16), default=BatchState.WAITING.value)
    held_state: Mapped[str | None] = mapped_column(String(16))
    hold_reason: Mapped[str | None] = mapped_column(String(500))
    machine_id: Mapped[int | None] = mapped_column(ForeignKey("machines.id"))
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    last_scan_at: Mapped[datetime | None]
    # Where the last accepted scan came from: a repeat there soon after is a bounce.
    last_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    version: Mapped[int] = mapped_column(default=0)

    run: Mapped[ProductionRun] = relationship(back_populates="batches")
    run_line: Mapped[RunLine | None] = relationship()
    item: Mapped[Item] = relationship(lazy="joined")
    routing: Mapped[Routing] = relationship()
    machine: Mapped[Machine | None] = relationship(lazy="joined")
    last_station: Mapped[Station | None] = relationship()
    executions: Mapped[list[StepExecution]] = relationship(
        back_populates="batch", order_by="StepExecution.id"
    )

    __mapper_args__ = {"version_id_col": version}


class StepExecution(Base):
    __tablename__ = "step_executions"
    __table_args__ = (
        CheckConstraint("quantity_in >= 0 AND quantity_rejected >= 0 AND quantity_scrapped >= 0"
                        " AND quantity_waste >= 0 AND (quantity_good IS NULL OR "
                        "quantity_good >= 0)", name="quantities"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("routing_steps.id"))
    position: Mapped[int]
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    operator: Mapped[str | None] = mapped_column(String(64))  # verified user who started it
    finished_by: Mapped[str | None] = mapped_column(String(64))  # verified user who finished it
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    quantity_in: Mapped[Amount]
    quantity_good: Mapped[Amount | None]
    quantity_rejected: Mapped[Decimal] = mapped_column(default=Decimal(0))
    quantity_scrapped: Mapped[Decimal] = mapped_column(default=Decimal(0))
    quantity_waste: Mapped[Decimal] = mapped_column(default=Decimal(0))
    # Set when the scan that made or closed this execution was undone; kept, not deleted.
    undone_at: Mapped[datetime | None]

    batch: Mapped[Batch] = relationship(back_populates="executions")
    step: Mapped[RoutingStep] = relationship(lazy="joined")
    station: Mapped[Station | None] = relationship(lazy="joined")
