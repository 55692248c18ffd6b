"""The REST API under /api/v1: thin views that parse, call one service and serialise."""

from . import (
    audit,
    catalog,
    chain_records,
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
    receiving,
    reports,
    runs,
    sales,
    scans,
    session,
    trace,
)
from .endpoint import bp

__all__ = ["audit",
           "bp", "catalog", "chain_records",
           "inventory", "job_edits", "job_floor", "jobs", "jobs_views", "kiosk",
           "labels", "machines", "openapi", "plant", "receiving", "reports", "runs", "sales",
           "scans", "session", "trace"]
