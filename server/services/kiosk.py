"""Kiosks: pair a browser with a station by its token, and log operators in by badge."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..errors import FloorlineError, Forbidden
from ..models import User, utcnow
from . import users
from .actors import RANK
from .plant import station_by_name, station_dict


def pair_station(session: Session, name: str, token: str) -> tuple[str, str]:
    """Return the station's name and token stamp if token is that station's token."""
    station = station_by_name(session, name)
    try:
        actor = users.actor_for_token(session, token.strip())
    except FloorlineError as err:
        raise Forbidden("that is not this station's token", code="bad_pairing") from err
    if actor.station_id is None or not hmac.compare_digest(str(actor.station_id),
                                                           str(station.id)):
        raise Forbidden("that is not this station's token", code="bad_pairing")
    return station.name, token_stamp(station.token_hash)


def token_stamp(token_hash: str | None) -> str:
    """A short mark of the station's current token, kept in the kiosk's cookie."""
    return (token_hash or "")[:16]


def still_paired(session: Session, name: str | None, stamp: str | None) -> bool:
    """Tell whether a kiosk paired with name still holds its station's current token."""
    if not name or not stamp:
        return False
    try:
        station = station_by_name(session, name)
    except FloorlineError:
        return False
    return hmac.compare_digest(token_stamp(station.token_hash), stamp)


def kiosk_station(session: Session, name: str) -> dict[str, Any]:
    """Return what the kiosk page shows about its station."""
    station = station_by_name(session, name)
    # At a quality-check operation the step's completing scan asks for the check's result.
    return {**station_dict(station), "quality_check": station.operation.is_quality_check}


def badge_login(session: Session, badge: str, pin: str | None, **throttle: Any) -> User:
    """Return the operator with this badge (and PIN), or raise (throttled per badge and source)."""
    return users.authenticate_badge(session, badge.strip(), pin, **throttle)


def browser_user(session: Session, user_id: object) -> dict[str, Any] | None:
    """Return the active user a browser session names, or None."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    return users.user_dict(user) if user is not None and user.active else None


def station_operator_login(session: Session, name: str, *, within: timedelta,
                           now: datetime | None = None) -> User:
    """Return who badged in at station name's scanner just now, to log its kiosk in as them.

    The scanner at the station stands for the kiosk's own badge reader, so the same rule
    holds: a badge alone logs in only badge-only users (no PIN, operator role at most).
    """
    station = station_by_name(session, name)
    now = now or utcnow()
    user = session.get(User, station.operator_id) if station.operator_id else None
    seen = station.operator_seen_at
    if user is None or not user.active or seen is None or now - seen > within:
        raise Forbidden("nobody badged in at this station's scanner just now",
                        code="no_station_operator")
    if user.pin_hash is not None or RANK[user.role] > RANK[users.BADGE_ONLY_MAX_ROLE]:
        raise Forbidden("log in at the kiosk with your badge and PIN", code="pin_required")
    return user
