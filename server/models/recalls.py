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


class RecallHoldItem(Base):
    """A lot or serial the hold quarantined, and the status a release gives back."""

    __tablename__ = "recall_hold_items"
    __table_args__ = (CheckConstraint("(serial_id IS NULL) <> (lot_id IS NULL)",
                                      name="one_thing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("recall_holds.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    serial_id: Mapped[int | None] = mapped_column(ForeignKey("serials.id"))
    previous_status: Mapped[str] = mapped_column(String(16))

    hold: Mapped[RecallHold] = relationship(back_populates="items")
