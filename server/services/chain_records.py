"""Deleting a record of a traceability chain: always refused, with the way to archive it.

The refusal itself is the ORM rule in server.models.chain_rules; this service finds the
record (an unknown one is a 404, as anywhere) and asks the session to delete it, so the
API's DELETE answers exactly what any other code path that tried would meet.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.audit_chain import ChainRecordError
from ..errors import NotFound
from ..models import (
    AuditRecord,
    Batch,
    Completion,
    GenealogyEdge,
    GenealogyNode,
    Job,
    Lot,
    ProductionRun,
    QualityCheck,
    Serial,
    Shipment,
    SupplierReceipt,
)
from ..services.actors import Actor

# Collection (as in the URL) -> model and the column a key names.
COLLECTIONS: dict[str, tuple[type[Any], Any]] = {
    "lots": (Lot, Lot.number), "batches": (Batch, Batch.code),
    "runs": (ProductionRun, ProductionRun.number), "jobs": (Job, Job.number),
    "serials": (Serial, Serial.code), "completions": (Completion, Completion.id),
    "quality-checks": (QualityCheck, QualityCheck.id),
    "receipts": (SupplierReceipt, SupplierReceipt.number),
    "shipments": (Shipment, Shipment.number), "audit": (AuditRecord, AuditRecord.id),
    "genealogy-nodes": (GenealogyNode, GenealogyNode.id),
    "genealogy-edges": (GenealogyEdge, GenealogyEdge.id),
}
# How each is taken out of use instead.
ARCHIVING = {
    "lots": "set its status to archived once it is empty (POST /lots/{number}/status)",
    "serials": "set its status to archived",
    "batches": "scrap it or put it on hold", "runs": "cancel it", "jobs": "cancel it",
    "shipments": "cancel it while it is open",
}


def delete(session: Session, actor: Actor, collection: str, key: str) -> NoReturn:
    """Try to delete a chain record: 404 if there is none, else the chain_record refusal."""
    model, column = COLLECTIONS[collection]
    row = session.scalar(select(model).where(column == _key(column, key)))
    if row is None:
        raise NotFound(f"no {collection} record {key!r}", code="unknown_code", value=key)
    session.delete(row)
    try:
        session.flush()
    except ChainRecordError as err:
        if collection in ARCHIVING:
            err.detail["instead"] = ARCHIVING[collection]
        raise
    raise AssertionError(f"{model.__name__} has no delete rule")  # chain_rules lists it


def _key(column: Any, key: str) -> Any:
    if column.type.python_type is int:
        if not key.isdigit() or len(key) > 18:
            return -1  # no row has it: a clear 404, not a type error
        return int(key)
    return key
