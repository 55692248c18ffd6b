"""Stations (with their secret tokens) and machines."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.protocol import RESEND_DEAD_LETTERS

from ..domain.batches import ScanMode
from ..errors import BadRequest, Conflict, NotFound, Unauthorized
from ..models import Machine, Station, utcnow
from . import audit
from .actors import Actor
from .catalog import operation_by_code
from .station_health import agent_report, count_or_none, station_alerts
from .users import STATION_TOKEN_PREFIX, hash_token, new_token


def create_station(session: Session, actor: Actor, *, name: str, operation: str,
                   scan_mode: str = "complete", description: str = ""
                   ) -> tuple[dict[str, Any], str]:
    """Register a station; return it and its token (shown once)."""
    actor.require("admin")
    if scan_mode not in ScanMode.__members__.values():
        raise BadRequest(f"scan mode must be toggle or complete, not {scan_mode!r}",
                         code="invalid_scan_mode")
    if session.scalar(select(Station.id).where(Station.name == name)):
        raise Conflict(f"station {name!r} exists", code="duplicate_station")
    token = new_token(STATION_TOKEN_PREFIX)
    station = Station(name=name, operation=operation_by_code(session, operation),
                      scan_mode=scan_mode, description=description, token_hash=hash_token(token))
    session.add(station)
    session.flush()
    audit.record(session, actor, "station.create", "station", name, operation=operation,
                 scan_mode=scan_mode)
    return station_dict(station), token


def rotate_station_token(session: Session, actor: Actor, name: str) -> str:
    """Replace a station's token; the old one stops working at once."""
    actor.require("admin")
    station = station_by_name(session, name)
    token = new_token(STATION_TOKEN_PREFIX)
    station.token_hash = hash_token(token)
    audit.record(session, actor, "station.rotate_token", "station", name)
    return token


def set_station_enabled(session: Session, actor: Actor, name: str, enabled: bool,
                        reason: str = "") -> dict[str, Any]:
    actor.require("supervisor")
    station = station_by_name(session, name)
    station.enabled = enabled
    audit.record(session, actor, "station.enable" if enabled else "station.disable",
                 "station", name, reason=reason)
    return station_dict(station)


def request_dead_letter_resend(session: Session, actor: Actor, name: str) -> dict[str, Any]:
    """Record a supervisor's order that a station resend its dead letters; return it."""
    actor.require("supervisor")
    station = station_by_name(session, name)
    dead = ((station.health or {}).get("dead_letters") or {}).get("count") or 0
    # Kept until the agent reports it done: an agent away now gets it with its next heartbeat.
    order = uuid.uuid4().hex
    station.health = {**(station.health or {}), "resend_order": order}
    audit.record(session, actor, "station.resend_dead_letters", "station", name,
                 dead_letters=dead, order=order)
    return {"station": name, "online": station.online, "dead_letters": dead,
            "requested_by": actor.name, "order": order}


