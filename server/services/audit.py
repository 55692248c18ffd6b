"""The audit trail: who, when, what and why, appended for every change, hash-chained.

record() only adds the row; it is inserted with the caller's next flush (so its id can be
referred to at once) but takes its place in the chain only as its transaction commits: then
the chain lock is taken (on PostgreSQL an advisory transaction lock, held to the commit; on
SQLite the write transaction already holds the database's one write lock), the head is read
and each new entry is sealed with seq, prev_hash and hash. Taking the lock last means a
transaction holds it for three short statements and never waits for another lock while
holding it (no deadlock with row locks taken earlier); the unique seq would refuse a fork.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, bindparam, event, func, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.audit_chain import (
    GENESIS,
    Content,
    Entry,
    Verdict,
    digest,
    timestamp,
    verify,
)
from ..models import AuditRecord, utcnow
from .actors import Actor

# pg_advisory_xact_lock's key for the chain: a fixed 64-bit number no other lock uses.
CHAIN_LOCK = 0x466C_A0D1_7C4A_1200
_UNSEALED = "floorline_audit_unsealed"
_SEAL = (update(AuditRecord).where(AuditRecord.id == bindparam("row_id"))
         .values(seq=bindparam("seq"), prev_hash=bindparam("prev"), hash=bindparam("digest")))


def record(session: Session, actor: Actor, action: str, entity_type: str, key: str,
           *, reason: str = "", **changes: Any) -> AuditRecord:
    """Append an audit record in the caller's transaction (chained when it is flushed)."""
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


@event.listens_for(Session, "before_flush")
def _note_new_entries(session: Session, flush: UOWTransaction, instances: object) -> None:
    """Remember the entries this flush inserts, to seal them at the commit."""
    new = [o for o in session.new if isinstance(o, AuditRecord)]
    for row in new:
        row.at = row.at or utcnow()  # the hash covers it: fixed before the insert
        row.reason = row.reason or ""
        row.changes = _plain(row.changes or {})
    session.info.setdefault(_UNSEALED, []).extend(new)


@event.listens_for(Session, "before_commit")
def _seal_entries(session: Session) -> None:
    """Chain this transaction's entries onto the head, in the order they were recorded."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit seals
    session.flush()
    rows = [r for r in session.info.pop(_UNSEALED, []) if inspect(r).persistent]
    if not rows:
        return
    conn = session.connection()
    seq, prev_hash = _lock_head(conn)
    sealed = []
    for row in sorted(rows, key=lambda r: r.id):
        seq += 1
        digest_ = digest(Content(seq, row.at, row.actor, row.action, row.entity_type,
                                 row.entity_key, row.reason, row.changes, prev_hash))
        sealed.append({"row_id": row.id, "seq": seq, "prev": prev_hash, "digest": digest_})
        for name, value in (("seq", seq), ("prev_hash", prev_hash), ("hash", digest_)):
            set_committed_value(row, name, value)
        prev_hash = digest_
    conn.execute(_SEAL, sealed)


@event.listens_for(Session, "after_rollback")
def _forget_entries(session: Session) -> None:
    session.info.pop(_UNSEALED, None)


def _lock_head(conn: Connection) -> tuple[int, str]:
    """Take the chain lock and return the last sealed entry's seq and hash."""
    if conn.dialect.name == "postgresql":
        # A statement of its own: the head must be read after the wait, in a new snapshot.
        conn.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK)))
    head = conn.execute(select(AuditRecord.seq, AuditRecord.hash)
                        .where(AuditRecord.seq.is_not(None))
                        .order_by(AuditRecord.seq.desc()).limit(1)).first()
    return (0, GENESIS) if head is None else (head.seq, head.hash or "")


def rows_in_order(session: Session, batch: int = 5000) -> Iterator[Entry]:
    """Stream every entry in chain order without loading the chain (server-side cursor).

    Chain order is seq (commit order), which on PostgreSQL may differ from id order: ids
    are drawn at the insert, places in the chain at the commit. An entry without a seq was
    never sealed by the server, so it comes first and fails.
    """
    columns = (AuditRecord.id, AuditRecord.seq, AuditRecord.at, AuditRecord.actor,
               AuditRecord.action, AuditRecord.entity_type, AuditRecord.entity_key,
               AuditRecord.reason, AuditRecord.changes, AuditRecord.prev_hash,
               AuditRecord.hash)
    result = session.execute(select(*columns)
                             .order_by(AuditRecord.seq.asc().nulls_first(), AuditRecord.id)
                             .execution_options(yield_per=batch))
    for r in result:
        yield Entry(r.id, Content(r.seq or 0, r.at, r.actor, r.action, r.entity_type,
                                  r.entity_key, r.reason or "", r.changes or {},
                                  r.prev_hash or ""), r.hash or "")


def verify_chain(session: Session) -> dict[str, Any]:
    """Walk the whole chain in id order and say it is whole or name its first broken entry."""
    return verdict_dict(verify(rows_in_order(session)))


def verdict_dict(verdict: Verdict) -> dict[str, Any]:
    """Return a verdict as the JSON the API and the CLI give."""
    if verdict.broken is None:
        return {"ok": True, "count": verdict.count, "head": verdict.head,
                "message": f"audit chain OK: {verdict.count} entries", "broken": None}
    b, c = verdict.broken, verdict.broken.entry.content
    broken = {"id": b.entry.id, "seq": c.seq, "at": timestamp(c.at), "actor": c.actor,
              "action": c.action, "entity_type": c.entity_type, "entity_key": c.entity_key,
              "problem": b.problem.value, "detail": b.detail}
    message = (f"audit chain broken at entry id {b.entry.id} ({broken['at']}, {c.actor}, "
               f"{c.action}, {c.entity_type} {c.entity_key}): {b.problem.value}: {b.detail}")
    return {"ok": False, "count": verdict.count, "head": verdict.head, "message": message,
            "broken": broken}


def entries(session: Session, *, entity_type: str = "", key: str = "", page: int = 1,
            per_page: int = 50) -> dict[str, Any]:
    """Return one page of entries, newest first, optionally of one entity type and key."""
    where = [c for c in (AuditRecord.entity_type == entity_type if entity_type else None,
                         AuditRecord.entity_key == key if key else None) if c is not None]
    total = session.scalar(select(func.count()).select_from(AuditRecord).where(*where)) or 0
    rows = session.scalars(select(AuditRecord).where(*where).order_by(AuditRecord.id.desc())
                           .limit(per_page).offset((page - 1) * per_page))
    return {"entries": [entry_dict(r) for r in rows], "total": total, "page": page,
            "per_page": per_page, "pages": max(1, -(-total // per_page))}


def entry_dict(row: AuditRecord) -> dict[str, Any]:
    """Return an entry with its place in the chain, as the API lists it."""
    return {"id": row.id, "seq": row.seq, "at": row.at.isoformat(), "actor": row.actor,
            "action": row.action, "entity_type": row.entity_type,
            "entity_key": row.entity_key, "reason": row.reason, "changes": row.changes,
            "prev_hash": row.prev_hash, "hash": row.hash}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
