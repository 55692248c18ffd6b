"""Cost roll-up of a serial, lot, batch, run or job: material and the losses charged to it.

Material cost is, over the source lots, the receipt unit cost times the quantity of the lot
that went into the thing through issues, splits and merges; the cost of waste and scrap is
the lot's material lost on the way (scrap and waste on batch steps and jobs) charged to the
thing's share of the good output, at the same unit cost. A lot without a unit cost is
listed as "cost unknown" and its cost is null, never 0; the total then says it is partial.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.quantities import PLACES
from ..models import Item, Lot, ReceiptLine, Supplier, SupplierReceipt
from .report_chain import Ancestry, ancestry, text_of

ZERO = Decimal(0)
COLUMNS = ["lot", "item", "item_name", "supplier", "supplier_batch", "unit",
           "material_quantity", "waste_quantity", "unit_cost", "material_cost", "waste_cost",
           "total_cost", "cost_known"]


def cost_rollup(session: Session, code: str) -> dict[str, Any]:
    """Return the cost roll-up of what a code names: one row per source lot, per material
    and in total (404 unknown_code)."""
    found = ancestry(session, code)
    rows = _lot_rows(session, found)
    return {"report": "cost", "code": found.start.code, "kind": found.start.kind,
            "columns": COLUMNS, "rows": [_text_row(r) for r in rows],
            "materials": _materials(rows), "total": _total(rows)}


def _lot_rows(session: Session, found: Ancestry) -> list[dict[str, Any]]:
    numbers = [n.code for n in found.sources()]
    if not numbers:
        return []
    stmt = (select(Lot, Item, Supplier.code)
            .join(Item, Item.id == Lot.item_id)
            .outerjoin(ReceiptLine, ReceiptLine.lot_id == Lot.id)
            .outerjoin(SupplierReceipt, SupplierReceipt.id == ReceiptLine.receipt_id)
            .outerjoin(Supplier, Supplier.id == SupplierReceipt.supplier_id)
            .where(Lot.number.in_(numbers)).order_by(Item.sku, Lot.number))
    nodes = {n.code: n for n in found.sources()}
    rows = []
    for lot, item, supplier in session.execute(stmt):
        amounts = found.consumed(nodes[lot.number], lot.unit)
        material, waste = amounts if amounts is not None else (None, None)
        cost = lot.unit_cost
        rows.append({
            "lot": lot.number, "item": item.sku, "item_name": item.name,
            "supplier": supplier or "", "supplier_batch": lot.supplier_batch, "unit": lot.unit,
            "material_quantity": material, "waste_quantity": waste, "unit_cost": cost,
            "material_cost": _times(material, cost), "waste_cost": _times(waste, cost),
            "cost_known": cost is not None and material is not None})
    for row in rows:
        known = row["cost_known"]
        row["total_cost"] = row["material_cost"] + row["waste_cost"] if known else None
    return rows


def _times(quantity: Decimal | None, cost: Decimal | None) -> Decimal | None:
    if quantity is None or cost is None:
        return None
    return (quantity * cost).quantize(PLACES)


def _text_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: text_of(v) if isinstance(v, Decimal) else v for k, v in row.items()}


def _materials(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the rows summed per item (cost null where any of its lots has none)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["item"], row["item_name"], row["unit"])].append(row)
    result = []
    for (sku, name, unit), lots in sorted(groups.items()):
        summed = _sums(lots)
        result.append({"item": sku, "item_name": name, "unit": unit,
                       "material_quantity": _sum_text(lots, "material_quantity"),
                       "waste_quantity": _sum_text(lots, "waste_quantity"),
                       "lots": [r["lot"] for r in lots], **summed})
    return result


def _sum_text(rows: list[dict[str, Any]], key: str) -> str | None:
    values = [r[key] for r in rows]
    return None if any(v is None for v in values) else text_of(sum(values, ZERO))


def _sums(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return material, waste and total cost of rows; null unless every row's is known."""
    known = all(r["cost_known"] for r in rows)
    return {key: text_of(sum((r[key] for r in rows), ZERO)) if known else None
            for key in ("material_cost", "waste_cost", "total_cost")} | {"cost_known": known}


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the known costs summed, and the lots whose cost is unknown (complete or not)."""
    known = [r for r in rows if r["cost_known"]]
    return {"material_cost": text_of(sum((r["material_cost"] for r in known), ZERO)),
            "waste_cost": text_of(sum((r["waste_cost"] for r in known), ZERO)),
            "total_cost": text_of(sum((r["total_cost"] for r in known), ZERO)),
            "complete": len(known) == len(rows),
            "cost_unknown": [r["lot"] for r in rows if not r["cost_known"]]}
