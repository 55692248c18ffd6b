"""Recall holds: one action that quarantined everything affected still in stock, and its undo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Code, Timestamp, UTCDateTime


class RecallHold(Base):
    __tablename__ = "recall_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code] = mapped_column(unique=True)
    origin: Mapped[str] = mapped_column(String(200))  # the code the recall started from
    reason: Mapped[str] = mapped_column(String(500))
    held_by: Mapped[str] = mapped_column(String(100))
    held_at: Mapped[Timestamp]
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_by: Mapped[str] = mapped_column(String(100), default="")
    release_reason: Mapped[str] = mapped_column(String(500), default="")

    items: Mapped[list[RecallHoldItem]] = relationship(back_populates="hold",
                                                       order_by="RecallHoldItem.id")


# Exactly one of the three things an item holds (CASE: PostgreSQL cannot add booleans).
ONE_THING = " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END"
                       for c in ("lot_id", "serial_id", "batch_id")) + " = 1"


class RecallHoldItem(Base):
    """A lot or serial the hold quarantined, or a batch in process it put on hold, and the
    status a release gives back."""

    __tablename__ = "recall_hold_items"
    __table_args__ = (CheckConstraint(ONE_THING, name="one_thing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("recall_holds.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    serial_id: Mapped[int | None] = mapped_column(ForeignKey("serials.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"))
    previous_status: Mapped[str] = mapped_column(String(16))

    hold: Mapped[RecallHold] = relationship(back_populates="items")
