"""REST: completing batches and jobs into serials or lots, serials, quality checks, labels."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from labels import render_labels

from ..services import (
    completion_views,
    completions,
    quality_checks,
    serial_labels,
    serial_views,
    serials,
)
from ..services.actors import Actor
from .completion_schemas import CheckQuery, CompletionIn, QualityCheckIn, SerialQuery, SerialTypeIn
from .endpoint import LIST, endpoint
from .labels import FILES, LabelQuery, _file, _settings


def _spec(body: CompletionIn) -> completions.CompletionIn:
    return completions.CompletionIn(**body.model_dump())


@endpoint("/batches/<code>/complete", "POST", role="operator", body=CompletionIn, status=201,
          tag="completions")
def complete_batch(db: Session, actor: Actor, code: str, body: CompletionIn) -> Any:
    """Complete and inspect a done batch: serials (one per good piece) or a finished lot."""
    return completions.complete_batch(db, actor, code, _spec(body))


@endpoint("/batches/<code>/complete", tag="completions")
def batch_remaining(db: Session, actor: Actor, code: str) -> Any:
    """Say what a batch has left to complete (good quantity, completed so far, left)."""
    return completions.remaining(db, "batch", code)


@endpoint("/jobs/<number>/complete", tag="completions")
def job_remaining(db: Session, actor: Actor, number: str) -> Any:
    """Say what a job's received good output has left to complete."""
    return completions.remaining(db, "job", number)


@endpoint("/jobs/<number>/complete", "POST", role="operator", body=CompletionIn, status=201,
          tag="completions")
def complete_job(db: Session, actor: Actor, number: str, body: CompletionIn) -> Any:
    """Complete and inspect a job's received good output into serials or a finished lot."""
    return completions.complete_job(db, actor, number, _spec(body))


@endpoint("/completions/<int:completion_id>", tag="completions")
def get_completion(db: Session, actor: Actor, completion_id: int) -> Any:
    """Return one completion with the serials or the lot it made."""
    row = completion_views.completion_by_id(db, completion_id)
    return completion_views.completion_answer(db, row)


@endpoint("/completions/<int:completion_id>/labels.pdf", tag="completions", media=FILES)
def completion_labels(db: Session, actor: Actor, completion_id: int) -> Any:
    """A PDF sheet of the labels of every serial a completion made."""
    items = serial_labels.completion_labels(db, completion_id)
    return _file(render_labels(items, "pdf", _settings().label_layout), "pdf",
                 f"completion-{completion_id}")


@endpoint("/serials", query=SerialQuery, tag="completions")
def list_serials(db: Session, actor: Actor, query: SerialQuery) -> Any:
    """List finished serials, newest first (?status=&item=&q=&page=)."""
    return serials.list_serials(db, **query.model_dump())


@endpoint("/serials/<code>", tag="completions")
def get_serial(db: Session, actor: Actor, code: str) -> Any:
    """Return one serial: item, status, place, completion, source, shipment, checks."""
    return serial_views.serial_detail(db, code)


@endpoint("/serials/<code>/label.<any(pdf,png,svg,zpl):fmt>", query=LabelQuery,
          tag="completions", media=FILES)
def serial_label(db: Session, actor: Actor, code: str, fmt: str, query: LabelQuery) -> Any:
    """One serial's label (single thermal label by default)."""
    items = serial_labels.serial_labels(db, code)
    layout = query.layout or _settings().single_label_layout
    return _file(render_labels(items, fmt, layout, dpi=query.dpi), fmt, code)  # type: ignore[arg-type]


@endpoint("/quality-checks", "POST", role="operator", body=QualityCheckIn, status=201,
          tag="completions")
def record_check(db: Session, actor: Actor, body: QualityCheckIn) -> Any:
    """Record a quality check of a batch's step (a quality-check step), serial, lot or job."""
    return quality_checks.record_check(db, actor, quality_checks.CheckIn(**body.model_dump()))


@endpoint("/quality-checks", query=CheckQuery, tag="completions", response=LIST)
def list_checks(db: Session, actor: Actor, query: CheckQuery) -> Any:
    """List the quality checks of one subject code, oldest first (?subject=CODE)."""
    return quality_checks.list_checks(db, query.subject)


@endpoint("/items/<sku>/serial-type", "PUT", role="planner", body=SerialTypeIn,
          tag="completions")
def put_serial_type(db: Session, actor: Actor, sku: str, body: SerialTypeIn) -> Any:
    """Set the TYPE of an item's serial codes (null: made from its SKU)."""
    return serials.set_serial_type(db, actor, sku, body.serial_type)
