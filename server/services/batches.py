"""Batches: detail with history, split, merge, hold, release and scrap."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import genealogy as rules
from ..domain import numbering
from ..domain.batches import Action, BatchState, apply
from ..domain.errors import GenealogyError, TransitionError
from ..domain.genealogy import NodeKind, Relation
from ..domain.quantities import Quantity, amount_text, is_counted
from ..errors import NotFound
from ..models import AuditRecord, Batch, GenealogyEdge, ScanEvent, StepExecution, utcnow
from . import audit, genealogy, sequences
from .actors import Actor
from .runs import refresh_status


def batch_by_code(session: Session, code: str, *, lock: bool = False) -> Batch:
    stmt = select(Batch).where(Batch.code == code)
    if lock:
        stmt = stmt.with_for_update(of=Batch)
    batch = session.scalar(stmt)
    if batch is None:
        raise NotFound(f"no batch {code!r}", code="unknown_batch", batch=code)
    return batch


def step_name(batch: Batch) -> str | None:
    steps = batch.routing.steps
    if batch.step_index is None or batch.step_index >= len(steps):
        return None
    return steps[batch.step_index].operation.code


def batch_summary(batch: Batch) -> dict[str, Any]:
    return {
        "code": batch.code, "run": batch.run.number, "item": batch.item.sku,
        "item_name": batch.item.name, "quantity": amount_text(batch.quantity), "unit": batch.unit,
        "counted": is_counted(batch.unit),
        "state": batch.state, "step_index": batch.step_index, "step": step_name(batch),
        "steps": len(batch.routing.steps), "routing_version": batch.routing.version,
        "machine": batch.machine.code if batch.machine else None,
        "hold_reason": batch.hold_reason, "version": batch.version,
        "last_scan_at": batch.last_scan_at.isoformat() if batch.last_scan_at else None,
    }


def batch_detail(session: Session, code: str) -> dict[str, Any]:
    """Return a batch with its steps, scan history, genealogy and audit trail."""
    batch = batch_by_code(session, code)
    scans = session.scalars(select(ScanEvent).where(ScanEvent.batch_id == batch.id)
                            .order_by(ScanEvent.id))
    undone = undone_keys(session, batch.code)
    return {
        **batch_summary(batch),
        "routing": [s.operation.code for s in batch.routing.steps],
        "executions": [execution_dict(e) for e in batch.executions],
        "scans": [{"event_id": s.event_id, "outcome": s.outcome, "reason": s.reason,
                   "transition": s.transition, "received_at": s.received_at.isoformat(),
                   "station": s.result.get("station"), "operator": s.operator,
                   "operator_claimed": s.operator_claimed,
                   "undone": f"scan:{s.id}" in undone} for s in scans],
        "parents": _relatives(session, batch, up=True),
        "children": _relatives(session, batch, up=False),
        "audit": audit.history(session, "batch", batch.code),
    }


def execution_dict(e: StepExecution) -> dict[str, Any]:
    """Serialise a step execution with its quantities as decimal text."""
    def text(v: Decimal | None) -> str | None:
        return None if v is None else amount_text(v)
    return {"position": e.position, "operation": e.step.operation.code,
            "station": e.station.name if e.station else None, "operator": e.operator,
            "finished_by": e.finished_by, "started_at": e.started_at.isoformat(),
            "finished_at": e.finished_at.isoformat() if e.finished_at else None,
            "in": text(e.quantity_in), "good": text(e.quantity_good),
            "rejected": text(e.quantity_rejected), "scrapped": text(e.quantity_scrapped),
            "waste": text(e.quantity_waste),
            "undone_at": e.undone_at.isoformat() if e.undone_at else None}


def _relatives(session: Session, batch: Batch, *, up: bool) -> list[dict[str, Any]]:
    """Return the batches this one was split or merged from (up) or into (down)."""
    me = genealogy.find_node(session, NodeKind.BATCH, batch.code)
    if me is None:
        return []
    mine, other = (GenealogyEdge.child_id, "parent") if up else (GenealogyEdge.parent_id, "child")
    edges = session.scalars(select(GenealogyEdge).where(
        mine == me.id, GenealogyEdge.parent_kind == NodeKind.BATCH.value,
        GenealogyEdge.child_kind == NodeKind.BATCH.value).order_by(GenealogyEdge.id))
    return [{"code": getattr(edge, other).code, "relation": edge.relation,
             "quantity": amount_text(edge.quantity), "unit": edge.unit} for edge in edges]


def _edge(session: Session, parent: Batch, child: Batch, relation: Relation, qty: Decimal,
          audit_row: AuditRecord) -> None:
    genealogy.link(session, genealogy.node(session, NodeKind.BATCH, parent.code, parent.id),
                   genealogy.node(session, NodeKind.BATCH, child.code, child.id), relation,
                   Quantity(qty, child.unit), record=f"audit:{audit_row.id}",
                   audit_id=audit_row.id)


def _new_batch(session: Session, like: Batch, qty: Decimal) -> Batch:
    """Make a batch where like is; a held parent's children stay held for the same reason."""
    year = utcnow().year
    seq = sequences.take(session, f"B:{year}")[0]
    held = like.state == BatchState.ON_HOLD.value
    child = Batch(code=numbering.batch_code(year, seq), run=like.run, run_line=like.run_line,
                  item=like.item, routing=like.routing, quantity=qty, unit=like.unit,
                  step_index=like.step_index,
                  state=BatchState.ON_HOLD.value if held else BatchState.WAITING.value,
                  held_state=BatchState.WAITING.value if held else None,
                  hold_reason=like.hold_reason if held else None, machine=like.machine)
    session.add(child)
    return child


