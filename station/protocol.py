"""Name the scan protocol's wire vocabulary, shared by the server and the agent (stdlib only)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NotRequired, TypedDict


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    DEFERRED = "deferred"    # not stored: the station keeps the scan and resends after retry_after


class Reason(StrEnum):
    UNKNOWN_CODE = "unknown_code"
    NOT_A_BATCH = "not_a_batch"
    WRONG_STEP = "wrong_step"
    ALREADY_DONE = "already_done"
    BATCH_CLOSED = "batch_closed"      # split, merged or scrapped: its children carry on
    ON_HOLD = "on_hold"
    DUPLICATE_SCAN = "duplicate_scan"
    STATION_DISABLED = "station_disabled"
    NOT_AUTHORIZED = "not_authorized"
    INVALID_PAYLOAD = "invalid_payload"
    RATE_LIMITED = "rate_limited"
    CLOCK_SKEW = "clock_skew"          # scanned_at too far from the server's clock
    RUN_CANCELLED = "run_cancelled"
    DATABASE_BUSY = "database_busy"    # deferred: the database may accept it on a retry
    # A lot's label issues the lot to the batch in process at the station; refused with these.
    NO_BATCH_HERE = "no_batch_here"
    INSUFFICIENT_STOCK = "insufficient_stock"
    LOT_QUARANTINED = "lot_quarantined"
    LOT_EXPIRED = "lot_expired"
    LOT_CONSUMED = "lot_consumed"
    LOT_NOT_ISSUABLE = "lot_not_issuable"
    # A job's label opens its receipt form at a station serving the job's stage; or not.
    WRONG_STAGE = "wrong_stage"
    NO_STAGE_HERE = "no_stage_here"
    JOB_CLOSED = "job_closed"
    # A serial's or lot's label at a packing station goes onto its shipment; or not.
    NO_SHIPMENT_HERE = "no_shipment_here"
    ALREADY_SHIPPED = "already_shipped"
    QUARANTINED = "quarantined"
    MORE_THAN_ON_HAND = "more_than_on_hand"
    SHIPMENT_CLOSED = "shipment_closed"
    NOT_SHIPPABLE = "not_shippable"


# The station drops a scan from its outbox on these outcomes; any other one it keeps.
FINAL_OUTCOMES = frozenset({Outcome.ACCEPTED, Outcome.REJECTED, Outcome.DUPLICATE})

# Rejections for the scan's time, not its content: the station keeps them as dead letters
# a supervisor can resend once the clock is right, instead of deleting them.
TIME_REASONS = frozenset({Reason.CLOCK_SKEW})

# Commands the server sends a station over /station.
RESEND_DEAD_LETTERS = "resend_dead_letters"


class Ack(TypedDict):
    """What the server answers a scan with (errors also carry the REST error fields)."""

    event_id: str | None
    outcome: str
    reason: NotRequired[str]
    message: NotRequired[str]
    retry_after: NotRequired[float]
    code: NotRequired[str]
    detail: NotRequired[dict[str, Any]]
    batch: NotRequired[str]
    step: NotRequired[str | None]
    transition: NotRequired[str]


def outcome_of(ack: object) -> Outcome | None:
    """Return an ack's outcome, or None when it names none this protocol knows."""
    value = ack.get("outcome") if isinstance(ack, dict) else None
    try:
        return Outcome(value) if isinstance(value, str) else None
    except ValueError:
        return None


def is_final(ack: object) -> bool:
    """Tell whether the station may drop the scan this ack answers."""
    return outcome_of(ack) in FINAL_OUTCOMES


def is_time_rejection(ack: object) -> bool:
    """Tell whether an ack rejects a scan for its time (so it becomes a dead letter)."""
    reason = ack.get("reason") if isinstance(ack, dict) else None
    return outcome_of(ack) is Outcome.REJECTED and reason in {r.value for r in TIME_REASONS}


def retry_after(ack: object, default: float = 1.0, maximum: float = 300.0) -> float:
    """Return a deferred ack's wait in seconds, bounded so a bad value cannot stall a station."""
    value = ack.get("retry_after") if isinstance(ack, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return default
    return min(maximum, max(0.0, float(value)))


def error_fields(code: str, message: str, detail: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """Return the REST error shape {code, message, detail}, to put in an error ack."""
    return {"code": code, "message": message, "detail": detail or {}}


def deferred_ack(event_id: str | None, retry_after: float, message: str, *,
                 reason: Reason = Reason.RATE_LIMITED) -> dict[str, Any]:
    """Return the ack of a scan the server did not store yet: keep it, wait, resend."""
    wait = round(retry_after, 3)
    return {"event_id": event_id, "outcome": Outcome.DEFERRED.value, "reason": reason.value,
            "retry_after": wait, **error_fields(reason.value, message, {"retry_after": wait})}
