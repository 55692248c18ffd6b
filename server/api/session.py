"""REST: browser login and logout, who am I, users and tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from ..services import accounts, users
from ..services.actors import Actor
from .auth import client_source, csrf_token, log_in, log_out
from .endpoint import endpoint
from .schemas import (
    AccountOut,
    LoginIn,
    LoginOut,
    MeOut,
    OkOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    TokenQuery,
    UserActiveIn,
    UserIn,
    UserOut,
    UserPatch,
)


@endpoint("/auth/login", "POST", role=None, body=LoginIn, tag="auth", response=LoginOut)
def login(db: Session, actor: None, body: LoginIn) -> Any:
    """Log a browser in with a password; returns the CSRF token for later changes."""
    user = users.authenticate_password(db, body.username, body.password,
                                       settings=current_app.extensions["floorline"].settings,
                                       source=client_source())
    log_in(db, user)
    return {"user": users.user_dict(user), "csrf_token": csrf_token()}


@endpoint("/auth/logout", "POST", role=None, tag="auth", response=OkOut)
def logout(db: Session, actor: None) -> Any:
    """End the browser session on the server (a copied cookie stops working too)."""
    log_out(db)
    return {"ok": True}


@endpoint("/auth/me", tag="auth", response=MeOut)
def me(db: Session, actor: Actor) -> Any:
    """Return who the caller is."""
    return {"name": actor.name, "role": actor.role, "csrf_token": csrf_token()}


@endpoint("/users", "POST", role="admin", body=UserIn, status=201, tag="auth", response=UserOut)
def create_user(db: Session, actor: Actor, body: UserIn) -> Any:
    """Create a user with a role (and optional badge and PIN for kiosks)."""
    return users.create_user(db, actor, **body.model_dump())


@endpoint("/users", role="admin", tag="auth", response=list[AccountOut])
def list_users(db: Session, actor: Actor) -> Any:
    """List users with what is set (password, badge, PIN), never the secrets."""
    return accounts.list_users(db, actor)


@endpoint("/users/<username>", "PATCH", role="admin", body=UserPatch, tag="auth",
          response=AccountOut)
def patch_user(db: Session, actor: Actor, username: str, body: UserPatch) -> Any:
    """Change a user's role, display name, badge, PIN or password (null clears a secret)."""
    return accounts.update_user(db, actor, username, body.model_dump(exclude_unset=True))


@endpoint("/users/<username>/active", "POST", role="admin", body=UserActiveIn, tag="auth",
          response=UserOut)
def set_user_active(db: Session, actor: Actor, username: str, body: UserActiveIn) -> Any:
    """Deactivate a user (ending their sessions and tokens) or reactivate them."""
    result = users.set_active(db, actor, username, body.active, body.reason)
    live = current_app.extensions.get("floorline_live_logins")
    if live is not None and not body.active:
        live.end_user(result["id"])
    return result


@endpoint("/tokens", "POST", role="viewer", body=TokenIn, status=201, tag="auth",
          response=TokenCreatedOut)
def create_token(db: Session, actor: Actor, body: TokenIn) -> Any:
    """Issue a bearer token (your own, or anyone's as admin); shown only once."""
    expires = timedelta(seconds=body.expires_in) if body.expires_in else None
    return {"username": body.username, "token": users.create_token(
        db, actor, body.username, body.name, expires_in=expires)}


@endpoint("/tokens", query=TokenQuery, tag="auth", response=list[TokenOut])
def list_tokens(db: Session, actor: Actor, query: TokenQuery) -> Any:
    """List tokens without their secrets: your own, or anyone's as admin."""
    return users.list_tokens(db, actor, query.username or None)


@endpoint("/tokens/<int:token_id>/revoke", "POST", tag="auth", response=TokenOut)
def revoke_token(db: Session, actor: Actor, token_id: int) -> Any:
    """Revoke a token (your own, or anyone's as admin); it stops working at once."""
    return users.revoke_token(db, actor, token_id)
