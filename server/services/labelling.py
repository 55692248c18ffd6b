"""Labels for runs and batches: what each says, rendered by the labels package."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from labels import LabelData
from labels.payload import encode

from ..domain.quantities import amount_text
from ..domain.runs import REPLACED
from ..models import Batch
from ..models.base import values_of
from ..settings import Settings
from .batches import batch_by_code, step_name
from .runs import run_by_number


def label_data(batch: Batch, settings: Settings) -> LabelData:
    """Describe one batch's label; the QR carries the URL form when a public URL is set."""
    host = urlsplit(settings.public_url).hostname if settings.public_url else None
    run = batch.run
    return LabelData(
        code=batch.code, item_sku=batch.item.sku, item_name=batch.item.name,
        quantity=amount_text(batch.quantity), unit=batch.unit, run_number=run.number,
        first_step=step_name(batch),
        due_date=run.due_date.date().isoformat() if run.due_date else None,
        payload_text=encode(batch.code, form="url", host=host) if host else None)


def run_labels(session: Session, number: str, settings: Settings) -> list[LabelData]:
    """Labels for every batch of a run that is still a unit (not split or merged away)."""
    run = run_by_number(session, number)
    batches = session.scalars(select(Batch).where(Batch.run_id == run.id,
                                                  Batch.state.not_in(values_of(REPLACED)))
                              .order_by(Batch.id))
    return [label_data(b, settings) for b in batches]


def batch_labels(session: Session, codes: list[str], settings: Settings) -> list[LabelData]:
    return [label_data(batch_by_code(session, code), settings) for code in codes]