def split_batch(session: Session, actor: Actor, code: str, *, quantities: list[Decimal]
                | None = None, parts: int | None = None, reason: str = "") -> dict[str, Any]:
    """Split a batch into children that sum to it; the parent is closed as split."""
    actor.require("operator")
    parent = batch_by_code(session, code, lock=True)
    whole = Quantity(parent.quantity, parent.unit)
    if parent.state == BatchState.ON_HOLD.value and parent.held_state == "in_process":
        raise TransitionError("finish or release the step in process before splitting",
                              state="in_process")
    shares = (rules.split(whole, [Quantity.of(q, parent.unit) for q in quantities])
              if quantities is not None else rules.split_evenly(whole, parts or 2))
    after = apply(BatchState(parent.state), Action.SPLIT).value
    children = [_new_batch(session, parent, s.amount) for s in shares]
    parent.state = after
    session.flush()
    row = audit.record(session, actor, "batch.split", "batch", parent.code, reason=reason,
                       children=[c.code for c in children])
    session.flush()
    for child in children:
        _edge(session, parent, child, Relation.SPLIT, child.quantity, row)
        audit.record(session, actor, "batch.create", "batch", child.code, reason=reason,
                     split_from=parent.code)
    _touch_run(parent)
    return {"parent": batch_summary(parent), "children": [batch_summary(c) for c in children]}


def merge_batches(session: Session, actor: Actor, codes: list[str], *, reason: str = ""
                  ) -> dict[str, Any]:
    """Merge batches of one item waiting at one step into a new batch."""
    actor.require("operator")
    if len(set(codes)) != len(codes):
        raise GenealogyError("a batch can only be merged once", codes=codes)
    inputs = [batch_by_code(session, c, lock=True) for c in sorted(codes)]
    if len({b.routing_id for b in inputs}) > 1:
        # The merged batch follows one routing; which of two would be a guess.
        raise GenealogyError("batches on different routing versions cannot be merged",
                             codes=codes)
    total = rules.merge([rules.MergeInput(b.item.sku, Quantity(b.quantity, b.unit),
                                          b.step_index, b.run.number) for b in inputs])
    for b in inputs:
        b.state = apply(BatchState(b.state), Action.MERGE).value
    merged = _new_batch(session, inputs[0], total.amount)
    session.flush()
    row = audit.record(session, actor, "batch.merge", "batch", merged.code, reason=reason,
                       inputs=codes)
    session.flush()
    for b in inputs:
        _edge(session, b, merged, Relation.MERGE, b.quantity, row)
        audit.record(session, actor, "batch.merged_into", "batch", b.code, into=merged.code)
        _touch_run(b)
    return {"batch": batch_summary(merged), "inputs": [batch_summary(b) for b in inputs]}


def hold_batch(session: Session, actor: Actor, code: str, reason: str) -> dict[str, Any]:
    """Put a batch on hold with a reason; scans are refused until it is released."""
    actor.require("operator")
    batch = batch_by_code(session, code, lock=True)
    before, was = BatchState(batch.state), place_of(batch)
    batch.state = apply(before, Action.HOLD).value
    batch.held_state, batch.hold_reason = before.value, reason
    audit.record(session, actor, "batch.hold", "batch", code, reason=reason, before=before.value,
                 **{"from": was, "to": place_of(batch)})
    _touch_run(batch)
    return batch_summary(batch)


def release_batch(session: Session, actor: Actor, code: str, reason: str = ""
                  ) -> dict[str, Any]:
    """Release a held batch back to the state it was in."""
    actor.require("supervisor")
    batch = batch_by_code(session, code, lock=True)
    held, was = (BatchState(batch.held_state) if batch.held_state else None), place_of(batch)
    batch.state = apply(BatchState(batch.state), Action.RELEASE, held_from=held).value
    batch.held_state = batch.hold_reason = None
    audit.record(session, actor, "batch.release", "batch", code, reason=reason,
                 **{"from": was, "to": place_of(batch)})
    _touch_run(batch)
    return batch_summary(batch)


def scrap_batch(session: Session, actor: Actor, code: str, reason: str, *,
                action: str = "batch.scrap") -> dict[str, Any]:
    """Scrap a whole batch with a reason: it leaves its routing and scans are refused."""
    actor.require("operator")
    batch = batch_by_code(session, code, lock=True)
    was = place_of(batch)
    batch.state = apply(BatchState(batch.state), Action.SCRAP).value
    batch.held_state = None
    open_step = next((e for e in batch.executions if e.finished_at is None), None)
    if open_step is not None:
        # The step in process ends here, everything that came in scrapped.
        open_step.finished_at, open_step.quantity_good = utcnow(), Decimal(0)
        open_step.quantity_scrapped = open_step.quantity_in
        was["execution"] = open_step.id
    audit.record(session, actor, action, "batch", code, reason=reason,
                 **{"from": was, "to": place_of(batch)})
    _touch_run(batch)
    refresh_status(session, batch.run)
    return batch_summary(batch)


def undone_keys(session: Session, code: str) -> set[str]:
    """Return the changes of a batch that an undo took back ("scan:<id>", "audit:<id>")."""
    rows = session.scalars(select(AuditRecord.changes).where(
        AuditRecord.entity_type == "batch", AuditRecord.entity_key == code,
        AuditRecord.action == "batch.undo"))
    return {str(c.get("undoes")) for c in rows}


def place_of(batch: Batch) -> dict[str, Any]:
    """Return where a batch is (state, step, hold), as an audit record keeps it for undo."""
    return {"state": batch.state, "step_index": batch.step_index,
            "held_state": batch.held_state, "hold_reason": batch.hold_reason}


def _touch_run(batch: Batch) -> None:
    batch.updated_at = utcnow()
    batch.run.version += 1
