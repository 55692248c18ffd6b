"""REST: stations (with token issue and rotation) and machines."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from station.protocol import RESEND_DEAD_LETTERS

from .. import effects
from ..services import plant
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .schemas import MachineIn, StationIn, StationPatch


@endpoint("/stations", tag="stations", response=LIST)
def list_stations(db: Session, actor: Actor) -> Any:
    """List stations with their live health."""
    return plant.list_stations(db)


@endpoint("/stations", "POST", role="admin", body=StationIn, status=201, tag="stations")
def create_station(db: Session, actor: Actor, body: StationIn) -> Any:
    """Register a station; the response carries its token, shown only once."""
    station, token = plant.create_station(db, actor, **body.model_dump())
    return {**station, "token": token}


@endpoint("/stations/<name>", tag="stations")
def get_station(db: Session, actor: Actor, name: str) -> Any:
    """Return one station."""
    return plant.station_dict(plant.station_by_name(db, name))


@endpoint("/stations/<name>", "PATCH", role="supervisor", body=StationPatch, tag="stations")
def patch_station(db: Session, actor: Actor, name: str, body: StationPatch) -> Any:
    """Enable or disable a station."""
    return plant.set_station_enabled(db, actor, name, body.enabled, body.reason)


@endpoint("/stations/<name>/token", "POST", role="admin", tag="stations")
def rotate_token(db: Session, actor: Actor, name: str) -> Any:
    """Issue a new token for a station; the old one stops working."""
    token = plant.rotate_station_token(db, actor, name)
    stations = current_app.extensions.get("floorline_stations")
    if stations is not None:
        # Drop this process's connections of the station once the new token is committed.
        # A connection to another process is refused at its next scan or heartbeat.
        effects.after_commit(db, lambda: stations.disconnect_station(name))
    return {"station": name, "token": token}


@endpoint("/stations/<name>/dead-letters/resend", "POST", role="supervisor", tag="stations")
def resend_dead_letters(db: Session, actor: Actor, name: str) -> Any:
    """Tell a station's agent to resend the scans the server refused for their time."""
    order = plant.request_dead_letter_resend(db, actor, name)
    stations = current_app.extensions.get("floorline_stations")
    if stations is not None:
        # After the commit (the audit row stands); the room reaches the agent on any process.
        effects.after_commit(db, lambda: stations.send_command(name, RESEND_DEAD_LETTERS, order))
    return order


@endpoint("/machines", tag="stations", response=LIST)
def list_machines(db: Session, actor: Actor) -> Any:
    """List machines."""
    return plant.list_machines(db)


@endpoint("/machines", "POST", role="admin", body=MachineIn, status=201, tag="stations")
def create_machine(db: Session, actor: Actor, body: MachineIn) -> Any:
    """Add a machine, optionally at a station."""
    return plant.create_machine(db, actor, **body.model_dump())
