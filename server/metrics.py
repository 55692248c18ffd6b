"""Prometheus metrics of this process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

SCANS = Counter("floorline_scans_total", "Scan events recorded, by outcome and reason",
                ["outcome", "reason"], registry=REGISTRY)
SCAN_SECONDS = Histogram("floorline_scan_seconds", "Time to record one scan",
                         registry=REGISTRY,
                         buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
SCAN_GROUP = Histogram("floorline_scan_group_size", "Scans recorded by one commit",
                       registry=REGISTRY, buckets=(1, 2, 5, 10, 25, 50, 100, 200))
HTTP_ERRORS = Counter("floorline_http_errors_total", "API errors by code", ["code"],
                      registry=REGISTRY)



def observe_scan(outcome: str, reason: str, seconds: float) -> None:
    """Count one scan by its outcome and reason, and time it."""
    count_scan(outcome, reason)
    SCAN_SECONDS.observe(seconds)


def observe_group(size: int) -> None:
    """Count one commit of a group of scans."""
    SCAN_GROUP.observe(size)


def count_scan(outcome: str, reason: str) -> None:
    """Count one scan answered before it reached the database (a rate-limit deferral)."""
    SCANS.labels(outcome, reason).inc()
