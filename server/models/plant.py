"""Stations (scan points) and machines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Code, Name, Timestamp
from .catalog import Operation


class Station(Base):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Code] = mapped_column(unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))
    scan_mode: Mapped[str] = mapped_column(String(16), default="complete")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    online: Mapped[bool] = mapped_column(default=False)
    last_seen_at: Mapped[datetime | None]
    outbox_depth: Mapped[int] = mapped_column(default=0)
    health: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Who is logged in at the station (badge at its kiosk or scanner), and when they were
    # last active there: scans at the station are theirs until logout or an idle timeout.
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    operator_seen_at: Mapped[datetime | None]
    # The production stage the station serves, if any (a stage may have several stations).
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), index=True)
    # A packing station: serial and lot labels scanned there go onto its open shipment.
    packing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp]

    operation: Mapped[Operation] = relationship(lazy="joined")
    machines: Mapped[list[Machine]] = relationship(back_populates="station")


class Machine(Base):
    __tablename__ = "machines"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Code] = mapped_column(unique=True)
    name: Mapped[Name]
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    # A disabled machine is kept (batches name it) but offered to no new run.
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]

    station: Mapped[Station | None] = relationship(back_populates="machines")
