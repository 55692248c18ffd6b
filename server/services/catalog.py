"""Operations and items with their routings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.quantities import dimension_of
from ..errors import BadRequest, Conflict, NotFound
from ..models import ITEM_KINDS, TRACKING, Item, Operation, RoutingStep
from . import audit
from .actors import Actor


def create_operation(session: Session, actor: Actor, *, code: str, name: str,
                     is_quality_check: bool = False) -> dict[str, Any]:
    """Add an operation to the shared catalogue."""
    actor.require("planner")
    if session.scalar(select(Operation.id).where(Operation.code == code)):
        raise Conflict(f"operation {code!r} exists", code="duplicate_operation")
    op = Operation(code=code, name=name, is_quality_check=is_quality_check)
    session.add(op)
    session.flush()
    audit.record(session, actor, "operation.create", "operation", code, name=name)
    return operation_dict(op)


def operation_dict(op: Operation) -> dict[str, Any]:
    return {"code": op.code, "name": op.name, "is_quality_check": op.is_quality_check}


def list_operations(session: Session) -> list[dict[str, Any]]:
    return [operation_dict(o) for o in session.scalars(select(Operation).order_by(Operation.code))]


def operation_by_code(session: Session, code: str) -> Operation:
    op = session.scalar(select(Operation).where(Operation.code == code))
    if op is None:
        raise NotFound(f"no operation {code!r}", code="unknown_operation", operation=code)
    return op


def create_item(session: Session, actor: Actor, *, sku: str, name: str, kind: str, unit: str,
                tracking: str = "none", standard_cost: Decimal = Decimal(0),
                routing: list[str] | None = None) -> dict[str, Any]:
    """Create an item with its routing (operation codes in order)."""
    actor.require("planner")
    if kind not in ITEM_KINDS:
        raise BadRequest(f"unknown item kind {kind!r}", code="invalid_kind", kinds=list(ITEM_KINDS))
    if tracking not in TRACKING:
        raise BadRequest(f"unknown tracking {tracking!r}", code="invalid_tracking")
    dimension_of(unit)
    if standard_cost < 0:
        raise BadRequest("standard cost cannot be negative", code="invalid_cost")
    if session.scalar(select(Item.id).where(Item.sku == sku)):
        raise Conflict(f"an item with SKU {sku!r} exists", code="duplicate_sku", sku=sku)
    ops = [operation_by_code(session, code) for code in routing or []]
    item = Item(sku=sku, name=name, kind=kind, unit=unit, tracking=tracking,
                standard_cost=standard_cost)
    item.steps = [RoutingStep(position=i, operation=op) for i, op in enumerate(ops)]
    session.add(item)
    session.flush()
    audit.record(session, actor, "item.create", "item", sku, name=name, routing=routing or [])
    return item_dict(item)


def item_dict(item: Item) -> dict[str, Any]:
    return {
        "sku": item.sku, "name": item.name, "kind": item.kind, "unit": item.unit,
        "tracking": item.tracking, "standard_cost": str(item.standard_cost),
        "archived": item.archived,
        "routing": [{"position": s.position, "operation": s.operation.code,
                     "name": s.operation.name} for s in item.steps],
    }


def item_by_sku(session: Session, sku: str) -> Item:
    item = session.scalar(select(Item).where(Item.sku == sku))
    if item is None:
        raise NotFound(f"no item with SKU {sku!r}", code="unknown_item", sku=sku)
    return item


def list_items(session: Session, *, q: str = "", kind: str = "") -> list[dict[str, Any]]:
    stmt = select(Item).order_by(Item.sku)
    if q:
        stmt = stmt.where(Item.sku.icontains(q, autoescape=True) |
                          Item.name.icontains(q, autoescape=True))
    if kind:
        stmt = stmt.where(Item.kind == kind)
    return [item_dict(i) for i in session.scalars(stmt)]
