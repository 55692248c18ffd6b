"""/live: browsers join rooms (plant, run:<number>, station:<name>) and get a snapshot first."""

from __future__ import annotations

import re
from typing import Any

from flask import request, session
from flask_socketio import Namespace, join_room

from ..api.auth import paired_station
from ..errors import FloorlineError, NotFound
from ..models import User
from ..runtime import Runtime
from ..services import live, users
from .broadcast import Broadcaster
from .station import connect_token

ROOM = re.compile(r"^(plant|run:[A-Za-z0-9-]{1,64}|station:[A-Za-z0-9._/-]{1,64})$")


class LiveNamespace(Namespace):  # type: ignore[misc]
    def __init__(self, namespace: str, runtime: Runtime, broadcaster: Broadcaster) -> None:
        super().__init__(namespace)
        self.runtime = runtime
        self.broadcaster = broadcaster

    def on_connect(self, auth: object = None) -> None:
        if not self._allowed(auth):
            raise ConnectionRefusedError("not_authorized: log in or pass a token")
        self.broadcaster.start()

    def _allowed(self, auth: object) -> bool:
        if self.runtime.settings.live_public:
            return True
        token = connect_token(auth)
        with self.runtime.sessions() as s:
            if token:
                try:
                    # Station tokens send scans; they do not watch the plant.
                    return not users.actor_for_token(s, token).is_station
                except FloorlineError:
                    return False
            user_id = session.get("user_id")
            user = s.get(User, user_id) if user_id else None
            return (user is not None and user.active) or paired_station(s) is not None

    def on_join(self, data: object) -> dict[str, Any]:
        """Join a room and return its snapshot, so a (re)connecting screen resyncs."""
        room = data.get("room") if isinstance(data, dict) else None
        if not isinstance(room, str) or not ROOM.match(room):
            return {"error": "unknown_room"}
        # Join before reading: an update racing the snapshot then arrives after it, and its
        # version tells the screen whether it is newer.
        join_room(room, sid=request.sid, namespace="/live")  # type: ignore[attr-defined]
        try:
            with self.runtime.sessions() as s:
                return live.snapshot(s, room, self.runtime.settings)
        except NotFound as err:
            return {"error": err.code, "message": err.message}


