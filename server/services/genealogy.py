"""The genealogy graph: get or make a node, link two nodes (refusing cycles and bad kinds)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.errors import GenealogyCycle
from ..domain.genealogy import NodeKind, Relation, check_relation
from ..domain.quantities import Quantity
from ..models import GenealogyEdge, GenealogyNode, utcnow

# One key for every genealogy write on PostgreSQL: two links that each pass the cycle check
# alone could close a cycle together (A->B with B->A, or longer), whatever rows they lock.
LINK_LOCK = 0x6E6E0011

# Does the walk down from :child reach :parent? Then parent -> child closes a cycle.
_REACHES = text("""
WITH RECURSIVE down(id) AS (
    SELECT CAST(:child AS INTEGER)
    UNION
    SELECT e.child_id FROM genealogy_edges e JOIN down d ON e.parent_id = d.id
)
SELECT 1 FROM down WHERE id = :parent LIMIT 1
""")


def node(session: Session, kind: NodeKind, code: str, ref_id: int | None = None
         ) -> GenealogyNode:
    """Return the node of (kind, code), making it if there is none yet."""
    kind = NodeKind(kind)
    found = _find(session, kind, code)
    if found is not None:
        return found
    values = {"kind": kind.value, "code": code, "ref_id": ref_id, "created_at": utcnow()}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # Two sessions making the same node at once: the loser's insert does nothing.
    session.execute(insert(GenealogyNode).values(**values)
                    .on_conflict_do_nothing(index_elements=["kind", "code"]))
    made = _find(session, kind, code)
    assert made is not None
    return made


def find_node(session: Session, kind: NodeKind, code: str) -> GenealogyNode | None:
    """Return the node of (kind, code) or None."""
    return _find(session, NodeKind(kind), code)


def _find(session: Session, kind: NodeKind, code: str) -> GenealogyNode | None:
    return session.scalar(select(GenealogyNode).where(GenealogyNode.kind == kind.value,
                                                      GenealogyNode.code == code))


def link(session: Session, parent: GenealogyNode, child: GenealogyNode, relation: Relation,
         quantity: Quantity, *, record: str, audit_id: int | None = None,
         at: datetime | None = None) -> GenealogyEdge:
    """Write parent -relation-> child, refusing a relation the kinds do not allow or a cycle."""
    relation = Relation(relation)
    check_relation(NodeKind(parent.kind), relation, NodeKind(child.kind))
    session.flush()
    _serialise(session, parent, child)
    if parent.id == child.id or session.execute(
            _REACHES, {"child": child.id, "parent": parent.id}).first() is not None:
        raise GenealogyCycle(
            f"{child.kind} {child.code} is already upstream of {parent.kind} {parent.code}",
            parent=f"{parent.kind}:{parent.code}", child=f"{child.kind}:{child.code}")
    edge = GenealogyEdge(parent_id=parent.id, parent_kind=parent.kind, child_id=child.id,
                         child_kind=child.kind, relation=relation.value,
                         quantity=quantity.amount, unit=quantity.unit, record=record,
                         audit_id=audit_id, created_at=at or utcnow())
    session.add(edge)
    session.flush()
    return edge


def _serialise(session: Session, parent: GenealogyNode, child: GenealogyNode) -> None:
    """Hold other links back until this transaction ends (SQLite writes one at a time anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LINK_LOCK})
    # And the two endpoints, so nothing archives or renames them under the edge.
    session.execute(select(GenealogyNode.id)
                    .where(GenealogyNode.id.in_(sorted({parent.id, child.id})))
                    .order_by(GenealogyNode.id).with_for_update())
