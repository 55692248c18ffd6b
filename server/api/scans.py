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


def _record(station_id: int, station_name: str, body: object) -> tuple[Response, int]:
    runtime = current_app.extensions["floorline"]
    wait = current_app.extensions["floorline_limiter"].allow(station_name)
    if wait:
        from ..realtime.ratelimit import deferred_ack
        return jsonify(deferred_ack(body, wait)), 429
    result = scans.record_scan(runtime.engine, station_id, body, runtime.settings)
    _broadcast(result)
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
    return _record(actor.station_id, name, _body())


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
    return _record(station_id, name, {**body, "operator": actor.name, "source": "kiosk"})


SPECS += [Spec("/scans", "POST", "station", "Record a scan (station token).", ScanIn, None,
               200, "scans"),
          Spec("/stations/<name>/scans", "POST", "operator",
               "Record a code typed at a kiosk.", ScanIn, None, 200, "scans")]
