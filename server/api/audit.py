"""REST: the audit trail with its hashes (supervisor+) and the chain's verification (admin)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import audit
from ..services.actors import Actor
from .audit_schemas import AuditPageOut, AuditQuery, VerdictOut
from .endpoint import endpoint


@endpoint("/audit", role="supervisor", query=AuditQuery, tag="audit", response=AuditPageOut)
def list_audit(db: Session, actor: Actor, query: AuditQuery) -> Any:
    """List audit entries, newest first, with their place and hashes in the chain."""
    return audit.entries(db, entity_type=query.entity_type, key=query.key, page=query.page,
                         per_page=query.per_page)


@endpoint("/audit/verify", role="admin", tag="audit", response=VerdictOut)
def verify_audit(db: Session, actor: Actor) -> Any:
    """Walk the audit chain: OK with the count, or the first broken entry and what is wrong."""
    return audit.verify_chain(db)
