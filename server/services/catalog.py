"""Operations and items; an item's routing versions live in routings.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..domain.quantities import dimension_of, unit_named
from ..domain.serials import check_serial_type, default_serial_type
from ..errors import BadRequest, Conflict, NotFound
from ..models import ITEM_KINDS, TRACKING, Item, Operation, Routing, RoutingStep, Station
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


def update_operation(session: Session, actor: Actor, code: str, *, name: str | None = None,
                     is_quality_check: bool | None = None, archived: bool | None = None
                     ) -> dict[str, Any]:
    """Rename an operation, set its quality-check flag, or archive it if nothing uses it."""
    actor.require("planner")
    op = operation_by_code(session, code)
    before = operation_dict(op)
    if archived and not op.archived and operation_in_use(session, op):
        raise Conflict(f"operation {code!r} is used by a routing or a station",
                       code="operation_in_use", operation=code)
    if name is not None:
        op.name = name
    if is_quality_check is not None:
        op.is_quality_check = is_quality_check
    if archived is not None:
        op.archived = archived
    audit.record(session, actor, "operation.update", "operation", code, before=before,
                 after=operation_dict(op))
    return operation_dict(op)


def operation_in_use(session: Session, op: Operation) -> bool:
    """Say whether a current routing or a station uses the operation."""
    # Old routing versions may name it: they stay as they were, archived or not.
    current = select(Routing.id).where(Routing.item_id == Item.id).order_by(
        Routing.version.desc()).limit(1).correlate(Item).scalar_subquery()
    in_routing = select(RoutingStep.id).join(Routing).join(Item).where(
        RoutingStep.operation_id == op.id, RoutingStep.routing_id == current,
        Item.archived.is_(False))
    at_station = select(Station.id).where(Station.operation_id == op.id)
    return bool(session.scalar(select(exists(in_routing) | exists(at_station))))


def operation_dict(op: Operation) -> dict[str, Any]:
    return {"code": op.code, "name": op.name, "is_quality_check": op.is_quality_check,
            "archived": op.archived}


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
    """Create an item with version 1 of its routing (operation codes in order)."""
    from .routings import new_routing

    actor.require("planner")
    _check_item(kind, unit, tracking, standard_cost)
    unit = unit_named(unit)  # "oz t" is stored as ozt
    if session.scalar(select(Item.id).where(Item.sku == sku)):
        raise Conflict(f"an item with SKU {sku!r} exists", code="duplicate_sku", sku=sku)
    item = Item(sku=sku, name=name, kind=kind, unit=unit, tracking=tracking,
                standard_cost=standard_cost)
    item.routings = [new_routing(session, actor, 1, routing or [])]
    session.add(item)
    session.flush()
    audit.record(session, actor, "item.create", "item", sku, name=name, routing=routing or [])
    return item_dict(item)


def update_item(session: Session, actor: Actor, sku: str, *, name: str | None = None,
                kind: str | None = None, unit: str | None = None, tracking: str | None = None,
                standard_cost: Decimal | None = None, archived: bool | None = None,
                serial_type: str | None = None) -> dict[str, Any]:
    """Change an item's fields or archive it (an archived item takes no new runs);
    serial_type "" goes back to the TYPE made from the SKU."""
    actor.require("planner")
    item = item_by_sku(session, sku)
    before = item_dict(item)
    _check_item(kind or item.kind, unit or item.unit, tracking or item.tracking,
                item.standard_cost if standard_cost is None else standard_cost)
    unit = None if unit is None else unit_named(unit)
    if unit is not None and unit != item.unit and item_has_batches(session, item):
        raise Conflict("the unit of an item with batches cannot change",
                       code="unit_in_use", sku=sku)
    for field, value in (("name", name), ("kind", kind), ("unit", unit),
                         ("tracking", tracking), ("standard_cost", standard_cost),
                         ("archived", archived)):
        if value is not None:
            setattr(item, field, value)
    if serial_type is not None:
        item.serial_type = check_serial_type(serial_type) if serial_type.strip() else None
    after = item_dict(item)
    changed = {k: {"from": before[k], "to": after[k]} for k in after
               if before[k] != after[k] and k != "routing"}
    audit.record(session, actor, "item.update", "item", sku, changes=changed)
    return after


def item_has_batches(session: Session, item: Item) -> bool:
    from ..models import Batch
    return bool(session.scalar(select(exists().where(Batch.item_id == item.id))))


def _check_item(kind: str, unit: str, tracking: str, standard_cost: Decimal) -> None:
    if kind not in ITEM_KINDS:
        raise BadRequest(f"unknown item kind {kind!r}", code="invalid_kind", kinds=list(ITEM_KINDS))
    if tracking not in TRACKING:
        raise BadRequest(f"unknown tracking {tracking!r}", code="invalid_tracking")
    dimension_of(unit)
    if standard_cost < 0:
        raise BadRequest("standard cost cannot be negative", code="invalid_cost")


def item_dict(item: Item) -> dict[str, Any]:
    return {
        "sku": item.sku, "name": item.name, "kind": item.kind, "unit": item.unit,
        "tracking": item.tracking, "standard_cost": str(item.standard_cost),
        "archived": item.archived,
        "scrap_sku": item.scrap_item.sku if item.scrap_item else None,
        "serial_type": item.serial_type or default_serial_type(item.sku),
        "serial_type_set": item.serial_type,
        "routing_version": item.current_routing.version if item.routings else None,
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
