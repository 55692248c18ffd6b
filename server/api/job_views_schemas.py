"""Queries and answers of the jobs' read side: list, summary, stats and run history."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..domain.jobs import JobView
from .reports import ReportQuery
from .schemas import CLEAN, Out, Query

StageCode = Annotated[str, StringConstraints(max_length=64), CLEAN]
Search = Annotated[str, StringConstraints(max_length=100), CLEAN]
MAX_PAGE = 10**9  # far past any list; the offset it makes still fits a 64-bit integer


class JobFilterQuery(Query):
    """Which jobs: a view, a stage (its code) and a search over number, product, staff, order."""

    view: JobView = JobView.ALL
    stage: StageCode = ""
    q: Search = ""


class JobListQuery(JobFilterQuery):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=50, ge=1, le=500)


class JobStatsQuery(ReportQuery):
    """Stats per stage or staff member over jobs issued from..to (both days included)."""

    by: Literal["stage", "staff"] = "stage"


class StageRefOut(Out):
    code: str
    name: str


class StaffOut(Out):
    username: str
    name: str


class JobRowOut(Out):
    number: str
    stage: StageRefOut
    product: str  # the job's items' SKUs (the issued lots' items when it has none)
    product_name: str
    staff: StaffOut | None
    status: str
    issued_type: str  # the kinds of the issued items (raw_material, semi_finished, ...)
    shape: str
    size: str
    issued_weight: str
    pending_weight: str
    unit: Literal["g"]
    issued_pieces: int
    pending_pieces: int
    deadline: str | None
    issued_on: str
    order: str | None


class JobListOut(Out):
    jobs: list[JobRowOut]
    total: int
    page: int
    per_page: int
    pages: int


class ViewCountsOut(Out):
    all: int
    ongoing: int
    completed: int
    unscheduled: int
    scheduled: int


class OverviewOut(Out):
    stage: str
    name: str
    status: str
    count: int


class JobSummaryOut(Out):
    counts: ViewCountsOut
    view: str
    jobs: int
    issued_weight: str
    pending_weight: str
    scrapped_weight: str
    waste_weight: str
    unit: Literal["g"]
    loss_rate: str | None
    overview: list[OverviewOut]


class BucketsOut(Out):
    issued: str
    received: str
    rejected: str
    scrapped: str
    waste: str
    pending: str


class StatsRowOut(Out):
    key: str
    name: str
    jobs: int
    pieces: BucketsOut
    weight: BucketsOut
    unit: Literal["g"]
    basis: str | None
    yield_: str | None = Field(alias="yield")
    rejection_rate: str | None
    scrap_rate: str | None
    waste_rate: str | None
    on_time: int
    late: int
    on_time_share: str | None


class JobStatsOut(Out):
    by: Literal["stage", "staff"]
    from_: str | None = Field(alias="from")
    to: str | None
    rows: list[StatsRowOut]


class InputOut(Out):
    lot: str
    item: str
    quantity: str
    unit: str
    pieces: int | None
    weight: str | None
    weight_unit: str | None


class AmountOut(Out):
    pieces: int
    weight: str


class OutputsOut(Out):
    received: AmountOut
    rejected: AmountOut
    scrapped: AmountOut
    waste: AmountOut


class LossesOut(Out):
    weight: str  # scrapped + waste, in grams
    rate: str | None  # the loss rate: (scrapped + waste) / issued weight


class MadeOut(Out):
    lot: str | None
    bucket: str
    item: str | None
    pieces: int | None
    weight: str
    unit: str


class TimelineOut(Out):
    stage: StageRefOut
    job: str
    status: str
    position: int  # -n upstream .. 0 this job .. +n downstream
    from_: str = Field(alias="from")
    to: str | None
    unit: Literal["g"]
    issued: AmountOut
    pending: AmountOut
    inputs: list[InputOut]
    outputs: OutputsOut
    losses: LossesOut
    made: list[MadeOut]


class EventOut(Out):
    at: str
    what: str
    by: str
    detail: str


class JobHistoryOut(Out):
    job: str
    timeline: list[TimelineOut]
    events: list[EventOut]
