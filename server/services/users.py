"""Users, passwords, badges and bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import BadRequest, Conflict, NotFound, Unauthorized
from ..models import ROLES, ApiToken, Station, User, utcnow
from . import audit
from .actors import Actor, station_actor

USER_TOKEN_PREFIX = "flu_"  # noqa: S105 - a prefix, not a secret
STATION_TOKEN_PREFIX = "fls_"  # noqa: S105


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
    user = User(username=username, role=role, display_name=display_name or username,
                password_hash=generate_password_hash(password) if password else None,
                badge_code=badge_code, pin_hash=generate_password_hash(pin) if pin else None)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", username, role=role)
    return user_dict(user)


def user_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "active": user.active}


def authenticate_password(session: Session, username: str, password: str) -> User:
    """Return the active user with this password, or raise Unauthorized."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.password_hash or \
            not check_password_hash(user.password_hash, password):
        raise Unauthorized("wrong username or password", code="bad_credentials")
    return user


def authenticate_badge(session: Session, badge: str, pin: str | None = None) -> User:
    """Return the active user with this badge code (and PIN, when one is set)."""
    user = session.scalar(select(User).where(User.badge_code == badge, User.active.is_(True)))
    if user is None or (user.pin_hash and not (pin and check_password_hash(user.pin_hash, pin))):
        raise Unauthorized("unknown badge or wrong PIN", code="bad_credentials")
    return user


def create_token(session: Session, actor: Actor, username: str, name: str = "api") -> str:
    """Issue a bearer token for a user; it is returned once and stored only as a hash."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.id != actor.user_id:
        actor.require("admin")  # users may issue their own tokens; admins anyone's
    if user is None:
        raise NotFound(f"no user {username!r}", code="unknown_user")
    token = new_token(USER_TOKEN_PREFIX)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=hash_token(token)))
    audit.record(session, actor, "token.create", "user", username, name=name)
    return token


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
    if row is None or not row.user.active:
        raise Unauthorized("unknown or revoked token", code="bad_token")
    row.last_used_at = utcnow()
    return actor_for_user(row.user)
