"""Cost roll-up of a serial, lot, batch, run or job: material and the losses charged to it.

Material cost is, over the source lots, the receipt unit cost times the quantity of the lot
that went into the thing through issues, splits and merges; the cost of waste and scrap is
the lot's material lost on the way (scrap and waste on batch steps and jobs) charged to the
thing's share of the good output, at the same unit cost. A lot without a unit cost is
listed as "cost unknown" and its cost is null, never 0; the total then says it is partial.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.quantities import PLACES
from ..models import Item, Lot, Supplier
from .receipt_views import with_supplier
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


@dataclass(frozen=True, slots=True)
class _LotCost:
    lot: Lot
    item: Item
    supplier: str
    material: Decimal | None
    waste: Decimal | None

    def row(self) -> dict[str, Any]:
        cost = self.lot.unit_cost
        material, waste = _times(self.material, cost), _times(self.waste, cost)
        known = material is not None and waste is not None
        return {"lot": self.lot.number, "item": self.item.sku, "item_name": self.item.name,
                "supplier": self.supplier, "supplier_batch": self.lot.supplier_batch,
                "unit": self.lot.unit, "material_quantity": self.material,
                "waste_quantity": self.waste, "unit_cost": cost, "material_cost": material,
                "waste_cost": waste,
                "total_cost": material + waste if material is not None and waste is not None
                else None, "cost_known": known}


def _lot_rows(session: Session, found: Ancestry) -> list[dict[str, Any]]:
    nodes = {n.code: n for n in found.sources()}
    if not nodes:
        return []
    stmt = (with_supplier(select(Lot, Item, Supplier.code).join(Item, Item.id == Lot.item_id))
            .where(Lot.number.in_(nodes)).order_by(Item.sku, Lot.number))
    rows = []
    for lot, item, supplier in session.execute(stmt):
        amounts = found.consumed(nodes[lot.number], lot.unit)
        material, waste = amounts if amounts is not None else (None, None)
        rows.append(_LotCost(lot, item, supplier or "", material, waste).row())
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
