"""REST: operations and items."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import catalog, routings
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .schemas import ItemIn, ItemPatch, OperationIn, OperationPatch, RoutingIn


@endpoint("/operations", tag="catalog", response=LIST)
def list_operations(db: Session, actor: Actor) -> Any:
    """List the operation catalogue."""
    return catalog.list_operations(db)


@endpoint("/operations", "POST", role="planner", body=OperationIn, status=201, tag="catalog")
def create_operation(db: Session, actor: Actor, body: OperationIn) -> Any:
    """Add an operation."""
    return catalog.create_operation(db, actor, **body.model_dump())


@endpoint("/operations/<code>", tag="catalog")
def get_operation(db: Session, actor: Actor, code: str) -> Any:
    """Return one operation."""
    return catalog.operation_dict(catalog.operation_by_code(db, code))


@endpoint("/operations/<code>", "PATCH", role="planner", body=OperationPatch, tag="catalog")
def patch_operation(db: Session, actor: Actor, code: str, body: OperationPatch) -> Any:
    """Rename an operation, set its quality-check flag, or archive it if unused."""
    return catalog.update_operation(db, actor, code, **body.model_dump(exclude_unset=True))


@endpoint("/items", tag="catalog", response=LIST)
def list_items(db: Session, actor: Actor) -> Any:
    """List items with their routings."""
    from flask import request
    return catalog.list_items(db, q=request.args.get("q", ""), kind=request.args.get("kind", ""))


@endpoint("/items", "POST", role="planner", body=ItemIn, status=201, tag="catalog")
def create_item(db: Session, actor: Actor, body: ItemIn) -> Any:
    """Create an item with its routing (operation codes in order)."""
    return catalog.create_item(db, actor, **body.model_dump())


@endpoint("/items/<sku>", tag="catalog")
def get_item(db: Session, actor: Actor, sku: str) -> Any:
    """Return one item."""
    return catalog.item_dict(catalog.item_by_sku(db, sku))


@endpoint("/items/<sku>", "PATCH", role="planner", body=ItemPatch, tag="catalog")
def patch_item(db: Session, actor: Actor, sku: str, body: ItemPatch) -> Any:
    """Change an item's fields, or archive it (an archived item takes no new runs)."""
    return catalog.update_item(db, actor, sku, **body.model_dump(exclude_unset=True))


@endpoint("/items/<sku>/routing", tag="catalog")
def get_routing(db: Session, actor: Actor, sku: str) -> Any:
    """Return an item with its routing versions and their active batches."""
    return routings.routing_detail(db, catalog.item_by_sku(db, sku))


@endpoint("/items/<sku>/routing", "PUT", role="planner", body=RoutingIn, tag="catalog")
def put_routing(db: Session, actor: Actor, sku: str, body: RoutingIn) -> Any:
    """Save an item's routing: a change becomes the current version; batches keep theirs."""
    return routings.save_routing(db, actor, sku, body.operations, note=body.note)
