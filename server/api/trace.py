"""REST: trace a code backward or forward through the genealogy graph."""

from __future__ import annotations

import json
from typing import Any, Literal

from flask import Response, current_app
from sqlalchemy.orm import Session

from ..domain.epcis import MEDIA_TYPE
from ..models import utcnow
from ..services import epcis, trace
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


class EpcisQuery(Query):
    direction: Literal["back", "forward", "both"] = "both"


@endpoint("/trace/<path:code>/epcis", query=EpcisQuery, tag="trace", media=(MEDIA_TYPE,))
def get_trace_epcis(db: Session, actor: Actor, code: str, query: EpcisQuery) -> Response:
    """Export the chain reachable from a code as an EPCIS 2.0 JSON-LD document."""
    base = current_app.extensions["floorline"].settings.epc_base
    doc = epcis.document(db, code, query.direction, base=base, now=utcnow())
    return Response(json.dumps(doc), mimetype=MEDIA_TYPE)
