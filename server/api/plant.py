"""REST: stations (with token issue and rotation) and machines."""

from __future__ import annotations

from typing import Any

from flask import Response, after_this_request, current_app
from sqlalchemy.orm import Session

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

    @after_this_request
    def drop_connections(response: Response) -> Response:
        # After the commit: drop this process's connections of the station. A connection
        # to another process is refused at its next scan or heartbeat.
        if stations is not None:
            stations.disconnect_station(name)
        return response

    return {"station": name, "token": token}


@endpoint("/machines", tag="stations", response=LIST)
def list_machines(db: Session, actor: Actor) -> Any:
    """List machines."""
    return plant.list_machines(db)


@endpoint("/machines", "POST", role="admin", body=MachineIn, status=201, tag="stations")
def create_machine(db: Session, actor: Actor, body: MachineIn) -> Any:
    """Add a machine, optionally at a station."""
    return plant.create_machine(db, actor, **body.model_dump())
