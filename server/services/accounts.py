"""User accounts as an admin manages them: list, and change role, name, badge, PIN, password.

Secrets are write-only: a listing says whether a password, badge or PIN is set, never what.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..errors import BadRequest, Conflict
from ..models import ROLES, User
from . import audit
from .actors import Actor
from .users import badge_taken, user_by_name, user_dict

# Fields an admin may change; secrets are set (or cleared with None), never read back.
EDITABLE = ("role", "display_name", "badge_code", "pin", "password")


def account_dict(user: User) -> dict[str, Any]:
    """Return a user as the admin's list shows it (what is set, not the secrets)."""
    return {**user_dict(user), "has_password": user.password_hash is not None,
            "has_badge": user.badge_code is not None, "has_pin": user.pin_hash is not None,
            "created_at": user.created_at.isoformat()}


def list_users(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """List every user, active or not, by username."""
    actor.require("admin")
    return [account_dict(u) for u in session.scalars(select(User).order_by(User.username))]


def update_user(session: Session, actor: Actor, username: str,
                changes: dict[str, Any]) -> dict[str, Any]:
    """Change the given fields of a user; None clears a badge, PIN or password."""
    actor.require("admin")
    user = user_by_name(session, username)
    changes = {k: v for k, v in changes.items() if k in EDITABLE}
    if not changes:
        return account_dict(user)  # nothing asked, nothing changed (nor audited)
    role = changes.get("role", user.role)
    if role not in ROLES:
        raise BadRequest(f"unknown role {role!r}", code="invalid_role", roles=list(ROLES))
    if user.id == actor.user_id and role != user.role:
        raise Conflict("you cannot change your own role", code="self_role_change")
    badge = changes.get("badge_code", user.badge_code)
    if "badge_code" in changes and badge and badge_taken(session, badge, user.id):
        raise Conflict("that badge belongs to another user", code="duplicate_badge")
    user.role, user.badge_code = role, badge
    if "display_name" in changes:
        user.display_name = changes["display_name"] or user.username
    for field, column in (("pin", "pin_hash"), ("password", "password_hash")):
        if field in changes:
            secret = changes[field]
            setattr(user, column, generate_password_hash(secret) if secret else None)
    # The audit names what changed; a secret's value (even hashed) stays out of it.
    audit.record(session, actor, "user.update", "user", username, fields=sorted(changes),
                 role=user.role)
    return account_dict(user)
