"""REST: customers and sales orders."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy.orm import Session

from ..services import sales
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .schemas import CustomerIn, CustomerPatch, OrderIn, OrderStatusIn


@endpoint("/customers", tag="sales", response=LIST)
def list_customers(db: Session, actor: Actor) -> Any:
    """List customers."""
    return sales.list_customers(db)


@endpoint("/customers", "POST", role="planner", body=CustomerIn, status=201, tag="sales")
def create_customer(db: Session, actor: Actor, body: CustomerIn) -> Any:
    """Add a customer."""
    return sales.create_customer(db, actor, **body.model_dump())


@endpoint("/customers/<code>", "PATCH", role="planner", body=CustomerPatch, tag="sales")
def patch_customer(db: Session, actor: Actor, code: str, body: CustomerPatch) -> Any:
    """Rename a customer (its code stays)."""
    return sales.update_customer(db, actor, code, name=body.name)


@endpoint("/orders", tag="sales", response=LIST)
def list_orders(db: Session, actor: Actor) -> Any:
    """List sales orders, newest first, optionally by status."""
    return sales.list_orders(db, status=request.args.get("status", ""))


@endpoint("/orders", "POST", role="planner", body=OrderIn, status=201, tag="sales")
def create_order(db: Session, actor: Actor, body: OrderIn) -> Any:
    """Create a sales order in Estimate status."""
    lines = [(ln.item, ln.quantity, ln.unit) for ln in body.lines]
    return sales.create_order(db, actor, customer=body.customer, lines=lines,
                              due_date=body.due_date, notes=body.notes)


@endpoint("/orders/<number>", tag="sales")
def get_order(db: Session, actor: Actor, number: str) -> Any:
    """Return one sales order with its lines and linked runs."""
    return sales.order_dict(db, sales.order_by_number(db, number))


@endpoint("/orders/<number>/status", "POST", role="planner", body=OrderStatusIn, tag="sales")
def set_order_status(db: Session, actor: Actor, number: str, body: OrderStatusIn) -> Any:
    """Move an order to its next status."""
    return sales.set_order_status(db, actor, number, body.status, body.reason)
