"""REST: DELETE of any record of a traceability chain answers 409 chain_record, writing nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from ..services import chain_records
from ..services.actors import Actor
from .endpoint import endpoint
from .inventory import LOT

# Collection -> its record's URL (the same parameter names as its GET).
RULES = {"lots": LOT, "batches": "/batches/<code>", "runs": "/runs/<number>",
         "jobs": "/jobs/<number>", "serials": "/serials/<code>",
         "completions": "/completions/<int:completion_id>",
         "quality-checks": "/quality-checks/<id>",
         "receipts": "/receipts/<number>", "shipments": "/shipments/<number>",
         "audit": "/audit/<id>"}


def _refusal(collection: str) -> Callable[..., Any]:
    def view(db: Session, actor: Actor, **key: str) -> Any:
        chain_records.delete(db, actor, collection, str(next(iter(key.values()))))

    view.__name__ = f"delete_{collection.replace('-', '_')}"
    view.__doc__ = (f"Refuse to delete one of the {collection}: chain records are archived, "
                    "never deleted (409 chain_record).")
    return view


for _collection, _rule in RULES.items():
    endpoint(_rule, "DELETE", role="operator", tag=_collection.split("-")[0])(
        _refusal(_collection))
