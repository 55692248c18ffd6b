"""The REST API under /api/v1: thin views that parse, call one service and serialise."""

from . import (
    catalog,
    completions,
    inventory,
    job_edits,
    job_floor,
    jobs,
    jobs_views,
    kiosk,
    labels,
    machines,
    openapi,
    plant,
    recall,
    receiving,
    reports,
    runs,
    sales,
    scans,
    session,
    shipments,
    trace,
    trace_reports,
)
from .endpoint import bp

__all__ = ["bp", "catalog", "completions", "inventory", "job_edits", "job_floor", "jobs",
           "jobs_views", "kiosk", "labels", "machines", "openapi", "plant", "recall", "receiving",
           "reports", "runs", "sales", "scans", "session", "shipments", "trace", "trace_reports"]