def pending_commands(health: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the commands a station's agent has not yet reported done (for its heartbeat ack)."""
    order = (health.get("health") or {}).get("resend_order")
    return [{"name": RESEND_DEAD_LETTERS, "order": order}] if order else []


def station_by_name(session: Session, name: str) -> Station:
    station = session.scalar(select(Station).where(Station.name == name))
    if station is None:
        raise NotFound(f"no station {name!r}", code="unknown_station", station=name)
    return station


def station_dict(station: Station) -> dict[str, Any]:
    health = station.health or {}
    return {
        "name": station.name, "description": station.description,
        "operation": station.operation.code, "operation_name": station.operation.name,
        "scan_mode": station.scan_mode, "enabled": station.enabled, "online": station.online,
        "last_seen_at": station.last_seen_at.isoformat() if station.last_seen_at else None,
        # None: unknown (the agent left without saying what it still holds).
        "outbox_depth": station.outbox_depth if health.get("depth_known", True) else None,
        "health": health, "alerts": station_alerts(health),
        "machines": [m.code for m in station.machines],
        "packing": station.packing,  # serial and lot scans there go onto its shipment
    }


def list_stations(session: Session) -> list[dict[str, Any]]:
    return [station_dict(s) for s in session.scalars(select(Station).order_by(Station.name))]


def create_machine(session: Session, actor: Actor, *, code: str, name: str,
                   station: str | None = None) -> dict[str, Any]:
    actor.require("admin")
    if session.scalar(select(Machine.id).where(Machine.code == code)):
        raise Conflict(f"machine {code!r} exists", code="duplicate_machine")
    machine = Machine(code=code, name=name,
                      station=station_by_name(session, station) if station else None)
    session.add(machine)
    session.flush()
    audit.record(session, actor, "machine.create", "machine", code, station=station)
    return machine_dict(machine)


def machine_dict(machine: Machine) -> dict[str, Any]:
    return {"code": machine.code, "name": machine.name, "enabled": machine.enabled,
            "station": machine.station.name if machine.station else None}


def list_machines(session: Session) -> list[dict[str, Any]]:
    return [machine_dict(m) for m in session.scalars(select(Machine).order_by(Machine.code))]


def machines_by_code(session: Session, codes: list[str]) -> list[Machine]:
    found = {m.code: m for m in session.scalars(select(Machine).where(Machine.code.in_(codes)))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise NotFound(f"no machine {missing[0]!r}", code="unknown_machine", machines=missing)
    return [found[c] for c in codes]


def record_heartbeat(session: Session, station_id: int, body: object,
                     token_hash: str | None = None) -> dict[str, Any]:
    """Store what a station's agent reports about itself and mark it online."""
    station = session.get(Station, station_id)
    assert station is not None
    if token_hash is not None and station.token_hash != token_hash:
        raise Unauthorized("the station's token was replaced", code="bad_token")
    report = body if isinstance(body, dict) else {}
    depth = count_or_none(report.get("outbox_depth"))
    station.outbox_depth = depth or 0
    order = (station.health or {}).get("resend_order")
    station.health = {**agent_report(report), "via": "websocket",
                      "depth_known": depth is not None}
    if order and report.get("resend_done") != order:
        station.health["resend_order"] = order  # not done yet: asked again in the ack
    station.online, station.last_seen_at = True, utcnow()
    return station_dict(station)


def set_online(session: Session, station_id: int, online: bool) -> dict[str, Any]:
    """Mark a station connected or gone; once gone, its last depth is only a guess."""
    station = session.get(Station, station_id)
    assert station is not None
    station.online = online
    station.last_seen_at = utcnow()
    if not online:
        _forget_depth(station)
    return station_dict(station)


def mark_seen(session: Session, station_id: int, via: str) -> dict[str, Any] | None:
    """Mark a station seen by a scan (HTTP has no heartbeat); return its health if it changed."""
    station = session.get(Station, station_id)
    if station is None:
        return None
    came_online = not station.online
    station.online, station.last_seen_at = True, utcnow()
    if came_online:
        station.health = {**(station.health or {}), "via": via, "depth_known": False}
    return station_dict(station) if came_online else None


def mark_silent_offline(session: Session, timeout_seconds: float) -> list[dict[str, Any]]:
    """Mark stations offline that have not been heard from within the timeout."""
    cutoff = utcnow() - timedelta(seconds=timeout_seconds)
    stale = session.scalars(select(Station).where(Station.online.is_(True),
                                                  Station.last_seen_at < cutoff)).all()
    for station in stale:
        station.online = False
        _forget_depth(station)
    return [station_dict(s) for s in stale]


def _forget_depth(station: Station) -> None:
    """Keep the depth an agent gave in its final heartbeat; any other is stale once it left."""
    health = dict(station.health or {})
    if not health.get("final"):
        health["depth_known"] = False
        station.health = health


class SeenThrottle:
    """Say when a station's last-seen time is due a write, so scans do not write per scan."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._last: dict[int, float] = {}
        self._lock = threading.Lock()

    def due(self, station_id: int) -> bool:
        """Return True at most once per interval for a station."""
        now = self._clock()
        with self._lock:
            last = self._last.get(station_id)
            if last is not None and now - last < self.interval:
                return False
            self._last[station_id] = now
            return True
