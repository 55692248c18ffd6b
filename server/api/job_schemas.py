"""Request bodies and queries of the jobs and stages API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..domain.job_requests import Policy
from ..domain.jobs import OutputType
from ..services.job_receipts import Part, ReceiptSpec, Row
from ..services.jobs import IssueLine, ItemLine, JobSpec
from .inventory_schemas import Bin, Reason
from .schemas import CLEAN, WHOLE, Amount, Body, Code, Counted, Name, Query, Text
from .schemas import Quantity as QuantityField
from .schemas import Unit as UnitField

Pieces = Annotated[int, Field(ge=0, le=10_000_000), WHOLE]
Words = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), CLEAN]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=64), CLEAN]


class StageIn(Body):
    code: Code
    name: Name
    position: Annotated[int, Field(ge=0, le=10_000), WHOLE] | None = None
    stations: Annotated[list[Code], Field(max_length=100)] = []


class StagePatch(Body):
    name: Name | None = None
    position: Annotated[int, Field(ge=0, le=10_000), WHOLE] | None = None
    archived: bool | None = None
    stations: Annotated[list[Code], Field(max_length=100)] | None = None


class ScrapItemIn(Body):
    scrap_sku: Code | None


class IssueLineIn(Body):
    lot: Annotated[str, StringConstraints(min_length=1, max_length=64), CLEAN]
    quantity: QuantityField | None = None
    pieces: Pieces | None = None
    weight: Counted | None = None
    weight_unit: UnitField | None = None


class ItemLineIn(Body):
    item: Code
    pieces: Pieces | None = None
    weight: Counted | None = None
    unit: UnitField | None = None


class JobIn(Body):
    order: Code | None = None
    order_line: Annotated[int, Field(ge=1, le=100_000), WHOLE] | None = None
    stage: Code
    issues: Annotated[list[IssueLineIn], Field(min_length=1, max_length=200)]
    shape: Words = ""
    size: Words = ""
    pieces: Pieces | None = None
    weight: Counted | None = None
    unit: UnitField | None = None
    policy: Policy = Policy.MATCH_ISSUED
    items: Annotated[list[ItemLineIn], Field(max_length=200)] = []
    issued_on: date | None = None
    deadline: date | None = None
    assignee: Username | None = None
    notes: Text = ""

    def spec(self) -> JobSpec:
        return JobSpec(
            stage=self.stage, order=self.order, order_line=self.order_line,
            issues=[IssueLine(**i.model_dump()) for i in self.issues], shape=self.shape,
            size=self.size, pieces=self.pieces, weight=self.weight, unit=self.unit,
            policy=self.policy, items=[ItemLine(**i.model_dump()) for i in self.items],
            issued_on=self.issued_on, deadline=self.deadline, assignee=self.assignee,
            notes=self.notes)


class JobDraft(JobIn):
    """A draft checked step by step: the stepper sends what it has so far."""

    stage: Code
    issues: Annotated[list[IssueLineIn], Field(min_length=1, max_length=200)]


class JobEditIn(JobIn):
    version: Annotated[int, Field(ge=0), WHOLE]
    reason: Reason = ""


class CancelIn(Body):
    reason: Reason


class CheckQuery(Query):
    step: Literal["context", "specs", "details"] = "details"


class SourcesQuery(Query):
    items: Annotated[str, StringConstraints(max_length=2000), CLEAN] = ""


class PartIn(Body):
    pieces: Pieces | None = None
    weight: Counted
    unit: UnitField
    shape: Words = ""
    size: Words = ""
    colour: Words = ""
    inventory_type: Words = ""
    item: Code | None = None
    type: Words = ""
    value: Amount | None = None


class RowIn(Body):
    output_type: OutputType
    item: Code
    type: Words = ""
    shape: Words = ""
    size: Words = ""
    pieces: Pieces | None = None
    weight: Counted
    unit: UnitField
    waste_weight: Counted | None = None
    waste_unit: UnitField | None = None
    rejection: PartIn | None = None
    scrap: PartIn | None = None


class JobReceiptIn(Body):
    received_on: date | None = None
    quality: Literal["", "pass", "fail", "conditional"] = ""
    location: Code
    bin: Bin = ""
    event_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F-]{8,36}$")] | None = None
    rows: Annotated[list[RowIn], Field(min_length=1, max_length=100)]

    def spec(self) -> ReceiptSpec:
        rows = []
        for r in self.rows:
            data = r.model_dump(exclude={"rejection", "scrap"})
            rows.append(Row(**data,
                            rejection=Part(**r.rejection.model_dump()) if r.rejection else None,
                            scrap=Part(**r.scrap.model_dump()) if r.scrap else None))
        return ReceiptSpec(location=self.location, rows=rows, received_on=self.received_on,
                           quality=self.quality, bin=self.bin, event_id=self.event_id)
