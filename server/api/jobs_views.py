"""REST: the jobs' read side — list, summary, stats, run history, and their CSV files."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.blueprints import BlueprintSetupState
from sqlalchemy.orm import Session
from werkzeug.routing import BaseConverter

from ..models import utcnow
from ..services import job_history, job_stats, job_views
from ..services.actors import Actor
from .csvfile import csv_response
from .endpoint import bp, endpoint
from .job_views_schemas import (
    JobFilterQuery,
    JobHistoryOut,
    JobListOut,
    JobListQuery,
    JobStatsOut,
    JobStatsQuery,
    JobSummaryOut,
)
from .reports import parse_day


class JobNumber(BaseConverter):
    """A job number, J-YYYY-NNNNN: so /jobs/summary, /jobs/stats... are never taken for one."""

    regex = r"J-\d{4}-\d{5}"


@bp.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("job", JobNumber)


def _filters(query: JobFilterQuery) -> dict[str, Any]:
    return {"view": query.view, "stage": query.stage, "q": query.q}


@endpoint("/jobs", query=JobListQuery, tag="jobs", response=JobListOut)
def list_jobs(db: Session, actor: Actor, query: JobListQuery) -> Any:
    """List the jobs of a view (all, ongoing, completed, unscheduled, scheduled), newest first."""
    return job_views.list_jobs(db, **_filters(query), page=query.page, per_page=query.per_page)


@endpoint("/jobs/summary", query=JobFilterQuery, tag="jobs", response=JobSummaryOut)
def jobs_summary(db: Session, actor: Actor, query: JobFilterQuery) -> Any:
    """Count jobs per view; a view's issued and pending weight, loss rate, stage x status."""
    return job_views.summary(db, **_filters(query))


@endpoint("/jobs/stats", query=JobStatsQuery, tag="jobs", response=JobStatsOut)
def jobs_stats(db: Session, actor: Actor, query: JobStatsQuery) -> Any:
    """Buckets, yield, rejection, scrap and waste rates and on-time share per stage or staff."""
    return job_stats.stats(db, by=query.by, first=parse_day("from", query.from_),
                           last=parse_day("to", query.to), today=utcnow().date())


@endpoint("/jobs/<job:number>/history", tag="jobs", response=JobHistoryOut)
def job_history_view(db: Session, actor: Actor, number: str) -> Any:
    """A job's run history: the stages its material came through and went on to, and events."""
    return job_history.history(db, number)


@endpoint("/jobs.csv", query=JobFilterQuery, tag="jobs", media=("text/csv",))
def jobs_csv(db: Session, actor: Actor, query: JobFilterQuery) -> Response:
    """The jobs of a view as a CSV file (every page)."""
    rows = list(job_views.export_rows(db, **_filters(query)))
    return csv_response(job_views.CSV_COLUMNS, rows, f"floorline-jobs-{query.view}.csv")


@endpoint("/jobs/<job:number>/history.csv", tag="jobs", media=("text/csv",))
def job_history_csv(db: Session, actor: Actor, number: str) -> Response:
    """A job's run history as a CSV file: one row per stage."""
    rows = job_history.csv_rows(job_history.history(db, number))
    return csv_response(job_history.CSV_COLUMNS, rows, f"floorline-{number}-history.csv")
