"""REST: production stages, jobs (create, check, get) and their receipts; scrap items."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import job_edits, job_receipts, jobs, stages
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .job_schemas import (
    CheckQuery,
    JobDraft,
    JobIn,
    JobReceiptIn,
    ScrapItemIn,
    SourcesQuery,
    StageIn,
    StagePatch,
)


@endpoint("/stages", tag="jobs", response=LIST)
def list_stages(db: Session, actor: Actor) -> Any:
    """List production stages in order, with the stations serving each."""
    return stages.list_stages(db)


@endpoint("/stages", "POST", role="planner", body=StageIn, status=201, tag="jobs")
def create_stage(db: Session, actor: Actor, body: StageIn) -> Any:
    """Add a production stage."""
    return stages.create_stage(db, actor, **body.model_dump())


@endpoint("/stages/<code>", "PATCH", role="planner", body=StagePatch, tag="jobs")
def patch_stage(db: Session, actor: Actor, code: str, body: StagePatch) -> Any:
    """Rename, reorder or archive a stage, or set its stations."""
    return stages.update_stage(db, actor, code, **body.model_dump())


@endpoint("/items/<sku>/scrap-item", "PUT", role="planner", body=ScrapItemIn, tag="jobs")
def put_scrap_item(db: Session, actor: Actor, sku: str, body: ScrapItemIn) -> Any:
    """Set the SKU a product's scrap is received under (null clears it)."""
    return jobs.set_scrap_item(db, actor, sku, body.scrap_sku)


@endpoint("/jobs/sources", query=SourcesQuery, tag="jobs", response=LIST)
def job_sources(db: Session, actor: Actor, query: SourcesQuery) -> Any:
    """List available lots with stock of the given items (?items=SKU1,SKU2)."""
    return jobs.sources(db, [s.strip() for s in query.items.split(",") if s.strip()])


@endpoint("/jobs/check", "POST", role="planner", body=JobDraft, query=CheckQuery, tag="jobs")
def check_job(db: Session, actor: Actor, body: JobDraft, query: CheckQuery) -> Any:
    """Validate a job draft as creating it would, writing nothing."""
    return jobs.check(db, actor, job_edits.for_step(body.spec(), query.step))


@endpoint("/jobs", "POST", role="planner", body=JobIn, status=201, tag="jobs")
def create_job(db: Session, actor: Actor, body: JobIn) -> Any:
    """Create a job, issuing its lots into it."""
    return jobs.create(db, actor, body.spec())


@endpoint("/jobs/<number>", tag="jobs")
def get_job(db: Session, actor: Actor, number: str) -> Any:
    """Show a job: issues, per-item table, balance, progress, receipts and changes."""
    return jobs.get(db, number)


@endpoint("/jobs/<number>/receipts", "POST", role="operator", body=JobReceiptIn, status=201,
          tag="jobs")
def receive_job(db: Session, actor: Actor, number: str, body: JobReceiptIn) -> Any:
    """Receive a job's output: good, rejected and scrap lots, and waste."""
    return job_receipts.receive(db, actor, number, body.spec())
