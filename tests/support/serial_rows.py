"""Finished serials made as model rows, until the completion service makes them (issue 13).

A one-batch run of the item is finished on paper: a completion row, one serial per piece
with its graph node and the edge batch -produce-> serial. The lead switches this to
services.completions at merge.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.domain import numbering
from server.domain.genealogy import NodeKind, Relation
from server.domain.quantities import Quantity
from server.models import Batch, Completion, Location, Serial, utcnow
from server.services import genealogy, runs, sequences
from server.services.actors import SYSTEM


def make_serials(s: Session, item: str, count: int, *, location: str, bin: str = "",
                 status: str = "in_stock", kind: str = "FG", day: date | None = None
                 ) -> list[str]:
    """Finish count pieces of item as serials in location; return their codes."""
    run = runs.create_run(s, SYSTEM, [runs.BatchSpec(item, Decimal(count), "pcs", 1)])
    batch = s.scalar(select(Batch).where(Batch.code == run["batches"][0]["code"]))
    assert batch is not None
    place = s.scalar(select(Location).where(Location.code == location))
    assert place is not None
    day = day or utcnow().date()
    completion = Completion(run_id=batch.run_id, batch_id=batch.id, item_id=batch.item_id,
                            completed_at=utcnow(), quantity_completed=Decimal(count),
                            quantity_defective=Decimal(0), unit="pcs", inspector="qa",
                            result="pass", output="serials", created_by="system")
    s.add(completion)
    s.flush()
    parent = genealogy.node(s, NodeKind.BATCH, batch.code, batch.id)
    codes = []
    for seq in sequences.take(s, f"serial:{kind}:{day.isoformat()}", count):
        serial = Serial(code=numbering.serial_number(kind, day, seq), item_id=batch.item_id,
                        completion_id=completion.id, status=status, location_id=place.id,
                        bin=bin)
        s.add(serial)
        s.flush()
        child = genealogy.node(s, NodeKind.SERIAL, serial.code, serial.id)
        genealogy.link(s, parent, child, Relation.PRODUCE, Quantity(Decimal(1), "pcs"),
                       record=f"completion:{completion.id}")
        codes.append(serial.code)
    return codes
