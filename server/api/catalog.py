"""REST: operations and items."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import catalog
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .schemas import ItemIn, OperationIn


@endpoint("/operations", tag="catalog", response=LIST)
def list_operations(db: Session, actor: Actor) -> Any:
    """List the operation catalogue."""
    return catalog.list_operations(db)


@endpoint("/operations", "POST", role="planner", body=OperationIn, status=201, tag="catalog")
def create_operation(db: Session, actor: Actor, body: OperationIn) -> Any:
    """Add an operation."""
    return catalog.create_operation(db, actor, **body.model_dump())


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
