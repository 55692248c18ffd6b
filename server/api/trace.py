"""REST: trace a code backward or forward through the genealogy graph."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.orm import Session

from ..services import trace
from ..services.actors import Actor
from .endpoint import endpoint
from .schemas import Out, Query


class TraceQuery(Query):
    direction: Literal["back", "forward"] = "back"


class TraceNodeOut(Out):
    """A node reached, its fewest steps from the start, and how much of the start reached it."""

    kind: str
    code: str
    depth: int
    share: str | None  # exact fraction, "3/10"; null where units do not convert
    share_decimal: str | None
    amount: str | None  # share of the start's total, in the start's unit
    unit: str | None


class TraceEdgeOut(Out):
    parent_kind: str
    parent: str
    child_kind: str
    child: str
    relation: str
    quantity: str
    unit: str
    record: str
    at: str


class TraceStartOut(Out):
    kind: str
    code: str


class TraceTotalOut(Out):
    quantity: str
    unit: str


class TraceOut(Out):
    start: TraceStartOut
    direction: Literal["back", "forward"]
    total: TraceTotalOut | None  # what left the start (forward) or came into it (back)
    nodes: list[TraceNodeOut]
    edges: list[TraceEdgeOut]


@endpoint("/trace/<path:code>", query=TraceQuery, tag="trace", response=TraceOut)
def get_trace(db: Session, actor: Actor, code: str, query: TraceQuery) -> Any:
    """Trace a code (or kind:code) back to its sources or forward to where it went."""
    return trace.trace(db, code, query.direction)
