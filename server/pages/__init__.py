"""HTML pages: kiosk, dashboard, runs, setup, reports and login; templates live in kiosk_ui/."""

from ..errors import FloorlineError
from . import (
    audit,
    completions,
    inventory,
    job_forms,
    job_receive,
    jobs,
    language,
    monitor,
    pairing,
    receiving,
    reports,
    setup_catalog,
    setup_plant,
    setup_stages,
    shipments,
    trace,
    trace_reports,
    views,
)
from .security import add_security_headers
from .views import bp

bp.after_request(add_security_headers)
bp.register_error_handler(FloorlineError, views.error_page)

__all__ = [
    "audit",
    "bp",
    "completions",
    "inventory",
    "job_forms",
    "job_receive",
    "jobs",
    "language",
    "monitor",
    "pairing",
    "receiving",
    "reports",
    "setup_catalog",
    "setup_plant",
    "setup_stages",
    "shipments",
    "trace",
    "trace_reports",
    "views",
]
