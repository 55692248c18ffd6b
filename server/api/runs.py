"""REST: production runs and batches."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from .. import effects
from ..domain.batches import BatchState
from ..services import batches, corrections, flow, history, labelling, runs
from ..services.actors import Actor
from .endpoint import endpoint
from .schemas import MergeIn, OptionalReasonIn, ReasonIn, RunFromOrderIn, RunIn, RunQuery, SplitIn


def notify(db: Session, *changed: dict[str, Any]) -> None:
    """Tell live screens about batches changed outside a scan, once committed."""
    effects.publish_batch(db, current_app.extensions.get("floorline_live"), *changed)


def auto_print(db: Session, codes: list[str], title: str) -> None:
    """Print new batches' labels on the automatic printer, if one is set, once committed."""
    printing = current_app.extensions["floorline_printing"]
    if printing.auto:
        db.flush()
        settings = current_app.extensions["floorline"].settings
        labels = labelling.batch_labels(db, codes, settings)
        effects.after_commit(db, lambda: printing.print_later(labels, title))


@endpoint("/runs", query=RunQuery, tag="runs")
def list_runs(db: Session, actor: Actor, query: RunQuery) -> Any:
    """List runs with progress, filtered by status, item, order or a search text."""
    return runs.list_runs(db, **query.model_dump())


@endpoint("/runs", "POST", role="planner", body=RunIn, status=201, tag="runs")
def create_run(db: Session, actor: Actor, body: RunIn) -> Any:
    """Create a run from batch specs (item, quantity per batch + unit, machines, batches)."""
    specs = [runs.BatchSpec(ln.item, ln.quantity, ln.unit, ln.batches, ln.machines)
             for ln in body.lines]
    run = runs.create_run(db, actor, specs, notes=body.notes, responsible=body.responsible)
    auto_print(db, [b["code"] for b in run["batches"]], run["number"])
    return run


@endpoint("/runs/from-order", "POST", role="planner", body=RunFromOrderIn, status=201,
          tag="runs")
def create_run_from_order(db: Session, actor: Actor, body: RunFromOrderIn) -> Any:
    """Generate a run from a sales order (a further run needs allow_additional + reason)."""
    run = runs.generate_from_order(db, actor, body.order, batches_per_line=body.batches_per_line,
                                   notes=body.notes, responsible=body.responsible,
                                   allow_additional=body.allow_additional, reason=body.reason)
    auto_print(db, [b["code"] for b in run["batches"]], run["number"])
    return run


@endpoint("/runs/<number>", tag="runs")
def get_run(db: Session, actor: Actor, number: str) -> Any:
    """Return a run with its batches and progress."""
    return runs.run_detail(db, runs.run_by_number(db, number))


@endpoint("/runs/<number>/cancel", "POST", role="planner", body=ReasonIn, tag="runs")
def cancel_run(db: Session, actor: Actor, number: str, body: ReasonIn) -> Any:
    """Cancel a run with a reason; its open batches close as cancelled."""
    run = runs.cancel_run(db, actor, number, body.reason)
    notify(db, *[b for b in run["batches"] if b["state"] == BatchState.CANCELLED])
    return run


@endpoint("/runs/<number>/flow", tag="runs")
def get_run_flow(db: Session, actor: Actor, number: str) -> Any:
    """Return the run's batch flow: batches as nodes, split and merge edges with quantities."""
    return flow.run_flow(db, number)


@endpoint("/batches/<code>", tag="batches")
def get_batch(db: Session, actor: Actor, code: str) -> Any:
    """Return a batch with its steps, scans, genealogy and audit trail."""
    return batches.batch_detail(db, code)


@endpoint("/batches/<code>/history", tag="batches")
def get_batch_history(db: Session, actor: Actor, code: str) -> Any:
    """Return a batch's history: steps, scans (refused too), splits and merges, audit trail."""
    return history.batch_history(db, code)


@endpoint("/batches/<code>/split", "POST", role="operator", body=SplitIn, status=201,
          tag="batches")
def split_batch(db: Session, actor: Actor, code: str, body: SplitIn) -> Any:
    """Split a batch by quantities (summing to it) or into equal parts."""
    result = batches.split_batch(db, actor, code, quantities=body.quantities,
                                 parts=body.parts, reason=body.reason)
    auto_print(db, [c["code"] for c in result["children"]], f"split of {code}")
    notify(db, result["parent"], *result["children"])
    return result


@endpoint("/batches/merge", "POST", role="operator", body=MergeIn, status=201, tag="batches")
def merge_batches(db: Session, actor: Actor, body: MergeIn) -> Any:
    """Merge batches of one item at one step into a new batch."""
    result = batches.merge_batches(db, actor, body.batches, reason=body.reason)
    auto_print(db, [result["batch"]["code"]], f"merge into {result['batch']['code']}")
    notify(db, result["batch"], *result["inputs"])
    return result


@endpoint("/batches/<code>/hold", "POST", role="operator", body=ReasonIn, tag="batches")
def hold_batch(db: Session, actor: Actor, code: str, body: ReasonIn) -> Any:
    """Put a batch on hold."""
    held = batches.hold_batch(db, actor, code, body.reason)
    notify(db, held)
    return held


@endpoint("/batches/<code>/release", "POST", role="supervisor", body=OptionalReasonIn,
          tag="batches")
def release_batch(db: Session, actor: Actor, code: str, body: OptionalReasonIn) -> Any:
    """Release a held batch."""
    released = batches.release_batch(db, actor, code, body.reason)
    notify(db, released)
    return released


@endpoint("/batches/<code>/scrap", "POST", role="operator", body=ReasonIn, tag="batches")
def scrap_batch(db: Session, actor: Actor, code: str, body: ReasonIn) -> Any:
    """Scrap a whole batch with a reason."""
    scrapped = batches.scrap_batch(db, actor, code, body.reason)
    notify(db, scrapped)
    return scrapped


@endpoint("/batches/<code>/undo", "POST", role="operator", body=ReasonIn, tag="batches")
def undo_batch(db: Session, actor: Actor, code: str, body: ReasonIn) -> Any:
    """Undo a batch's last transition (a supervisor, or its maker within the undo window)."""
    window = current_app.extensions["floorline"].settings.undo_window_seconds
    result = corrections.undo_last(db, actor, code, reason=body.reason, window=window)
    notify(db, result["batch"])
    return result
