"""Bodies and answers of the recall endpoints."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from .schemas import CLEAN_TEXT, Body, Out

# Blank (only spaces) is refused by the service as 422 reason_required: no schema states it.
Reason = Annotated[str, StringConstraints(min_length=1, max_length=500), CLEAN_TEXT]


class RecallReasonIn(Body):
    reason: Reason


class RecallOriginOut(Out):
    kind: str  # lot, batch, serial, ... or supplier_batch (every lot received under it)
    code: str


class RecallSummaryOut(Out):
    affected: int
    shipped: int
    in_stock: int
    customers: list[str]


class RecallHoldRefOut(Out):
    number: str
    held_at: str
    released_at: str | None


class RecallOut(Out):
    origin: RecallOriginOut
    total: dict[str, str] | None
    affected: list[dict[str, object]]
    summary: RecallSummaryOut
    holds: list[RecallHoldRefOut]


class RecallHoldItemOut(Out):
    kind: str
    code: str
    previous_status: str
    status: str


class RecallHoldOut(Out):
    number: str
    origin: str
    reason: str
    held_by: str
    held_at: str
    released_at: str | None
    items: list[RecallHoldItemOut]
