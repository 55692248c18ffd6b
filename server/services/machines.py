"""Machines: rename, move to another station, enable or disable."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Machine
from . import audit
from .actors import Actor
from .plant import machine_dict, station_by_name

_UNSET: Any = object()  # "station": None means no station, so absence needs its own mark


def machine_by_code(session: Session, code: str) -> Machine:
    machine = session.scalar(select(Machine).where(Machine.code == code))
    if machine is None:
        raise NotFound(f"no machine {code!r}", code="unknown_machine", machine=code)
    return machine


def update_machine(session: Session, actor: Actor, code: str, *, name: str | None = None,
                   station: str | None = _UNSET, enabled: bool | None = None,
                   reason: str = "") -> dict[str, Any]:
    """Change a machine's name or station, or enable or disable it for new runs."""
    actor.require("admin")
    machine = machine_by_code(session, code)
    before = machine_dict(machine)
    if name is not None:
        machine.name = name
    if station is not _UNSET:
        machine.station = station_by_name(session, station) if station else None
    if enabled is not None:
        machine.enabled = enabled
    after = machine_dict(machine)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    audit.record(session, actor, "machine.update", "machine", code, reason=reason,
                 changes=changed)
    return after
