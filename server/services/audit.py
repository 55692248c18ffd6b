"""The audit trail: who, when, what and why, appended for every change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditRecord
from .actors import Actor


def record(session: Session, actor: Actor, action: str, entity_type: str, key: str,
           *, reason: str = "", **changes: Any) -> AuditRecord:
    """Append an audit record in the caller's transaction."""
    row = AuditRecord(actor=actor.name, action=action, entity_type=entity_type,
                      entity_key=key, reason=reason, changes=_plain(changes))
    session.add(row)
    return row


def history(session: Session, entity_type: str, key: str) -> list[dict[str, Any]]:
    """Return the audit records of one entity, oldest first."""
    rows = session.scalars(
        select(AuditRecord).where(AuditRecord.entity_type == entity_type,
                                  AuditRecord.entity_key == key).order_by(AuditRecord.id)
    )
    return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "reason": r.reason,
             "changes": r.changes} for r in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
