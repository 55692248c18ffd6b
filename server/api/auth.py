"""Who is calling: a bearer token (user or station) or a browser session with a CSRF token."""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from sqlalchemy.orm import Session

from ..errors import Forbidden, Unauthorized
from ..models import User
from ..services import users
from ..services.actors import Actor

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_actor(db: Session) -> Actor:
    """Return the caller, or raise Unauthorized; cookie sessions must also pass CSRF."""
    token = bearer_token()
    if token:
        return users.actor_for_token(db, token)
    user_id = session.get("user_id")
    user = db.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise Unauthorized("log in or send a bearer token", code="unauthorized")
    if request.method not in SAFE_METHODS:
        check_csrf()
    return users.actor_for_user(user)


def paired_station(db: Session) -> str | None:
    """Return the station this browser is paired with, if its token has not been rotated."""
    from ..services.kiosk import still_paired

    name = session.get("kiosk_station")
    if still_paired(db, name, session.get("kiosk_token")):
        return str(name)
    session.pop("kiosk_station", None)
    session.pop("kiosk_token", None)
    return None


def csrf_token() -> str:
    """Return this browser session's CSRF token, making one if needed."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    token: str = session["csrf"]
    return token


def check_csrf() -> None:
    sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        raise Forbidden("missing or wrong CSRF token", code="csrf_failed")
