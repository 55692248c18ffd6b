"""Recall: from a suspect code, every affected serial, lot and batch in process, shipped or in
stock, with how much of the suspect material each contains.

The origin is walked forward with the trace engine (a supplier batch received as several
lots is one recall: every one of them is an origin); what the walk reached is then looked
up once per kind of thing (serials, lots and their stock, shipments, batches), never per
node, so a recall over a large graph costs a few set-based queries after the walk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.attribution import as_decimal
from ..domain.genealogy import NodeKind
from ..domain.quantities import amount_text
from ..errors import BadRequest, NotFound
from ..models import GenealogyNode, Lot
from ..models.recalls import RecallHold
from . import recall_rows, trace

_SUPPLIER_BATCH = "supplier_batch:"


@dataclass(frozen=True, slots=True)
class Origin:
    """What a recall starts from: its description, a stable key and the nodes walked from."""

    info: dict[str, Any]
    key: str
    starts: list[trace.Start]  # each node the walk starts at


@dataclass(slots=True)
class Reached:
    """All forward walks from an origin together: each node's share of the suspect total."""

    total: Fraction | None = None
    unit: str | None = None
    shares: dict[tuple[str, str], Fraction | None] = field(default_factory=dict)
    depth: dict[tuple[str, str], int] = field(default_factory=dict)
    traces: list[dict[str, Any]] = field(default_factory=list)


def origin_of(session: Session, code: str) -> Origin:
    """Return the origin a code names: one traced thing, or every lot of a supplier batch
    (also spelled supplier_batch:CODE, as a hold names its origin)."""
    if code.startswith(_SUPPLIER_BATCH):
        lots = _supplier_batch_lots(session, code[len(_SUPPLIER_BATCH):])
        if lots:
            return _supplier_batch(session, code[len(_SUPPLIER_BATCH):], lots)
    try:
        node = trace.find_start(session, code)
    except BadRequest as err:
        lots = _supplier_batch_lots(session, code) if err.code == "ambiguous_code" else []
        if not lots:
            raise
        return _supplier_batch(session, code, lots)
    if code not in (node.code, f"{node.kind}:{node.code}"):
        return _supplier_batch(session, code, [node])  # found by its supplier batch
    info: dict[str, Any] = {"kind": node.kind, "code": node.code}
    info.update(recall_rows.describe(session, node.kind, node.code))
    return Origin(info, f"{node.kind}:{node.code}", [node])


def _supplier_batch_lots(session: Session, code: str) -> list[trace.Start]:
    return [trace.Start(*row) for row in session.execute(
        select(GenealogyNode.id, GenealogyNode.kind, GenealogyNode.code)
        .join(Lot, GenealogyNode.code == Lot.number)
        .where(GenealogyNode.kind == NodeKind.LOT.value, Lot.supplier_batch == code)
        .order_by(Lot.number))]


def _supplier_batch(session: Session, code: str, lots: list[trace.Start]) -> Origin:
    info = {"kind": "supplier_batch", "code": code, "supplier_batch": code,
            "lots": [lot.code for lot in lots]}
    first = recall_rows.describe(session, NodeKind.LOT.value, lots[0].code)
    info.update({k: first[k] for k in ("item", "item_name", "supplier") if k in first})
    return Origin(info, f"supplier_batch:{code}", lots)


def reach(session: Session, origin: Origin) -> Reached:
    """Walk forward from every start of the origin and add up each node's suspect share."""
    out = Reached()
    amounts: dict[tuple[str, str], Fraction | None] = defaultdict(Fraction)
    for start in origin.starts:
        walk = trace.trace_from(session, start, "forward")
        out.traces.append(walk)
        total = walk["total"]
        size = None if total is None else Fraction(Decimal(total["quantity"]))
        same_unit = total is not None and out.unit in (None, total["unit"])
        if total is not None and same_unit:
            out.unit = total["unit"]
            out.total = (out.total or Fraction(0)) + (size or Fraction(0))
        for n in walk["nodes"]:
            key = (n["kind"], n["code"])
            out.depth[key] = min(out.depth.get(key, n["depth"]), n["depth"])
            known = amounts.get(key, Fraction(0))
            if n["share"] is None or size is None or not same_unit or known is None:
                amounts[key] = None
            else:
                amounts[key] = known + Fraction(n["share"]) * size
    for key, amount in amounts.items():
        out.shares[key] = None if amount is None or not out.total else amount / out.total
    return out


def recall(session: Session, code: str) -> dict[str, Any]:
    """Return the recall report of a code: origin, total, affected things, summary, holds."""
    if not code or len(code) > 200:
        raise NotFound(f"nothing traced has the code {code!r}", code="unknown_code",
                       value=code[:200])
    origin = origin_of(session, code)
    reached = reach(session, origin)
    affected = recall_rows.affected(session, origin, reached)
    if len(reached.shares) <= len(origin.starts):
        # Nothing came of it: the answer is an empty list; what is left of it is the origin's.
        origin.info["in_stock"] = [a["in_stock"] for a in affected if a["in_stock"]]
        affected = []
    return {
        "origin": origin.info,
        "total": None if reached.total is None else {
            "quantity": amount_text(as_decimal(reached.total)), "unit": reached.unit},
        "affected": affected,
        "summary": summary(affected),
        "holds": holds_of(session, origin.key),
    }


def summary(affected: list[dict[str, Any]]) -> dict[str, Any]:
    """Count what is affected, shipped, in stock and in process; name the customers."""
    customers = sorted({s["customer"] for a in affected for s in a["shipments"]})
    return {"affected": len(affected),
            "shipped": sum(1 for a in affected if a["shipped"] is not None),
            "in_stock": sum(1 for a in affected if a["in_stock"] is not None),
            "in_process": sum(1 for a in affected if a["kind"] == NodeKind.BATCH.value),
            "customers": customers}


def holds_of(session: Session, key: str) -> list[dict[str, Any]]:
    """Return the holds made for an origin, oldest first."""
    rows = session.scalars(select(RecallHold).where(RecallHold.origin == key)
                           .order_by(RecallHold.id))
    return [{"number": h.number, "held_at": h.held_at.isoformat(),
             "released_at": None if h.released_at is None else h.released_at.isoformat()}
            for h in rows]

