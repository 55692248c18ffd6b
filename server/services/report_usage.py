"""Material usage per material over a range: issued, wasted and efficiency, per sales order.

Issued is the stock issue movements of the range. Wasted is the part of that issued
material lost afterwards as scrap and waste (on the batch steps and jobs it went into,
shared in proportion as the cost roll-up shares it), whenever the loss was recorded.
Efficiency is (issued - wasted) / issued. The order of an issue is the sales order of the
run (or of the batch's run, or the job) it went to; none is an empty order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind
from ..domain.lots import MovementKind
from ..domain.quantities import PLACES
from ..domain.reports import rate
from ..errors import NotFound
from ..models import (
    Batch,
    GenealogyNode,
    Item,
    Job,
    Lot,
    ProductionRun,
    SalesOrder,
    StockMovement,
)
from .catalog import item_by_sku
from .report_chain import has_control, lost_after, text_of
from .reports import Window, report_of

ZERO = Decimal(0)
COLUMNS = ["item", "item_name", "unit", "order", "issued", "wasted", "efficiency"]
TARGETS = {"run": NodeKind.RUN, "batch": NodeKind.BATCH, "job": NodeKind.JOB}


@dataclass
class _Sum:
    issued: Decimal = ZERO
    wasted: Decimal | None = ZERO

    def add(self, issued: Decimal, wasted: Decimal | None) -> None:
        self.issued += issued
        self.wasted = None if wasted is None or self.wasted is None else self.wasted + wasted

    def row(self, sku: str, name: str, unit: str, order: str | None) -> dict[str, Any]:
        used = None if self.wasted is None else self.issued - self.wasted
        return {"item": sku, "item_name": name, "unit": unit, "order": order,
                "issued": text_of(self.issued), "wasted": text_of(self.wasted),
                "efficiency": text_of(None if used is None else rate(used, self.issued))}


def material_usage(session: Session, win: Window, item: str | None = None) -> dict[str, Any]:
    """Return issued, wasted and efficiency per material and order, and per material."""
    stmt = (select(StockMovement.quantity, StockMovement.record, Item.sku, Item.name, Lot.unit)
            .join(Lot, Lot.id == StockMovement.lot_id).join(Item, Item.id == Lot.item_id)
            .where(StockMovement.kind == MovementKind.ISSUE.value,
                   StockMovement.at >= win.start, StockMovement.at < win.end))
    if item:
        if has_control(item):
            raise NotFound(f"no item with SKU {item!r}", code="unknown_item", sku=item)
        stmt = stmt.where(Item.id == item_by_sku(session, item).id)
    issues = session.execute(stmt).all()
    targets = _targets(session, {r.record for r in issues})
    lost = lost_after(session, sorted({n for n, _ in targets.values() if n is not None}))
    per_order: dict[tuple[str, str, str, str], _Sum] = defaultdict(_Sum)
    per_item: dict[tuple[str, str, str], _Sum] = defaultdict(_Sum)
    for qty, record, sku, name, unit in issues:
        node, order = targets.get(record, (None, ""))
        share = lost.get(node) if node is not None else Fraction(0)
        issued = -qty
        wasted = None if share is None else _part(issued, share)
        per_order[(sku, name, unit, order)].add(issued, wasted)
        per_item[(sku, name, unit)].add(issued, wasted)
    rows = [s.row(sku, name, unit, order) for (sku, name, unit, order), s
            in sorted(per_order.items())]
    result: dict[str, Any] = dict(report_of("material-usage", win, COLUMNS, rows))
    result["item"] = item
    result["totals"] = [s.row(sku, name, unit, None) for (sku, name, unit), s
                        in sorted(per_item.items())]
    return result


def _part(amount: Decimal, share: Fraction) -> Decimal:
    exact = Fraction(amount) * share
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(PLACES)


def _targets(session: Session, records: set[str]) -> dict[str, tuple[int | None, str]]:
    """Return, for each issue's record (run:PR-..., batch:..., job:...), its graph node and
    the number of its sales order ("" for none), in a few queries whatever their number."""
    wanted: dict[str, set[str]] = {kind: set() for kind in TARGETS}
    for record in records:
        kind, _, code = record.partition(":")
        if kind in wanted:
            wanted[kind].add(code)
    nodes = {(kind, code): node for node, kind, code in session.execute(
        select(GenealogyNode.id, GenealogyNode.kind, GenealogyNode.code).where(
            GenealogyNode.code.in_(set().union(*wanted.values())),
            GenealogyNode.kind.in_([k.value for k in TARGETS.values()])))}
    orders = _orders(session, wanted)
    return {f"{kind}:{code}": (nodes.get((TARGETS[kind].value, code)), orders.get((kind, code),
                                                                               ""))
            for kind, codes in wanted.items() for code in codes}


def _orders(session: Session, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Return the sales order number of each run, batch and job that has one."""
    found: dict[tuple[str, str], str] = {}
    queries = {
        "run": select(ProductionRun.number, SalesOrder.number)
        .join(SalesOrder, ProductionRun.sales_order_id == SalesOrder.id)
        .where(ProductionRun.number.in_(wanted["run"])),
        "batch": select(Batch.code, SalesOrder.number)
        .join(ProductionRun, Batch.run_id == ProductionRun.id)
        .join(SalesOrder, ProductionRun.sales_order_id == SalesOrder.id)
        .where(Batch.code.in_(wanted["batch"])),
        "job": select(Job.number, SalesOrder.number)
        .join(SalesOrder, Job.order_id == SalesOrder.id).where(Job.number.in_(wanted["job"])),
    }
    for kind, stmt in queries.items():
        if wanted[kind]:
            found.update({(kind, code): order for code, order in session.execute(stmt)})
    return found
