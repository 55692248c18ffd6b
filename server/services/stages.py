"""Production stages: the catalogue, and which stations serve each stage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from ..errors import Conflict, FloorlineError, Unprocessable
from ..models import Stage, Station
from . import audit
from .actors import Actor


@contextmanager
def naming(field: str) -> Iterator[None]:
    """Add the body field a refusal is about to its detail (unless it names one already)."""
    try:
        yield
    except (FloorlineError, DomainError) as err:
        err.detail.setdefault("field", field)
        raise


def stage_by_code(session: Session, code: str, *, field: str = "stage") -> Stage:
    stage = session.scalar(select(Stage).where(Stage.code == code))
    if stage is None:
        raise Unprocessable(f"no stage {code!r}", code="unknown_stage", stage=code,
                            field=field)
    return stage


def list_stages(session: Session) -> list[dict[str, Any]]:
    """Return every stage in its position order, with the stations serving it."""
    stages = session.scalars(select(Stage).order_by(Stage.position, Stage.code)).all()
    served: dict[int, list[str]] = {}
    for name, stage_id in session.execute(select(Station.name, Station.stage_id)
                                          .where(Station.stage_id.is_not(None))
                                          .order_by(Station.name)):
        if stage_id is not None:
            served.setdefault(stage_id, []).append(name)
    return [_plain(s, served.get(s.id, [])) for s in stages]


def create_stage(session: Session, actor: Actor, *, code: str, name: str,
                 position: int | None = None, stations: list[str] | None = None
                 ) -> dict[str, Any]:
    """Add a stage (last in order unless a position is given), served by stations."""
    actor.require("planner")
    if session.scalar(select(Stage.id).where(Stage.code == code)):
        raise Conflict(f"stage {code!r} exists", code="stage_exists", field="code")
    if position is None:
        last = session.scalars(select(Stage.position).order_by(Stage.position.desc())).first()
        position = (last or 0) + 1
    stage = Stage(code=code, name=name, position=position, archived=False)
    session.add(stage)
    session.flush()
    served = _serve(session, stage, stations or [])
    audit.record(session, actor, "stage.create", "stage", code, name=name, position=position,
                 stations=served)
    return _plain(stage, served)


def update_stage(session: Session, actor: Actor, code: str, *, name: str | None = None,
                 position: int | None = None, archived: bool | None = None,
                 stations: list[str] | None = None) -> dict[str, Any]:
    """Rename, reorder, archive a stage or set the stations that serve it."""
    actor.require("planner")
    stage = stage_by_code(session, code)
    changes: dict[str, Any] = {}
    for key, value in (("name", name), ("position", position), ("archived", archived)):
        if value is not None and getattr(stage, key) != value:
            changes[key] = {"before": getattr(stage, key), "after": value}
            setattr(stage, key, value)
    if stations is not None:
        changes["stations"] = _serve(session, stage, stations)
    audit.record(session, actor, "stage.update", "stage", code, **changes)
    return next(s for s in list_stages(session) if s["code"] == code)


def _serve(session: Session, stage: Stage, names: list[str]) -> list[str]:
    """Make exactly these stations serve the stage (a station serves one stage at most)."""
    found = {s.name: s for s in session.scalars(select(Station).where(Station.name.in_(names)))}
    for i, name in enumerate(names):
        if name not in found:
            raise Unprocessable(f"no station {name!r}", code="unknown_station",
                                field=f"stations[{i}]", station=name)
        other = found[name].stage_id
        if other is not None and other != stage.id:
            # Moving a station silently would take it from a stage someone set up: refuse,
            # naming the stage it serves, so it is taken off there first.
            serving = session.get(Stage, other)
            held = serving.code if serving else "?"
            raise Conflict(f"station {name!r} already serves stage {held!r}: remove it there "
                           f"first (a station serves at most one stage)",
                           code="station_has_stage", field=f"stations[{i}]", station=name,
                           stage=held)
    for station in session.scalars(select(Station).where(Station.stage_id == stage.id)):
        if station.name not in found:
            station.stage_id = None
    for station in found.values():
        station.stage_id = stage.id
    session.flush()
    return sorted(found)


def _plain(stage: Stage, stations: list[str]) -> dict[str, Any]:
    return {"code": stage.code, "name": stage.name, "position": stage.position,
            "archived": stage.archived, "stations": stations}
