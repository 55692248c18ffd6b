"""Who is acting: a user, a station or the system, with the role that decides what is allowed."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Forbidden

RANK = {"viewer": 0, "operator": 1, "station": 1, "supervisor": 2, "planner": 3, "admin": 4}


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: str
    user_id: int | None = None
    station_id: int | None = None

    @property
    def is_station(self) -> bool:
        return self.station_id is not None

    def require(self, role: str) -> None:
        """Raise Forbidden unless this actor holds role or a higher one."""
        if self.is_station and role != "station":
            raise Forbidden("a station token can only send scans and heartbeats",
                            code="forbidden", required=role, role="station")
        if RANK.get(self.role, -1) < RANK[role]:
            raise Forbidden(f"this needs the {role} role", code="forbidden",
                            required=role, role=self.role)


SYSTEM = Actor("system", "admin")


def station_actor(name: str, station_id: int) -> Actor:
    return Actor(f"station:{name}", "station", station_id=station_id)
