"""audit chain: hash-chained audit entries, append-only in the database; no deletes in the graph

Adds seq, prev_hash and hash to audit_records and fills them for the existing rows in id
order (server.domain.audit_chain), so an upgraded database verifies. Then triggers refuse
UPDATE and DELETE of audit_records and DELETE of genealogy nodes and edges (a trace must
never lose a link). TRUNCATE, which test and demo resets use, fires no row trigger.

Revision ID: audit_chain
Revises: trace_indexes
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from server.domain.audit_chain import GENESIS, Content, digest
from server.models.base import UTCDateTime

revision = 'audit_chain'
down_revision = "trace_indexes"
branch_labels = None
depends_on = None

APPEND_ONLY = "audit entries are append-only: record a new entry instead"
NO_DELETE = "genealogy records are never deleted: archive instead"
# An entry is sealed once, as its transaction commits or just after (server.services.audit):
# the only UPDATE allowed gives an unsealed entry its seq, prev_hash and hash.
CONTENT = ("id", "at", "actor", "action", "entity_type", "entity_key", "reason")


def _changed(postgresql: bool) -> str:
    """Return the condition that an UPDATE is anything but a seal."""
    differs = "IS DISTINCT FROM" if postgresql else "IS NOT"
    cast = "::text" if postgresql else ""  # PostgreSQL's json has no equality
    return " OR ".join(["OLD.hash IS NOT NULL",
                        *(f"NEW.{c} {differs} OLD.{c}" for c in CONTENT),
                        f"NEW.changes{cast} {differs} OLD.changes{cast}"])


# (table, operation refused, when, message); when None, always refused.
GUARDS = [("audit_records", "UPDATE", _changed, APPEND_ONLY),
          ("audit_records", "DELETE", None, APPEND_ONLY),
          ("genealogy_nodes", "DELETE", None, NO_DELETE),
          ("genealogy_edges", "DELETE", None, NO_DELETE)]
_ROWS = sa.table("audit_records", sa.column("id", sa.Integer()), sa.column("seq", sa.Integer()),
                 sa.column("at", UTCDateTime()), sa.column("actor", sa.String()),
                 sa.column("action", sa.String()), sa.column("entity_type", sa.String()),
                 sa.column("entity_key", sa.String()), sa.column("reason", sa.String()),
                 sa.column("changes", sa.JSON()), sa.column("prev_hash", sa.String()),
                 sa.column("hash", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_records_seq'), ['seq'])
        batch_op.create_index('ix_audit_records_pending', ['id'], unique=False,
                              postgresql_where=sa.text('hash IS NULL'),
                              sqlite_where=sa.text('hash IS NULL'))
    _hash_existing()
    for table, operation, when, message in GUARDS:
        _guard(table, operation, when, message)


def _hash_existing(batch: int = 2000) -> None:
    """Chain the rows already there, oldest id first, in batches of updates."""
    conn = op.get_bind()
    prev_hash, seq, after = GENESIS, 0, 0
    while True:
        rows = conn.execute(sa.select(_ROWS).where(_ROWS.c.id > after)
                            .order_by(_ROWS.c.id).limit(batch)).all()
        if not rows:
            return
        updates = []
        for r in rows:
            seq += 1
            content = Content(seq, r.at, r.actor, r.action, r.entity_type, r.entity_key,
                              r.reason or "", r.changes or {}, prev_hash)
            prev_hash = digest(content)
            updates.append({"row_id": r.id, "seq": seq, "prev_hash": content.prev_hash,
                            "hash": prev_hash})
        conn.execute(_ROWS.update().where(_ROWS.c.id == sa.bindparam("row_id"))
                     .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"),
                             hash=sa.bindparam("hash")), updates)
        after = rows[-1].id


def _guard(table: str, operation: str, when: Callable[[bool], str] | None,
           message: str) -> None:
    name = f"{table}_no_{operation.lower()}"
    postgresql = op.get_bind().dialect.name == "postgresql"
    condition = f"WHEN ({when(postgresql)}) " if when else ""
    if postgresql:
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$")
        op.execute(f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW "
                   f"{condition}EXECUTE FUNCTION {name}()")
        return
    op.execute(f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW "
               f"{condition}BEGIN SELECT RAISE(ABORT, '{message}'); END")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, operation, _, _ in GUARDS:
        name = f"{table}_no_{operation.lower()}"
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgresql else f"DROP TRIGGER {name}")
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_records_pending')
        batch_op.drop_constraint(batch_op.f('uq_audit_records_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
