"""Kiosks: pair a browser with a station by its token, and log operators in by badge."""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy.orm import Session

from ..errors import FloorlineError, Forbidden
from ..models import User
from . import users
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
    return station_dict(station_by_name(session, name))


def badge_login(session: Session, badge: str, pin: str | None, **throttle: Any) -> User:
    """Return the operator with this badge (and PIN), or raise (throttled per badge and source)."""
    return users.authenticate_badge(session, badge.strip(), pin, **throttle)


def browser_user(session: Session, user_id: object) -> dict[str, Any] | None:
    """Return the active user a browser session names, or None."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    return users.user_dict(user) if user is not None and user.active else None
