"""Who does the work at a station: the operator logged in there, and badge reads at its scanner.

A badge (at the kiosk, or read by the station's scanner) logs its user in at the station;
scans there are theirs until logout or ``operator_idle_minutes`` without a scan. The
station's login names who did the work; on its own it grants no rights. A paired kiosk at
the station may take it over as a browser session (``POST /auth/badge/station``), only for a
badge read in the last minutes by a badge-only operator, so the queue can be worked by taps
without a keyboard. A name a station sends
with a scan is a claim the server cannot check, stored apart from the verified operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from ..domain.batches import Outcome, Reason
from ..models import Station, User, utcnow
from ..settings import Settings
from .driver_sql import Prepared
from .driver_sql import execute as run
from .plant import station_by_name

S, U = (cast(Table, m.__table__) for m in (Station, User))
# Badge cards printed for Floorline carry this prefix, so an unknown or retired badge is
# still told apart from a damaged batch label (and its code kept out of the scan log).
BADGE_PREFIX = "BADGE-"
# Refresh the operator's last activity at most this often, not with every scan.
TOUCH_EVERY = timedelta(seconds=60)

# Run on the driver (driver_sql): the scan path asks this with every scan.
CURRENT = Prepared(select(U.c.username, S.c.operator_seen_at)
                   .join(U, U.c.id == S.c.operator_id)
                   .where(S.c.id == bindparam("s_id"), U.c.active.is_(True)))
BADGE_USER = select(U.c.id, U.c.username, U.c.display_name).where(
    U.c.badge_code == bindparam("badge"), U.c.active.is_(True))
SET_OPERATOR = (update(S).where(S.c.id == bindparam("s_id"))
                .values(operator_id=bindparam("user_id"), operator_seen_at=bindparam("at")))
TOUCH = update(S).where(S.c.id == bindparam("s_id")).values(operator_seen_at=bindparam("at"))


@dataclass(frozen=True, slots=True)
class Who:
    """Who a scan is recorded for: a verified user, and what the station claimed besides."""

    operator: str | None
    claimed: str | None


def resolve(conn: Connection, station_id: int, claimed: str | None, now: datetime,
            settings: Settings, *, verified: str | None = None) -> Who:
    """Return who does a scan: the verified user, else the station's logged-in operator."""
    operator = verified or _current(conn, station_id, now, settings)
    return Who(operator, claimed if claimed and claimed != operator else None)


def _current(conn: Connection, station_id: int, now: datetime, settings: Settings
             ) -> str | None:
    row = run(conn, CURRENT, {"s_id": station_id}).first()
    if row is None:
        return None
    seen = row.operator_seen_at
    if seen is None or now - seen > timedelta(minutes=settings.operator_idle_minutes):
        conn.execute(SET_OPERATOR, {"s_id": station_id, "user_id": None, "at": None})
        return None
    if now - seen > TOUCH_EVERY:
        conn.execute(TOUCH, {"s_id": station_id, "at": now})
    return str(row.username)


def looks_like_badge(raw: str) -> bool:
    """Tell whether a read carries a badge's prefix (a credential, never kept as a scan)."""
    return raw.strip().upper().startswith(BADGE_PREFIX)


def badge_read(conn: Connection, station_id: int, station: str, event_id: str, raw: str,
               now: datetime) -> dict[str, Any] | None:
    """Log a badge's user in at the station and return the ack; None if raw is no badge.

    The ack never carries the badge code: it is a credential, not a scan.
    """
    text = raw.strip()
    user = conn.execute(BADGE_USER, {"badge": text}).first()
    ack: dict[str, Any] = {"event_id": event_id, "station": station}
    if user is None:
        if not looks_like_badge(text):
            return None
        return {**ack, "outcome": Outcome.REJECTED.value, "reason": Reason.NOT_AUTHORIZED.value,
                "message": "Unknown badge", "login": None}
    conn.execute(SET_OPERATOR, {"s_id": station_id, "user_id": user.id, "at": now})
    # Operator rights only: a badge without its PIN never stands for more.
    login = {"username": user.username, "display_name": user.display_name,
             "role": "operator"}
    return {**ack, "outcome": Outcome.ACCEPTED.value, "login": login,
            "message": f"{user.display_name} logged in at {station}"}


def log_in(session: Session, station_name: str, user_id: int) -> None:
    """Make a user the operator logged in at a station (a badge login at its kiosk)."""
    station = station_by_name(session, station_name)
    station.operator_id, station.operator_seen_at = user_id, utcnow()


def log_out(session: Session, station_name: str, user_id: object = None) -> None:
    """Log the station's operator out (only if it is user_id, when one is given)."""
    station = station_by_name(session, station_name)
    if user_id is None or station.operator_id == user_id:
        station.operator_id, station.operator_seen_at = None, None


def current_operator(session: Session, station_name: str, settings: Settings
                     ) -> dict[str, Any] | None:
    """Return the operator logged in at a station, if any and not idle too long."""
    station = station_by_name(session, station_name)
    user = session.get(User, station.operator_id) if station.operator_id else None
    seen = station.operator_seen_at
    if user is None or not user.active or seen is None or \
            utcnow() - seen > timedelta(minutes=settings.operator_idle_minutes):
        return None
    return {"username": user.username, "display_name": user.display_name}
