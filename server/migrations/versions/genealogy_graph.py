"""one genealogy graph: nodes, and edges between them that only allowed relations may make

Every batch and run becomes a node. Existing batch split/merge edges move onto the nodes
unchanged (quantities, units, audit ids, times); each original batch (no split/merge parent)
gets a run -produce-> batch edge with the quantity it started with. Downgrade keeps the
batch -> batch edges and drops the rest of the graph.

Revision ID: genealogy_graph
Revises: setupcat_routings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.models.base

revision = "genealogy_graph"
down_revision = "setupcat_routings"
branch_labels = None
depends_on = None

# Frozen here as the domain table stood at this revision (server.domain.genealogy.ALLOWED,
# which server.models.genealogy.rule_check turns into this same CHECK); a later rule comes
# with its own migration, and a test checks that the database admits exactly ALLOWED.
KINDS = ("lot", "batch", "run", "serial", "job", "receipt", "shipment")
RULES = {  # (relation, parent kind) -> child kinds
    ("consume", "batch"): ("batch", "job", "serial"),
    ("consume", "lot"): ("batch", "job", "serial"),
    ("issue", "lot"): ("batch", "job", "run"),
    ("merge", "batch"): ("batch",),
    ("produce", "batch"): ("lot", "serial"),
    ("produce", "job"): ("batch", "lot", "serial"),
    ("produce", "run"): ("batch",),
    ("receive", "receipt"): ("lot",),
    ("ship", "batch"): ("shipment",),
    ("ship", "lot"): ("shipment",),
    ("ship", "serial"): ("shipment",),
    ("split", "batch"): ("batch",),
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


RULE_CHECK = " OR ".join(f"(relation = '{r}' AND parent_kind = '{p}' AND {_in('child_kind', cs)})"
                         for (r, p), cs in RULES.items())


def _kind(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=16), nullable=False)


def upgrade() -> None:
    op.create_table(
        "genealogy_nodes",
        sa.Column("id", sa.Integer(), nullable=False),
        _kind("kind"),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f("ck_genealogy_nodes_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genealogy_nodes")),
        sa.UniqueConstraint("id", "kind", name=op.f("uq_genealogy_nodes_id")),
        sa.UniqueConstraint("kind", "code", name=op.f("uq_genealogy_nodes_kind")),
    )
    with op.batch_alter_table("genealogy_nodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_genealogy_nodes_code"), ["code"], unique=False)
    op.execute("INSERT INTO genealogy_nodes (kind, code, ref_id, created_at) "
               "SELECT 'run', number, id, created_at FROM production_runs ORDER BY id")
    op.execute("INSERT INTO genealogy_nodes (kind, code, ref_id, created_at) "
               "SELECT 'batch', code, id, created_at FROM batches ORDER BY id")

    # A plain copy (no keys, no sequence) keeps the old rows while the table is rebuilt.
    op.execute("CREATE TABLE genealogy_edges_old AS SELECT * FROM genealogy_edges")
    with op.batch_alter_table("genealogy_edges", schema=None) as batch_op:
        batch_op.drop_index("ix_genealogy_parent")
        batch_op.drop_index("ix_genealogy_child")
    op.drop_table("genealogy_edges")
    _create_edges()
    op.execute(
        "INSERT INTO genealogy_edges (parent_id, parent_kind, child_id, child_kind, relation,"
        " quantity, unit, record, audit_id, created_at)"
        " SELECT p.id, 'batch', c.id, 'batch', o.relation, o.quantity, o.unit,"
        " CASE WHEN o.audit_id IS NULL THEN 'migration'"
        " ELSE 'audit:' || CAST(o.audit_id AS VARCHAR(20)) END, o.audit_id, o.created_at"
        " FROM genealogy_edges_old o"
        " JOIN genealogy_nodes p ON p.kind = 'batch' AND p.ref_id = o.parent_id"
        " JOIN genealogy_nodes c ON c.kind = 'batch' AND c.ref_id = o.child_id"
        " WHERE o.parent_kind = 'batch' AND o.child_kind = 'batch' ORDER BY o.id")
    moved = op.get_bind().scalar(sa.text("SELECT count(*) FROM genealogy_edges"))
    old = op.get_bind().scalar(sa.text("SELECT count(*) FROM genealogy_edges_old"))
    if moved != old:
        raise RuntimeError(f"{old - moved} genealogy edges are not batch -> batch; "
                           "cannot move them onto the graph")
    # An original batch started with its first step's quantity in, or what it holds now.
    op.execute(
        "INSERT INTO genealogy_edges (parent_id, parent_kind, child_id, child_kind, relation,"
        " quantity, unit, record, audit_id, created_at)"
        " SELECT rn.id, 'run', bn.id, 'batch', 'produce',"
        " COALESCE((SELECT x.quantity_in FROM step_executions x WHERE x.batch_id = b.id"
        "           ORDER BY x.position, x.id LIMIT 1), b.quantity),"
        " b.unit, 'run:' || r.number,"
        " (SELECT min(a.id) FROM audit_records a WHERE a.entity_type = 'run'"
        "  AND a.entity_key = r.number AND a.action = 'run.create'), b.created_at"
        " FROM batches b JOIN production_runs r ON r.id = b.run_id"
        " JOIN genealogy_nodes rn ON rn.kind = 'run' AND rn.ref_id = r.id"
        " JOIN genealogy_nodes bn ON bn.kind = 'batch' AND bn.ref_id = b.id"
        " WHERE NOT EXISTS (SELECT 1 FROM genealogy_edges_old o"
        "                   WHERE o.child_kind = 'batch' AND o.child_id = b.id)"
        " ORDER BY b.id")
    op.drop_table("genealogy_edges_old")


def _create_edges() -> None:
    op.create_table(
        "genealogy_edges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        _kind("parent_kind"),
        sa.Column("child_id", sa.Integer(), nullable=False),
        _kind("child_kind"),
        _kind("relation"),
        sa.Column("quantity", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("record", sa.String(length=100), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("parent_id <> child_id", name=op.f("ck_genealogy_edges_not_self")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_genealogy_edges_quantity")),
        sa.CheckConstraint(RULE_CHECK, name=op.f("ck_genealogy_edges_rule")),
        sa.ForeignKeyConstraint(["audit_id"], ["audit_records.id"],
                                name=op.f("fk_genealogy_edges_audit_id_audit_records")),
        sa.ForeignKeyConstraint(["parent_id", "parent_kind"],
                                ["genealogy_nodes.id", "genealogy_nodes.kind"],
                                name=op.f("fk_genealogy_edges_parent_id_genealogy_nodes")),
        sa.ForeignKeyConstraint(["child_id", "child_kind"],
                                ["genealogy_nodes.id", "genealogy_nodes.kind"],
                                name=op.f("fk_genealogy_edges_child_id_genealogy_nodes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genealogy_edges")),
    )
    with op.batch_alter_table("genealogy_edges", schema=None) as batch_op:
        batch_op.create_index("ix_genealogy_edges_parent_id", ["parent_id"], unique=False)
        batch_op.create_index("ix_genealogy_edges_child_id", ["child_id"], unique=False)


def downgrade() -> None:
    op.execute(
        "CREATE TABLE genealogy_edges_new AS"
        " SELECT e.id, p.ref_id AS parent_id, c.ref_id AS child_id, e.relation, e.quantity,"
        " e.unit, e.audit_id, e.created_at FROM genealogy_edges e"
        " JOIN genealogy_nodes p ON p.id = e.parent_id"
        " JOIN genealogy_nodes c ON c.id = e.child_id"
        " WHERE e.parent_kind = 'batch' AND e.child_kind = 'batch'"
        " AND e.relation IN ('split', 'merge')")
    with op.batch_alter_table("genealogy_edges", schema=None) as batch_op:
        batch_op.drop_index("ix_genealogy_edges_parent_id")
        batch_op.drop_index("ix_genealogy_edges_child_id")
    op.drop_table("genealogy_edges")
    op.create_table(
        "genealogy_edges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("child_kind", sa.String(length=16), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", server.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit_records.id"],
                                name=op.f("fk_genealogy_edges_audit_id_audit_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genealogy_edges")),
    )
    with op.batch_alter_table("genealogy_edges", schema=None) as batch_op:
        batch_op.create_index("ix_genealogy_child", ["child_kind", "child_id"], unique=False)
        batch_op.create_index("ix_genealogy_parent", ["parent_kind", "parent_id"], unique=False)
    op.execute(
        "INSERT INTO genealogy_edges (parent_kind, parent_id, child_kind, child_id, relation,"
        " quantity, unit, audit_id, created_at) SELECT 'batch', parent_id, 'batch', child_id,"
        " relation, quantity, unit, audit_id, created_at FROM genealogy_edges_new ORDER BY id")
    op.drop_table("genealogy_edges_new")
    with op.batch_alter_table("genealogy_nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_genealogy_nodes_code"))
    op.drop_table("genealogy_nodes")
