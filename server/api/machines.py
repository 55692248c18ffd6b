"""REST: changing machines (listing and adding them is in plant.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..services import machines
from ..services.actors import Actor
from .endpoint import endpoint
from .schemas import MachinePatch


@endpoint("/machines/<code>", "PATCH", role="admin", body=MachinePatch, tag="stations")
def patch_machine(db: Session, actor: Actor, code: str, body: MachinePatch) -> Any:
    """Rename a machine, move it to another station or none, enable or disable it."""
    return machines.update_machine(db, actor, code, **body.model_dump(exclude_unset=True))
