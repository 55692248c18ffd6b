"""Records of a traceability chain are never deleted, and audit entries never change.

A lot, batch, run, job, serial, completion, quality check, supplier receipt, shipment or
genealogy node/edge that a trace may reach is archived instead (lots and serials have the
status archived); the ORM refuses the delete here, and for the graph and the audit trail the
database refuses it too (triggers, migration audit_chain). TRUNCATE, which test and demo
resets use, fires no row trigger and stays possible.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..domain.audit_chain import ChainRecordError
from .completions import Completion, QualityCheck, Serial
from .genealogy import GenealogyEdge, GenealogyNode
from .inventory import Lot
from .jobs import Job, JobReceipt
from .production import Batch, ProductionRun
from .records import AuditRecord
from .shipping import Shipment
from .suppliers import ReceiptLine, SupplierReceipt

CHAIN_RECORDS: dict[type[Any], str] = {
    Lot: "lot", Batch: "batch", ProductionRun: "run", Job: "job", JobReceipt: "job receipt",
    Serial: "serial", Completion: "completion", QualityCheck: "quality check",
    SupplierReceipt: "receipt", ReceiptLine: "receipt line", Shipment: "shipment",
    GenealogyNode: "genealogy node", GenealogyEdge: "genealogy edge",
    AuditRecord: "audit entry",
}
ARCHIVE_INSTEAD = "archive it instead"


def _refusal(target: Any) -> ChainRecordError:
    what = CHAIN_RECORDS[type(target)]
    key = next((getattr(target, a) for a in ("code", "number", "id") if hasattr(target, a)),
               None)
    article = "an" if what[0] in "aeiou" else "a"
    return ChainRecordError(f"{article} {what} is part of a traceability chain and is never "
                            f"deleted: {ARCHIVE_INSTEAD}", record=what, key=str(key))


def _refuse_delete(mapper: Any, connection: Any, target: Any) -> None:
    raise _refusal(target)


@event.listens_for(Session, "before_flush")
def _refuse_deleted(session: Session, flush: Any, instances: Any) -> None:
    # Before any SQL: a parent's delete would first null its children's keys (a run's batches).
    for target in session.deleted:
        if type(target) in CHAIN_RECORDS:
            raise _refusal(target)


def _refuse_update(mapper: Any, connection: Any, target: AuditRecord) -> None:
    raise ChainRecordError("audit entries are append-only: record a new entry instead",
                           record="audit entry", key=str(target.id))


for _model in CHAIN_RECORDS:
    event.listen(_model, "before_delete", _refuse_delete)
event.listen(AuditRecord, "before_update", _refuse_update)
