"""Users, passwords, badges, browser login sessions and bearer tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import BadRequest, Conflict, NotFound, Unauthorized
from ..models import ROLES, ApiToken, LoginSession, Station, User, utcnow
from ..settings import Settings
from . import audit, logins
from .actors import RANK, Actor, station_actor

USER_TOKEN_PREFIX = "flu_"  # noqa: S105 - a prefix, not a secret
STATION_TOKEN_PREFIX = "fls_"  # noqa: S105
# A badge alone (no PIN) logs in at most this role; supervisors and above need their PIN.
BADGE_ONLY_MAX_ROLE = "operator"
Clock = Callable[[], datetime]


class LoginRefused(Unauthorized):
    """Wrong credentials; the failure it counted is kept although the request fails."""

    code = "bad_credentials"
    keeps_writes = True


def hash_token(token: str) -> str:
    """Return the stored form of a token (tokens are random, so a fast hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def create_user(session: Session, actor: Actor, *, username: str, role: str,
                password: str | None = None, display_name: str = "",
                badge_code: str | None = None, pin: str | None = None) -> dict[str, Any]:
    """Create a user with a role; the password and PIN are stored hashed."""
    actor.require("admin")
    if role not in ROLES:
        raise BadRequest(f"unknown role {role!r}", code="invalid_role", roles=list(ROLES))
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"user {username!r} exists", code="duplicate_user")
    if badge_code and badge_taken(session, badge_code):
        raise Conflict("that badge belongs to another user", code="duplicate_badge")
    user = User(username=username, role=role, display_name=display_name or username,
                password_hash=generate_password_hash(password) if password else None,
                badge_code=badge_code, pin_hash=generate_password_hash(pin) if pin else None)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", username, role=role)
    return user_dict(user)


def badge_taken(session: Session, badge: str, except_id: int | None = None) -> bool:
    """Tell whether another user (not except_id) holds this badge."""
    query = select(User.id).where(User.badge_code == badge)
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.scalar(query) is not None


def user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "active": user.active}


@functools.cache
def _dummy_hash() -> str:
    # Checked when there is no real hash, so an unknown name costs the same scrypt as a known one.
    return generate_password_hash(secrets.token_urlsafe(16))


def _matches(stored: str | None, given: str | None) -> bool:
    """Check given against stored in constant work, even when either is missing."""
    ok = check_password_hash(stored or _dummy_hash(), given or "")
    return ok and stored is not None and given is not None


def authenticate_password(session: Session, username: str, password: str, *,
                          settings: Settings | None = None, source: str = "",
                          clock: Clock = utcnow) -> User:
    """Return the active user with this password, or raise (LoginRefused, LockedOut)."""
    settings, now = settings or Settings(), clock()
    account, sources = logins.account_key("user", username), logins.source_keys(source)
    logins.check(session, [account, *sources], now)
    user = session.scalar(select(User).where(User.username == username))
    ok = _matches(user.password_hash if user else None, password)
    if user is None or not user.active or not ok:
        logins.failed(session, account, sources, settings, now)
        raise LoginRefused("wrong username or password")
    logins.succeeded(session, account)
    return user


def authenticate_badge(session: Session, badge: str, pin: str | None = None, *,
                       settings: Settings | None = None, sources: tuple[str, ...] = (),
                       clock: Clock = utcnow) -> User:
    """Return the active user with this badge and PIN; a badge alone logs in operators only."""
    settings, now = settings or Settings(), clock()
    user = session.scalar(select(User).where(User.badge_code == badge, User.active.is_(True)))
    account = logins.account_key("user", user.username) if user else \
        logins.account_key("badge", hash_token(badge)[:32])
    keys = logins.source_keys(*sources)
    logins.check(session, [account, *keys], now)
    pin_hash = user.pin_hash if user else None
    if pin_hash is None:
        _matches(None, pin)  # the same work as checking a PIN, so timing tells nothing
        ok = user is not None
    else:
        ok = _matches(pin_hash, pin)
    if user is None or not ok:
        logins.failed(session, account, keys, settings, now)
        raise LoginRefused("unknown badge or wrong PIN")
    if pin_hash is None and RANK[user.role] > RANK[BADGE_ONLY_MAX_ROLE]:
        raise Unauthorized(f"a {user.role} logs in with badge and PIN; ask an admin to set "
                           "a PIN", code="pin_required")
    logins.succeeded(session, account)
    return user


def start_session(session: Session, user: User) -> str:
    """Open a server-side login session for a browser and return its id (for the cookie)."""
    sid = secrets.token_urlsafe(32)
    session.add(LoginSession(id=sid, user_id=user.id))
    return sid


