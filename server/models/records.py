"""Append-only records: scan events, audit trail, number sequences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from station.protocol import FINAL_OUTCOMES

from .base import Base, Timestamp, one_of


class ScanEvent(Base):
    __tablename__ = "scan_events"
    __table_args__ = (
        Index("ix_scan_events_station_received", "station_id", "received_at"),
        CheckConstraint(one_of("outcome", FINAL_OUTCOMES), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    raw_code: Mapped[str] = mapped_column(Text)
    symbology: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[str] = mapped_column(String(64), default="")
    scanned_at: Mapped[datetime | None]
    received_at: Mapped[Timestamp]
    # operator is a user the server verified (logged in at the station or the kiosk);
    # a name the station sent that the server cannot verify is kept apart, as a claim.
    operator: Mapped[str | None] = mapped_column(String(64))
    operator_claimed: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    step_position: Mapped[int | None]
    transition: Mapped[str | None] = mapped_column(String(16))
    # The ack sent for this event, replayed verbatim when the same event_id arrives again.
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


_PENDING = text("hash IS NULL")


class AuditRecord(Base):
    """One entry of the hash-chained audit trail (server.domain.audit_chain): append-only.

    seq numbers the chain in commit order without gaps and is unique, so two writers can
    never both chain onto the same predecessor. An entry is inserted with seq, prev_hash and
    hash empty and sealed once, as its transaction commits or just after (services.audit);
    the database refuses any other UPDATE, and every DELETE (triggers, migration audit_chain).
    """

    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_key"),
                      UniqueConstraint("seq"),
                      # The few entries a seal looks for, without reading the whole trail.
                      Index("ix_audit_records_pending", "id", postgresql_where=_PENDING,
                            sqlite_where=_PENDING))

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int | None]
    at: Mapped[Timestamp]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class Sequence(Base):
    """A named counter; numbers are drawn with a row-locked increment."""

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


