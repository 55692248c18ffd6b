"""/station: agents connect with their token, send scans (acked) and heartbeats.

A python-socketio namespace, not Flask-SocketIO's: these handlers need nothing of Flask,
and Flask-SocketIO wraps each event in a Flask request context (routing the Socket.IO URL,
opening the session cookie) that cost a tenth of a scan's CPU. The Flask-free services are
all they call.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from socketio.exceptions import ConnectionRefusedError as Refused
from sqlalchemy.exc import DBAPIError

from station.protocol import Outcome, Reason, error_fields

from ..dberrors import is_transient
from ..errors import FloorlineError
from ..models import utcnow
from ..runtime import Runtime
from ..services import plant, users
from ..services.scan_groups import Scan, ScanGroups
from .broadcast import Broadcaster
from .ratelimit import RateLimiter, deferred_ack

log = logging.getLogger(__name__)


def connect_token(auth: object, environ: dict[str, Any]) -> str | None:
    """Return the token from the Socket.IO auth object or an Authorization header."""
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        return str(auth["token"])
    scheme, _, token = str(environ.get("HTTP_AUTHORIZATION", "")).partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def agent_room(name: str) -> str:
    """Return the /station room of a station's agents (commands reach every process)."""
    return f"agent:{name}"


def not_authorized(event_id: object = None) -> dict[str, Any]:
    """Return the ack of an event from a connection that holds no station."""
    message = "this connection is not a station's"
    return {"event_id": event_id if isinstance(event_id, str) else None,
            "outcome": Outcome.REJECTED.value, "reason": Reason.NOT_AUTHORIZED.value,
            **error_fields(Reason.NOT_AUTHORIZED.value, message)}


class StationNamespace(socketio.Namespace):  # type: ignore[misc]
    def __init__(self, namespace: str, runtime: Runtime, broadcaster: Broadcaster,
                 limiter: RateLimiter) -> None:
        super().__init__(namespace)
        self.runtime = runtime
        self.broadcaster = broadcaster
        self.limiter = limiter
        self.groups = ScanGroups(runtime)
        # sid -> (station id, name, hash of the token it connected with)
        self.stations: dict[str, tuple[int, str, str]] = {}

    def on_connect(self, sid: str, environ: dict[str, Any], auth: object = None) -> None:
        token = connect_token(auth, environ)
        try:
            with self.runtime.transaction() as s:
                actor = users.actor_for_token(s, token or "")
                if actor.station_id is None:
                    raise Refused("not_authorized: not a station token")
                health = plant.set_online(s, actor.station_id, True)
        except FloorlineError as err:
            log.warning("station connection refused: %s", err.message)
            # socketio's own exception: its message reaches the client as the refusal reason.
            raise Refused(f"not_authorized: {err.message}") from err
        except DBAPIError as err:
            if not is_transient(err):
                raise
            # The agent keeps its outbox and reconnects with back-off.
            log.warning("station connection deferred, the database is unavailable: %s", err)
            raise Refused(f"{Reason.DATABASE_BUSY.value}: the server cannot reach its database"
                          ) from err
        self.stations[sid] = (actor.station_id, health["name"], users.hash_token(token or ""))
        self.enter_room(sid, agent_room(health["name"]))
        self.broadcaster.start()
        self.broadcaster.station(health)

    def on_disconnect(self, sid: str, reason: object = None) -> None:
        station = self.stations.pop(sid, None)
        if station is None or station[0] in {st[0] for st in self.stations.values()}:
            return
        try:
            with self.runtime.transaction() as s:
                self.broadcaster.station(plant.set_online(s, station[0], False))
        except DBAPIError as err:
            if not is_transient(err):
                raise
            # The sweep for silent stations marks it offline once the database answers.
            log.warning("station %s left while the database was unavailable", station[1])

    def disconnect_station(self, name: str) -> None:
        """Drop this process's connections of a station (its token was rotated)."""
        for sid, station in list(self.stations.items()):
            if station[1] == name:
                self.disconnect(sid)

    def send_command(self, name: str, event: str, data: dict[str, Any]) -> None:
        """Send a command to every agent of a station, on whichever process holds it."""
        self.emit(event, data, to=agent_room(name))

    def on_scan(self, sid: str, data: object = None) -> dict[str, Any]:
        station = self.stations.get(sid)
        if station is None:
            return not_authorized(data.get("event_id") if isinstance(data, dict) else None)
        wait = self.limiter.allow(station[1])
        if wait:
            return deferred_ack(data, wait)
        # Scans arriving together share one commit; the ack waits for it.
        result = self.groups.record(Scan(station[0], data, station[2]))
        if not result.replayed:
            self.broadcaster.scan(result)
        return result.ack

    def on_heartbeat(self, sid: str, data: object = None) -> dict[str, Any]:
        station = self.stations.get(sid)
        if station is None:
            return error_fields(Reason.NOT_AUTHORIZED.value, "this connection is not a station's")
        try:
            with self.runtime.transaction() as s:
                health = plant.record_heartbeat(s, station[0], data, token_hash=station[2])
        except FloorlineError as err:  # the token was rotated since this connection began
            log.warning("station %s dropped: %s", station[1], err.message)
            self.disconnect(sid)
            return error_fields(Reason.NOT_AUTHORIZED.value, err.message)
        except DBAPIError as err:
            if not is_transient(err):
                raise
            # Health waits for the next beat; the clock answer keeps the agent's link up.
            return {"server_time": utcnow().isoformat(),
                    **error_fields(Reason.DATABASE_BUSY.value, "health not recorded, retry")}
        self.broadcaster.station(health)
        ack: dict[str, Any] = {"server_time": utcnow().isoformat()}
        commands = plant.pending_commands(health)
        if commands:
            ack["commands"] = commands
        return ack
