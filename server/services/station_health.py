"""Read what an agent's heartbeat says about itself, and what a screen should warn about."""

from __future__ import annotations

from typing import Any

DEAD_LETTERS_KEPT = 20  # how many of a station's dead letters the server keeps to show


def count_or_none(value: object) -> int | None:
    """Return a plausible count, or None for anything else (absent, negative, junk)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
        return None
    return value


def _text(value: object, limit: int) -> str:
    return str(value)[:limit] if value is not None else ""


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _outbox(value: object) -> dict[str, Any]:
    report = value if isinstance(value, dict) else {}
    error = report.get("error")
    return {"healthy": _flag(report.get("healthy")), "writable": _flag(report.get("writable")),
            "readable": _flag(report.get("readable")),
            "error": _text(error, 300) if error else None}


def _dead_letters(value: object) -> dict[str, Any]:
    report = value if isinstance(value, dict) else {}
    recent = report.get("recent")
    rows = recent[:DEAD_LETTERS_KEPT] if isinstance(recent, list) else []
    keys = ("event_id", "code", "scanned_at", "reason", "message", "failed_at")
    return {"count": count_or_none(report.get("count")) or 0,
            "recent": [{k: _text(row.get(k), 200) for k in keys}
                       for row in rows if isinstance(row, dict)]}


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:32]: n for k, v in list(value.items())[:8]
            if (n := count_or_none(v)) is not None}


def agent_report(report: dict[str, Any]) -> dict[str, Any]:
    """Return the checked, size-bounded health a heartbeat reports (junk becomes absent)."""
    sources = report.get("sources")
    return {
        "sources": {str(k)[:64]: str(v)[:64] for k, v in list(sources.items())[:16]}
        if isinstance(sources, dict) else {},
        "agent_version": _text(report.get("agent_version", ""), 32),
        "clock": _text(report.get("clock", ""), 40),
        "outbox": _outbox(report.get("outbox")),
        "refused_reads": count_or_none(report.get("refused_reads")) or 0,
        "refused_by_reason": _counts(report.get("refused_by_reason")),
        "dead_letters": _dead_letters(report.get("dead_letters")),
        "final": report.get("final") is True,
    }


def station_alerts(health: dict[str, Any]) -> list[dict[str, str]]:
    """Return what is wrong with a station's agent, worst first, for screens to show."""
    alerts: list[dict[str, str]] = []
    outbox = health.get("outbox") or {}
    if outbox.get("writable") is False:
        alerts.append({"code": "outbox_unwritable",
                       "message": "Cannot store scans: the station's outbox is not writable"})
    elif outbox.get("healthy") is False:
        alerts.append({"code": "outbox_unhealthy",
                       "message": "The station's outbox is damaged"})
    refused = health.get("refused_reads") or 0
    if refused:
        alerts.append({"code": "refused_reads",
                       "message": f"{refused} reads not stored at the station"})
    dead = (health.get("dead_letters") or {}).get("count") or 0
    if dead:
        alerts.append({"code": "dead_letters",
                       "message": f"{dead} scans refused for their time, waiting for a resend"})
    return alerts
