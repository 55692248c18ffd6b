"""REST: browser login and logout, who am I, users and tokens."""

from __future__ import annotations

from typing import Any

from flask import session as cookie
from sqlalchemy.orm import Session

from ..services import users
from ..services.actors import Actor
from .auth import csrf_token
from .endpoint import endpoint
from .schemas import LoginIn, TokenIn, UserIn


@endpoint("/auth/login", "POST", role=None, body=LoginIn, tag="auth")
def login(db: Session, actor: None, body: LoginIn) -> Any:
    """Log a browser in with a password; returns the CSRF token for later changes."""
    user = users.authenticate_password(db, body.username, body.password)
    cookie.clear()
    cookie["user_id"] = user.id
    return {"user": users.user_dict(user), "csrf_token": csrf_token()}


@endpoint("/auth/logout", "POST", role=None, tag="auth")
def logout(db: Session, actor: None) -> Any:
    """End the browser session."""
    cookie.clear()
    return {"ok": True}


@endpoint("/auth/me", tag="auth")
def me(db: Session, actor: Actor) -> Any:
    """Return who the caller is."""
    return {"name": actor.name, "role": actor.role, "csrf_token": csrf_token()}


@endpoint("/users", "POST", role="admin", body=UserIn, status=201, tag="auth")
def create_user(db: Session, actor: Actor, body: UserIn) -> Any:
    """Create a user with a role (and optional badge and PIN for kiosks)."""
    return users.create_user(db, actor, **body.model_dump())


@endpoint("/tokens", "POST", role="viewer", body=TokenIn, status=201, tag="auth")
def create_token(db: Session, actor: Actor, body: TokenIn) -> Any:
    """Issue a bearer token (your own, or anyone's as admin); shown only once."""
    return {"username": body.username, "token": users.create_token(db, actor, body.username,
                                                                  body.name)}
