"""Who is calling: a bearer token (user or station) or a browser login session with a CSRF token.

A browser's signed cookie names its user and a server-side login session; the session row is
checked on every request, so logout and deactivation end a copied cookie too.
"""

from __future__ import annotations

import hmac
import secrets

from flask import current_app, request, session
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
    user = users.session_user(db, session.get("sid"), session.get("user_id"))
    if user is None:
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


def client_source() -> str:
    """Name the caller's network source, for login throttling (nginx sets the real address)."""
    return f"ip:{request.remote_addr or 'unknown'}"


def log_in(db: Session, user: User) -> None:
    """Make this browser's cookie a fresh login session of user (a kiosk stays paired)."""
    kept = {k: session[k] for k in ("kiosk_station", "kiosk_token", "csrf") if k in session}
    session.clear()
    session.update(kept)
    session["user_id"], session["sid"] = user.id, users.start_session(db, user)


def log_out(db: Session) -> None:
    """End this browser's login session on the server and close its live sockets."""
    sid = session.pop("sid", None)
    session.pop("user_id", None)
    users.end_session(db, sid)
    live = current_app.extensions.get("floorline_live_logins")
    if live is not None and sid:
        live.end_login(sid)


def drop_ended_session() -> None:
    """Forget a cookie's login when its server-side session has ended (runs before requests)."""
    if "user_id" not in session:
        return
    with current_app.extensions["floorline"].sessions() as db:
        if users.session_user(db, session.get("sid"), session.get("user_id")) is None:
            session.pop("user_id", None)
            session.pop("sid", None)
