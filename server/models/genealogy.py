"""The genealogy graph: one node per traced thing, edges parent -> child with a relation.

The database itself refuses an edge the domain does not allow: each edge carries its
endpoints' kinds, which must match the nodes (composite key to (id, kind)) and, with the
relation, pass a CHECK built from server.domain.genealogy.ALLOWED. (A CHECK, not a rules
table: reference rows would be one more thing a restore or a test's TRUNCATE can lose.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.genealogy import ALLOWED, NodeKind, Relation
from .base import Amount, Base, Code, Timestamp, one_of


def rule_check(allowed: Iterable[tuple[NodeKind, Relation, NodeKind]] = ALLOWED) -> str:
    """Return the CHECK that admits exactly the allowed (parent kind, relation, child kind)."""
    children: dict[tuple[str, str], list[NodeKind]] = defaultdict(list)
    for parent, relation, child in sorted(allowed):
        children[(relation.value, parent.value)].append(child)
    return " OR ".join(f"(relation = '{r}' AND parent_kind = '{p}' AND {one_of('child_kind', cs)})"
                       for (r, p), cs in sorted(children.items()))


class GenealogyNode(Base):
    """One identity for a lot, batch, run, serial, job, receipt or shipment."""

    __tablename__ = "genealogy_nodes"
    __table_args__ = (
        UniqueConstraint("kind", "code"),
        # The target of the edges' (node, kind) keys.
        UniqueConstraint("id", "kind"),
        CheckConstraint(one_of("kind", NodeKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[Code] = mapped_column(index=True)
    # The row of the thing itself (batches.id for a batch), where there is one.
    ref_id: Mapped[int | None]
    created_at: Mapped[Timestamp]


class GenealogyEdge(Base):
    """parent -> child: what made the child from the parent, how much, by which record."""

    __tablename__ = "genealogy_edges"
    __table_args__ = (
        ForeignKeyConstraint(["parent_id", "parent_kind"],
                             ["genealogy_nodes.id", "genealogy_nodes.kind"]),
        ForeignKeyConstraint(["child_id", "child_kind"],
                             ["genealogy_nodes.id", "genealogy_nodes.kind"]),
        CheckConstraint(rule_check(), name="rule"),
        CheckConstraint("parent_id <> child_id", name="not_self"),
        CheckConstraint("quantity >= 0", name="quantity"),
        Index("ix_genealogy_edges_parent_id", "parent_id"),
        Index("ix_genealogy_edges_child_id", "child_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int]
    parent_kind: Mapped[str] = mapped_column(String(16))
    child_id: Mapped[int]
    child_kind: Mapped[str] = mapped_column(String(16))
    relation: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Amount]
    unit: Mapped[str] = mapped_column(String(8))
    # What made the edge: "audit:42", "receipt:RC-2026-00001", "run:PR-2026-00007".
    record: Mapped[str] = mapped_column(String(100))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit_records.id"))
    created_at: Mapped[Timestamp]

    parent: Mapped[GenealogyNode] = relationship(
        primaryjoin="GenealogyNode.id == GenealogyEdge.parent_id",
        foreign_keys="GenealogyEdge.parent_id", viewonly=True, lazy="joined")
    child: Mapped[GenealogyNode] = relationship(
        primaryjoin="GenealogyNode.id == GenealogyEdge.child_id",
        foreign_keys="GenealogyEdge.child_id", viewonly=True, lazy="joined")
