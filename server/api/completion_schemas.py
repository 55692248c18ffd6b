"""Request bodies of the completion API: completions, quality checks, an item's serial type."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from annotated_types import Interval
from pydantic import Field, StringConstraints

from ..domain.quality import InspectionResult
from ..domain.serials import CompletionOutput, SerialStatus
from .schemas import CLEAN, MAX_INT, WHOLE, Body, Code, Counted, Quantity, Query, Text

EventId = Annotated[str, StringConstraints(
    pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
Person = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), CLEAN]
Bin = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), CLEAN]
SerialType = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8), CLEAN]


class CompletionIn(Body):
    """A completion with its final inspection; the good quantity is completed - defective."""

    quantity_completed: Quantity
    quantity_defective: Counted
    inspector: Person = ""
    result: InspectionResult
    notes: Text = ""
    output: CompletionOutput
    location: Code
    bin: Bin = ""
    completed_at: datetime | None = None
    event_id: EventId | None = None
    item: Code | None = Field(default=None, description="a job's output item, when several")


class QualityCheckIn(Body):
    subject: Code
    step: Annotated[int, Interval(ge=0, le=1000), WHOLE] | None = None
    station: Code | None = None
    inspector: Person = ""
    result: InspectionResult
    defects: Annotated[int, Interval(ge=0, le=MAX_INT), WHOLE] = 0
    notes: Text = ""
    event_id: EventId | None = None


class SerialTypeIn(Body):
    serial_type: SerialType | None


class SerialQuery(Query):
    status: SerialStatus | Literal[""] = ""
    item: Annotated[str, StringConstraints(max_length=64)] = ""
    q: Annotated[str, StringConstraints(max_length=100)] = ""
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1


class CheckQuery(Query):
    """The checks of one subject code; without one, the newest checks."""

    subject: Annotated[str, StringConstraints(max_length=64)] = ""
