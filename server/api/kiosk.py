"""REST for kiosks: badge login at a paired kiosk, and step quantities."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Any

from flask import current_app
from flask import session as cookie
from pydantic import StringConstraints
from sqlalchemy.orm import Session

from .. import effects
from ..errors import Forbidden
from ..services import kiosk, operators, users, yields
from ..services.actors import Actor
from ..services.queue import QueueEntry, station_queue
from .auth import check_csrf, client_source, csrf_token, log_in, log_out, paired_station
from .endpoint import endpoint
from .schemas import Badge, Body, Counted, Text

NonNegative = Counted
# A badge at the station's scanner logs its kiosk in only if read this recently.
STATION_BADGE_FRESH = timedelta(minutes=2)


class BadgeIn(Body):
    badge: Badge
    pin: Annotated[str, StringConstraints(pattern=r"^\d{4,8}$")] | None = None


class YieldIn(Body):
    good: NonNegative
    rejected: NonNegative = Decimal(0)
    scrapped: NonNegative = Decimal(0)
    waste: NonNegative = Decimal(0)
    reason: Text = ""


@endpoint("/auth/badge", "POST", role=None, body=BadgeIn, tag="auth")
def badge_login(db: Session, actor: None, body: BadgeIn) -> Any:
    """Log an operator in at a paired kiosk by badge (and PIN); returns the CSRF token."""
    station = paired_station(db)
    if station is None:
        raise Forbidden("badge login works only at a paired kiosk", code="not_a_kiosk")
    check_csrf()
    user = kiosk.badge_login(db, body.badge, body.pin,
                             settings=current_app.extensions["floorline"].settings,
                             sources=(f"station:{station}", client_source()))
    log_in(db, user)
    operators.log_in(db, station, user.id)  # the station's scans are now theirs
    return {"user": users.user_dict(user), "station": station, "csrf_token": csrf_token()}


@endpoint("/auth/badge/station", "POST", role=None, tag="auth")
def station_badge_login(db: Session, actor: None) -> Any:
    """Log a paired kiosk in as whoever just badged in at its station's scanner (no PIN)."""
    station = paired_station(db)
    if station is None:
        raise Forbidden("badge login works only at a paired kiosk", code="not_a_kiosk")
    check_csrf()
    user = kiosk.station_operator_login(db, station, within=STATION_BADGE_FRESH)
    log_in(db, user)
    return {"user": users.user_dict(user), "station": station, "csrf_token": csrf_token()}


@endpoint("/auth/badge/logout", "POST", role=None, tag="auth")
def badge_logout(db: Session, actor: None) -> Any:
    """Log the operator out of a kiosk; the kiosk stays paired with its station."""
    check_csrf()
    station = paired_station(db)
    user_id = cookie.get("user_id")
    log_out(db)
    if station is not None and user_id is not None:
        operators.log_out(db, station, user_id)
    return {"ok": True, "station": station}


@endpoint("/batches/<code>/steps/<int:position>/quantities", "POST", role="operator",
          body=YieldIn, tag="batches")
def record_quantities(db: Session, actor: Actor, code: str, position: int, body: YieldIn) -> Any:
    """Record good, rejected, scrapped and waste quantities of a finished step."""
    result = yields.record_yield(db, actor, code, position, good=body.good,
                                 rejected=body.rejected, scrapped=body.scrapped,
                                 waste=body.waste, reason=body.reason)
    effects.publish_batch(db, current_app.extensions.get("floorline_live"), result["batch"])
    return result


@endpoint("/stations/<name>/queue", tag="stations", response=list[QueueEntry])
def queue(db: Session, actor: Actor, name: str) -> Any:
    """List the batches waiting for a station's operation: ready, in process or on hold."""
    return station_queue(db, name)