def end_session(session: Session, sid: str | None) -> None:
    """End a browser's login session; its cookie no longer logs anyone in."""
    if sid:
        session.execute(update(LoginSession).where(LoginSession.id == sid,
                                                   LoginSession.ended_at.is_(None))
                        .values(ended_at=utcnow()))


def session_user(session: Session, sid: object, user_id: object) -> User | None:
    """Return the active user of a live login session, or None if it ended (or never was)."""
    if not isinstance(sid, str) or not isinstance(user_id, int):
        return None
    row = session.get(LoginSession, sid)
    if row is None or row.ended_at is not None or row.user_id != user_id:
        return None
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", code="unknown_user")
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool,
               reason: str = "") -> dict[str, Any]:
    """Deactivate a user (ending their sessions and revoking their tokens) or reactivate one."""
    actor.require("admin")
    user = user_by_name(session, username)
    if not active and user.id == actor.user_id:
        raise Conflict("you cannot deactivate yourself", code="self_deactivation")
    user.active = active
    if not active:
        now = utcnow()
        session.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                               ApiToken.revoked_at.is_(None))
                        .values(revoked_at=now))
        session.execute(update(LoginSession).where(LoginSession.user_id == user.id,
                                                   LoginSession.ended_at.is_(None))
                        .values(ended_at=now))
    audit.record(session, actor, "user.activate" if active else "user.deactivate", "user",
                 username, reason=reason)
    return user_dict(user)


def create_token(session: Session, actor: Actor, username: str, name: str = "api", *,
                 expires_in: timedelta | None = None) -> str:
    """Issue a bearer token for a user; it is returned once and stored only as a hash."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.id != actor.user_id:
        actor.require("admin")  # users may issue their own tokens; admins anyone's
    if user is None:
        raise NotFound(f"no user {username!r}", code="unknown_user")
    if expires_in is not None and expires_in <= timedelta(0):
        raise BadRequest("a token must expire in the future", code="invalid_expiry")
    token = new_token(USER_TOKEN_PREFIX)
    expires_at = utcnow() + expires_in if expires_in is not None else None
    session.add(ApiToken(user_id=user.id, name=name, token_hash=hash_token(token),
                         expires_at=expires_at))
    audit.record(session, actor, "token.create", "user", username, name=name,
                 expires_at=expires_at.isoformat() if expires_at else None)
    return token


def token_dict(row: ApiToken) -> dict[str, Any]:
    def iso(at: datetime | None) -> str | None:
        return at.isoformat() if at else None
    return {"id": row.id, "username": row.user.username, "name": row.name,
            "created_at": iso(row.created_at), "last_used_at": iso(row.last_used_at),
            "expires_at": iso(row.expires_at), "revoked_at": iso(row.revoked_at)}


def list_tokens(session: Session, actor: Actor, username: str | None = None
                ) -> list[dict[str, Any]]:
    """List tokens (never their secrets): your own, or anyone's (or one user's) as admin."""
    query = select(ApiToken).order_by(ApiToken.id)
    if username is None and RANK.get(actor.role, -1) < RANK["admin"]:
        username = actor.name
    if username is not None and username != actor.name:
        actor.require("admin")
    if username is not None:
        query = query.where(ApiToken.user_id == user_by_name(session, username).id)
    return [token_dict(row) for row in session.scalars(query)]


def revoke_token(session: Session, actor: Actor, token_id: int) -> dict[str, Any]:
    """Revoke a token (your own, or anyone's as admin); it stops working at once."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.user_id and RANK.get(actor.role, -1) < RANK["admin"]):
        raise NotFound(f"no token {token_id}", code="unknown_token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, actor, "token.revoke", "user", row.user.username, name=row.name,
                     token_id=row.id)
    return token_dict(row)


def actor_for_user(user: User) -> Actor:
    return Actor(user.username, user.role, user_id=user.id)


def actor_for_token(session: Session, token: str) -> Actor:
    """Return who a bearer token speaks for (a user or a station), or raise Unauthorized."""
    digest = hash_token(token)
    if token.startswith(STATION_TOKEN_PREFIX):
        station = session.scalar(select(Station).where(Station.token_hash == digest))
        if station is None:
            raise Unauthorized("unknown station token", code="bad_token")
        return station_actor(station.name, station.id)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest,
                                                ApiToken.revoked_at.is_(None)))
    now = utcnow()
    if row is None or not row.user.active or (row.expires_at and row.expires_at <= now):
        raise Unauthorized("unknown, expired or revoked token", code="bad_token")
    row.last_used_at = now
    return actor_for_user(row.user)
