"""REST fallback for scans, where websockets are blocked: same body, same ack, same service."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request

from ..errors import BadRequest, Forbidden
from ..services import plant, scans
from .auth import current_actor
from .endpoint import SPECS, Spec, bp
from .schemas import ScanIn


def _broadcast(result: scans.ScanResult) -> None:
    live = current_app.extensions.get("floorline_live")
    if live is not None and not result.replayed:
        live.scan(result)


def _record(station_id: int, station_name: str, body: object,
            operator: str | None = None) -> tuple[Response, int]:
    runtime = current_app.extensions["floorline"]
    wait = current_app.extensions["floorline_limiter"].allow(station_name)
    if wait:
        from ..realtime.ratelimit import deferred_ack
        return jsonify(deferred_ack(body, wait)), 429
    result = scans.record_scan(runtime.engine, station_id, body, runtime.settings,
                               operator=operator)
    _broadcast(result)
    if result.ack["outcome"] == "deferred":  # the database may take it on a retry
        response = jsonify(result.ack)
        response.headers["Retry-After"] = str(max(1, round(result.ack["retry_after"])))
        return response, 503
    return jsonify(result.ack), 200


def _body() -> object:
    if not request.is_json:
        raise BadRequest("send a JSON body with Content-Type: application/json",
                         code="invalid_json")
    return request.get_json(silent=True)


@bp.post("/scans")
def post_scan() -> tuple[Response, int]:
    """Record a scan sent by a station token; answers with the same ack as Socket.IO."""
    runtime = current_app.extensions["floorline"]
    with runtime.transaction() as db:
        actor = current_actor(db)
        if actor.station_id is None:
            raise Forbidden("POST /scans takes a station token; operators use "
                            "/stations/<name>/scans", code="forbidden")
        name = actor.name.removeprefix("station:")
    _note_seen(actor.station_id)
    return _record(actor.station_id, name, _body())


def _note_seen(station_id: int) -> None:
    """Keep an agent that scans over HTTP (no heartbeat there) online; one write per interval."""
    runtime = current_app.extensions["floorline"]
    throttle = current_app.extensions.setdefault(
        "floorline_http_seen", plant.SeenThrottle(runtime.settings.heartbeat_timeout / 3))
    if not throttle.due(station_id):
        return
    with runtime.transaction() as db:
        health = plant.mark_seen(db, station_id, "http")
    live = current_app.extensions.get("floorline_live")
    if health is not None and live is not None:
        live.station(health)


@bp.post("/stations/<name>/scans")
def post_station_scan(name: str) -> tuple[Response, int]:
    """Record a code typed at a kiosk (a damaged label), as the logged-in operator."""
    runtime = current_app.extensions["floorline"]
    with runtime.transaction() as db:
        actor = current_actor(db)
        actor.require("operator")
        station = plant.station_by_name(db, name)
        station_id = station.id
    _body()
    # A person typed this: a malformed body is their 400, not a station's rejected ack.
    body = ScanIn.model_validate_json(request.get_data()).model_dump()
    return _record(station_id, name, {**body, "operator": actor.name, "source": "kiosk"},
                   operator=actor.name)


SPECS += [Spec("/scans", "POST", "station", "Record a scan (station token).", ScanIn, None,
               200, "scans"),
          Spec("/stations/<name>/scans", "POST", "operator",
               "Record a code typed at a kiosk.", ScanIn, None, 200, "scans")]
