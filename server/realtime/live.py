"""/live: browsers join rooms (plant, run:<number>, station:<name>) and get a snapshot first.

Who may join what: anyone (with live_public on) the plant room only; a logged-in user or a
user token any room; a paired kiosk the plant and its own station's room. The credential is
checked again on every join, so a logout or a revoked token ends access in every process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import request, session
from flask_socketio import Namespace, join_room
from socketio.exceptions import ConnectionRefusedError as Refused

from ..api.auth import paired_station
from ..domain.batches import Reason
from ..errors import FloorlineError, NotFound
from ..runtime import Runtime
from ..services import live, users
from .broadcast import Broadcaster
from .station import connect_token

ROOM = re.compile(r"^(plant|run:[A-Za-z0-9-]{1,64}|station:[A-Za-z0-9._/-]{1,64})$")
# Rejections whose raw code may be anything a scanner read (a badge, a typo): kept off plant.
PRIVATE_REASONS = frozenset({Reason.UNKNOWN_CODE.value, Reason.NOT_A_BATCH.value})


@dataclass(frozen=True)
class Viewer:
    """Who a /live socket speaks for: a login session, a user token, a kiosk, or nobody."""

    login: str | None = None
    user_id: int | None = None
    token: str | None = None
    station: str | None = None

    @property
    def user(self) -> bool:
        return self.user_id is not None

    def may_join(self, room: str) -> bool:
        if self.user or room == "plant":
            return True
        return self.station is not None and room == f"station:{self.station}"


def plant_scan(scan: dict[str, Any]) -> dict[str, Any]:
    """Return a scan as the plant room may see it: no raw code of an unrecognised read."""
    if scan.get("reason") in PRIVATE_REASONS:
        return {**scan, "code": ""}
    return scan


class LiveNamespace(Namespace):  # type: ignore[misc]
    def __init__(self, namespace: str, runtime: Runtime, broadcaster: Broadcaster) -> None:
        super().__init__(namespace)
        self.runtime = runtime
        self.broadcaster = broadcaster
        self.viewers: dict[str, Viewer] = {}  # socket sid -> who it speaks for

    def on_connect(self, auth: object = None) -> None:
        viewer = self._viewer(connect_token(auth, request.environ))
        if viewer is None:
            raise Refused("not_authorized: log in or pass a user token")
        self.viewers[request.sid] = viewer  # type: ignore[attr-defined]
        self.broadcaster.start()

    def on_disconnect(self, reason: object = None) -> None:
        self.viewers.pop(request.sid, None)  # type: ignore[attr-defined]

    def _viewer(self, token: str | None, login: tuple[object, object] | None = None
                ) -> Viewer | None:
        """Return who is asking, or None if they may not watch at all."""
        sid, user_id = login or (session.get("sid"), session.get("user_id"))
        with self.runtime.sessions() as s:
            if token:
                try:
                    actor = users.actor_for_token(s, token)
                except FloorlineError:
                    return None
                # Station tokens send scans; they do not watch the plant.
                return None if actor.is_station else Viewer(token=token,
                                                            user_id=actor.user_id)
            user = users.session_user(s, sid, user_id)
            if user is not None:
                return Viewer(login=str(sid), user_id=user.id)
            station = paired_station(s)
        if station is not None:
            return Viewer(station=station)
        return Viewer() if self.runtime.settings.live_public else None

    def _still(self, viewer: Viewer) -> Viewer | None:
        """Check a connected viewer's credential again (it may have been revoked elsewhere)."""
        if viewer.token or viewer.login:
            again = self._viewer(viewer.token, (viewer.login, viewer.user_id))
            return again if again is not None and again.user else None  # not a public one
        return viewer

    def on_join(self, data: object) -> dict[str, Any]:
        """Join a room and return its snapshot, so a (re)connecting screen resyncs."""
        sid = request.sid  # type: ignore[attr-defined]
        viewer = self.viewers.get(sid)
        viewer = self._still(viewer) if viewer is not None else None
        if viewer is None:
            self._drop([sid])
            return {"error": "not_authorized", "message": "your login has ended"}
        room = data.get("room") if isinstance(data, dict) else None
        if not isinstance(room, str) or not ROOM.match(room):
            return {"error": "unknown_room"}
        if not viewer.may_join(room):
            return {"error": "not_authorized",
                    "message": "log in to watch runs and stations (public screens see the "
                               "plant only)"}
        # Join before reading: an update racing the snapshot then arrives after it, and its
        # version tells the screen whether it is newer.
        join_room(room, sid=sid, namespace=self.namespace)
        try:
            with self.runtime.sessions() as s:
                return live.snapshot(s, room, self.runtime.settings)
        except NotFound as err:
            return {"error": err.code, "message": err.message}

    def end_login(self, login: str) -> None:
        """Disconnect this process's sockets of a browser login that has ended."""
        self._drop([sid for sid, v in self.viewers.items() if v.login == login])

    def end_user(self, user_id: int) -> None:
        """Disconnect this process's sockets of a deactivated user."""
        self._drop([sid for sid, v in self.viewers.items() if v.user_id == user_id])

    def _drop(self, sids: list[str]) -> None:
        for sid in sids:
            self.viewers.pop(sid, None)
            self.socketio.server.disconnect(sid, namespace=self.namespace)
