"""The audit trail: who, when, what and why, appended for every change, hash-chained.

record() only adds the row; it is inserted with the caller's next flush (so its id can be
referred to at once) and gets its place in the chain (seq, prev_hash, hash) as its
transaction commits, under the chain lock, taken last:
- on SQLite the writer already holds the database's one write lock: two statements more;
- on PostgreSQL an advisory transaction lock, tried, never waited for. Its holder is about
  to commit; a transaction that finds it taken commits its entries unsealed, and the next
  one to get the lock seals every entry waiting, in id order, with its own. No writer ever
  waits for the chain (one waiting would queue behind the holder's disk flush, and one
  holding it while waiting for a row lock could deadlock); the unique seq refuses a fork.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    event,
    func,
    inspect,
    not_,
    select,
    update,
)
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
_COLUMNS = (AuditRecord.id, AuditRecord.seq, AuditRecord.at, AuditRecord.actor,
            AuditRecord.action, AuditRecord.entity_type, AuditRecord.entity_key,
            AuditRecord.reason, AuditRecord.changes, AuditRecord.prev_hash, AuditRecord.hash)
_PENDING = (AuditRecord.hash.is_(None), AuditRecord.seq.is_(None),
            AuditRecord.prev_hash.is_(None))
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
    """Seal every entry waiting (this transaction's and any left by others) onto the head."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit seals
    session.flush()
    mine = {r.id: r for r in session.info.pop(_UNSEALED, []) if inspect(r).persistent}
    if not mine:
        return
    conn = session.connection()
    # PostgreSQL: never wait for the lock. Its holder is committing; this transaction's
    # entries wait, and the next transaction to get the lock seals them.
    if conn.dialect.name == "postgresql" and not conn.execute(
            select(func.pg_try_advisory_xact_lock(CHAIN_LOCK))).scalar():
        return
    for row_id, link in _seal(conn).items():
        if row_id in mine:
            for name, key in (("seq", "seq"), ("prev_hash", "prev"), ("hash", "digest")):
                set_committed_value(mine[row_id], name, link[key])


@event.listens_for(Session, "after_rollback")
def _forget_entries(session: Session) -> None:
    session.info.pop(_UNSEALED, None)


def seal_pending(engine: Engine) -> int:
    """Seal every committed entry still waiting, waiting for the lock; return how many."""
    with engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK)))
        return len(_seal(conn))


def _seal(conn: Connection) -> dict[int, dict[str, Any]]:
    """Chain the waiting entries this connection sees, oldest id first (lock held)."""
    # After the lock, in a new snapshot: the head and what is waiting now.
    seq, prev_hash = _head(conn)
    rows = conn.execute(select(*_COLUMNS).where(*_PENDING).order_by(AuditRecord.id)).all()
    links = _links([(r.id, _content(r)) for r in rows], seq, prev_hash)
    if links:
        conn.execute(_SEAL, links)
    return {link["row_id"]: link for link in links}


def _content(row: Any) -> Content:
    """Return what an entry's hash covers, before it has a place (seq and prev_hash 0/"")."""
    return Content(0, row.at, row.actor, row.action, row.entity_type, row.entity_key,
                   row.reason or "", row.changes or {}, "")


def _links(rows: list[tuple[int, Content]], seq: int, prev_hash: str) -> list[dict[str, Any]]:
    """Give each (id, content), in order, its seq, prev_hash and hash after the head."""
    links = []
    for row_id, content in rows:
        seq += 1
        digest_ = digest(replace(content, seq=seq, prev_hash=prev_hash))
        links.append({"row_id": row_id, "seq": seq, "prev": prev_hash, "digest": digest_})
        prev_hash = digest_
    return links


def _head(conn: Connection) -> tuple[int, str]:
    """Return the last sealed entry's seq and hash (the caller holds the chain lock)."""
    head = conn.execute(select(AuditRecord.seq, AuditRecord.hash)
                        .where(AuditRecord.seq.is_not(None))
                        .order_by(AuditRecord.seq.desc()).limit(1)).first()
    return (0, GENESIS) if head is None else (head.seq, head.hash or "")


def rows_in_order(session: Session, batch: int = 5000) -> Iterator[Entry]:
    """Stream every entry in chain order without loading the chain (server-side cursor).

    Chain order is seq (commit order), which on PostgreSQL may differ from id order: ids
    are drawn at the insert, places in the chain at the seal. Entries still waiting for
    their seal (no seq, prev_hash or hash) are left out (pending()); one with some but not
    all of them was never sealed by the server, so it comes first and fails.
    """
    result = session.execute(select(*_COLUMNS).where(not_(and_(*_PENDING)))
                             .order_by(AuditRecord.seq.asc().nulls_first(), AuditRecord.id)
                             .execution_options(yield_per=batch))
    for r in result:
        yield Entry(r.id, Content(r.seq or 0, r.at, r.actor, r.action, r.entity_type,
                                  r.entity_key, r.reason or "", r.changes or {},
                                  r.prev_hash or ""), r.hash or "")


def verify_chain(session: Session) -> dict[str, Any]:
    """Walk the whole chain in order and say it is whole or name its first broken entry."""
    return verdict_dict(verify(rows_in_order(session)), pending(session))


def pending(session: Session) -> int:
    """Return how many committed entries wait for the next seal (PostgreSQL, under load)."""
    return session.scalar(select(func.count()).select_from(AuditRecord).where(*_PENDING)) or 0


def verdict_dict(verdict: Verdict, waiting: int = 0) -> dict[str, Any]:
    """Return a verdict as the JSON the API and the CLI give."""
    base = {"count": verdict.count, "head": verdict.head, "pending": waiting}
    if verdict.broken is None:
        more = f" ({waiting} more waiting to be sealed)" if waiting else ""
        return {"ok": True, **base, "message": f"audit chain OK: {verdict.count} entries{more}",
                "broken": None}
    b, c = verdict.broken, verdict.broken.entry.content
    broken = {"id": b.entry.id, "seq": c.seq, "at": timestamp(c.at), "actor": c.actor,
              "action": c.action, "entity_type": c.entity_type, "entity_key": c.entity_key,
              "problem": b.problem.value, "detail": b.detail}
    message = (f"audit chain broken at entry id {b.entry.id} ({broken['at']}, {c.actor}, "
               f"{c.action}, {c.entity_type} {c.entity_key}): {b.problem.value}: {b.detail}")
    return {"ok": False, **base, "message": message, "broken": broken}


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
