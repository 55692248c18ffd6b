"""REST: label files for runs and batches, printers and their print jobs."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from labels import MEDIA_TYPES, render_labels

from ..services import labelling
from ..services.actors import Actor
from .endpoint import LIST, endpoint


class LabelQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    layout: str = Field(default="", max_length=64)
    dpi: int | None = Field(default=None, ge=100, le=600)


class PrintIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    printer: str = Field(min_length=1, max_length=64)


FILES = tuple(sorted(set(MEDIA_TYPES.values())))  # what the label views may answer


def _file(data: bytes, fmt: str, name: str) -> Response:
    ext = "zip" if fmt in ("png", "svg") else fmt
    mime = "application/zip" if ext == "zip" else MEDIA_TYPES[fmt]  # type: ignore[index]
    return Response(data, mimetype=mime, headers={
        "Content-Disposition": f'attachment; filename="{name}.{ext}"'})


def _printing() -> Any:
    return current_app.extensions["floorline_printing"]


def _settings() -> Any:
    return current_app.extensions["floorline"].settings


@endpoint("/runs/<number>/labels.<any(pdf,png,svg,zpl):fmt>", query=LabelQuery, tag="labels",
          media=FILES)
def run_labels(db: Session, actor: Actor, number: str, fmt: str, query: LabelQuery) -> Any:
    """Labels of every batch of a run: a PDF sheet, a ZPL stream, or a zip of PNG/SVG."""
    items = labelling.run_labels(db, number, _settings())
    layout = query.layout or _settings().label_layout
    return _file(render_labels(items, fmt, layout, dpi=query.dpi), fmt, number)  # type: ignore[arg-type]


@endpoint("/batches/<code>/label.<any(pdf,png,svg,zpl):fmt>", query=LabelQuery,
          tag="labels", media=FILES)
def batch_label(db: Session, actor: Actor, code: str, fmt: str, query: LabelQuery) -> Any:
    """One batch's label (single thermal label by default)."""
    items = labelling.batch_labels(db, [code], _settings())
    layout = query.layout or _settings().single_label_layout
    return _file(render_labels(items, fmt, layout, dpi=query.dpi), fmt, code)  # type: ignore[arg-type]


@endpoint("/printers", tag="labels", response=LIST)
def list_printers(db: Session, actor: Actor) -> Any:
    """List configured printers."""
    return [{"name": c.name, "kind": c.kind, "format": c.format, "layout": c.layout}
            for c in _printing().configs.values()]


@endpoint("/runs/<number>/print", "POST", role="planner", body=PrintIn, tag="labels")
def print_run(db: Session, actor: Actor, number: str, body: PrintIn) -> Any:
    """Print a run's labels; an offline printer keeps the job to retry."""
    items = labelling.run_labels(db, number, _settings())
    return _job(_printing().print_now(body.printer, items, number))


@endpoint("/batches/<code>/print", "POST", role="operator", body=PrintIn, tag="labels")
def print_batch(db: Session, actor: Actor, code: str, body: PrintIn) -> Any:
    """Print (or reprint) one batch's label."""
    items = labelling.batch_labels(db, [code], _settings())
    return _job(_printing().print_now(body.printer, items, code))


@endpoint("/print-jobs", tag="labels", response=LIST)
def pending_jobs(db: Session, actor: Actor) -> Any:
    """Print jobs waiting for their printer."""
    return [_job(j) for j in _printing().spool.pending()]


@endpoint("/print-jobs/retry", "POST", role="operator", tag="labels")
def retry_jobs(db: Session, actor: Actor) -> Any:
    """Try every waiting print job again."""
    report = _printing().spool.retry_pending()
    return {"sent": report.sent, "failed": report.failed}


def _job(job: Any) -> dict[str, Any]:
    return {"id": job.id, "printer": job.printer, "title": job.title, "bytes": job.size,
            "attempts": job.attempts, "last_error": job.last_error}
