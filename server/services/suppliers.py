"""Suppliers: who material is received from (kept for traceability, deactivated, not deleted)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound
from ..models.suppliers import Supplier
from . import audit
from .actors import Actor


def supplier_dict(supplier: Supplier) -> dict[str, Any]:
    return {"code": supplier.code, "name": supplier.name, "contact": supplier.contact,
            "active": supplier.active}


def supplier_by_code(session: Session, code: str) -> Supplier:
    supplier = session.scalar(select(Supplier).where(Supplier.code == code))
    if supplier is None:
        raise NotFound(f"no supplier {code!r}", code="unknown_supplier", supplier=code)
    return supplier


def list_suppliers(session: Session, *, active_only: bool = False) -> list[dict[str, Any]]:
    stmt = select(Supplier).order_by(Supplier.code)
    if active_only:
        stmt = stmt.where(Supplier.active.is_(True))
    return [supplier_dict(s) for s in session.scalars(stmt)]


def create_supplier(session: Session, actor: Actor, *, code: str, name: str, contact: str = "",
                    active: bool = True) -> dict[str, Any]:
    """Add a supplier; its code is what receipts and reports name it by."""
    actor.require("planner")
    if session.scalar(select(Supplier.id).where(Supplier.code == code)):
        raise Conflict(f"supplier {code!r} exists", code="duplicate_supplier", supplier=code)
    supplier = Supplier(code=code, name=name, contact=contact, active=active)
    session.add(supplier)
    session.flush()
    audit.record(session, actor, "supplier.create", "supplier", code, name=name)
    return supplier_dict(supplier)


def update_supplier(session: Session, actor: Actor, code: str, *, name: str | None = None,
                    contact: str | None = None, active: bool | None = None) -> dict[str, Any]:
    """Change a supplier's name, contact or active flag; the code stays (receipts use it)."""
    actor.require("planner")
    supplier = supplier_by_code(session, code)
    before = supplier_dict(supplier)
    if name is not None:
        supplier.name = name
    if contact is not None:
        supplier.contact = contact
    if active is not None:
        supplier.active = active
    after = supplier_dict(supplier)
    changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changed:
        audit.record(session, actor, "supplier.update", "supplier", code, changes=changed)
    return after
