"""Queries and answers of the audit trail: entries with their hashes, and the chain's verdict."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from .schemas import CLEAN, Out, Query

MAX_PAGE = 10**9  # far past any trail; the offset it makes still fits a 64-bit integer
EntityType = Annotated[str, StringConstraints(max_length=32), CLEAN]
EntityKey = Annotated[str, StringConstraints(max_length=64), CLEAN]


class AuditQuery(Query):
    """Which entries: of one entity type and/or key (exact), newest first, a page at a time."""

    entity_type: EntityType = ""
    key: EntityKey = ""
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=50, ge=1, le=500)


class AuditEntryOut(Out):
    id: int
    seq: int | None  # its place in the chain; null only while its transaction is open
    at: str
    actor: str
    action: str
    entity_type: str
    entity_key: str
    reason: str
    changes: dict[str, Any]
    prev_hash: str | None
    hash: str | None


class AuditPageOut(Out):
    entries: list[AuditEntryOut]
    total: int
    page: int
    per_page: int
    pages: int


class BrokenEntryOut(Out):
    """The first wrong entry: which, and what is wrong (content changed, link broken, entry
    missing, out of order)."""

    id: int
    seq: int
    at: str
    actor: str
    action: str
    entity_type: str
    entity_key: str
    problem: str
    detail: str


class VerdictOut(Out):
    ok: bool
    count: int  # entries verified (before the break, if there is one)
    head: str  # hash of the last verified entry
    pending: int  # committed entries still waiting for their seal (PostgreSQL, briefly)
    message: str
    broken: BrokenEntryOut | None
