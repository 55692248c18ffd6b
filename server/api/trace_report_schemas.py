"""Response shapes of the traceability reports (amounts as decimal text, null if unknown)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .schemas import Out


class CostRowOut(Out):
    """One source lot: what of it went into the thing, as material and as losses, and cost."""

    lot: str
    item: str
    item_name: str
    supplier: str
    supplier_batch: str
    unit: str
    material_quantity: str | None
    waste_quantity: str | None
    unit_cost: str | None  # null: the lot has no unit cost
    material_cost: str | None
    waste_cost: str | None
    total_cost: str | None
    cost_known: bool


class CostMaterialOut(Out):
    item: str
    item_name: str
    unit: str
    material_quantity: str | None
    waste_quantity: str | None
    lots: list[str]
    material_cost: str | None  # null when any of its lots has no unit cost
    waste_cost: str | None
    total_cost: str | None
    cost_known: bool


class CostTotalOut(Out):
    material_cost: str
    waste_cost: str
    total_cost: str
    complete: bool  # false: the lots in cost_unknown are left out of the sums
    cost_unknown: list[str]


class CostOut(Out):
    report: str
    code: str
    kind: str
    columns: list[str]
    rows: list[CostRowOut]
    materials: list[CostMaterialOut]
    total: CostTotalOut


class CheckRowOut(Out):
    """One inspection of the chain: receipt, step or final."""

    at: str
    stage: str
    subject_kind: str
    subject: str
    step: str | None
    where: str
    inspector: str
    result: str
    defects: str
    notes: str


class QualityTrailOut(Out):
    report: str
    serial: str
    item: str
    item_name: str
    columns: list[str]
    rows: list[CheckRowOut]


class SerialHeadOut(Out):
    code: str
    item: str
    item_name: str
    status: str
    completed_at: str | None
    inspector: str
    result: str
    notes: str
    batch: str | None
    run: str | None
    job: str | None
    location: str | None
    bin: str


class MaterialOut(Out):
    lot: str
    item: str
    item_name: str
    supplier: str
    supplier_batch: str
    certificate: str
    quantity: str | None  # what of the lot went into the serial, losses on the way included
    unit: str
    share: str | None  # the backward trace's share, an exact fraction
    share_decimal: str | None


class StepOut(Out):
    batch: str
    position: int
    operation: str
    station: str
    operator: str
    finished_by: str
    started_at: str
    finished_at: str | None
    duration_s: str | None
    quantity_in: str | None
    good: str | None
    rejected: str | None
    scrapped: str | None
    waste: str | None
    unit: str


class GenealogyOut(Out):
    report: str
    serial: SerialHeadOut
    materials: list[MaterialOut]
    steps: list[StepOut]
    quality_checks: list[CheckRowOut]
    columns: list[str]
    rows: list[dict[str, Any]]  # the three tables, each row with its section, for the CSV


class UsageRowOut(Out):
    item: str
    item_name: str
    unit: str
    order: str | None  # "" for issues to no order; null on a material's total
    issued: str
    wasted: str | None
    efficiency: str | None


class UsageOut(Out):
    report: str
    from_: str = Field(alias="from")
    to: str
    timezone: str
    item: str | None
    columns: list[str]
    rows: list[UsageRowOut]
    totals: list[UsageRowOut]
