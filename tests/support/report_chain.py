"""A traced plant history for the report tests, with numbers a person can check by hand.

Supplier ACME sends STEEL 20 kg at 3.00/kg (batch ACME-B1) and FLUX 100 g with no unit
cost; PAINTCO sends COAT 1000 g at 0.02/g (PC-7). Run 1 (for a sales order) is two FRAME
batches of 4 pcs with 10 kg STEEL, 400 g COAT and 80 g FLUX issued to it; batch 1 is split
2 + 2, its second half merged with batch 2 into M (6 pcs), which scraps 1 pcs at WELD.
Batch 1's first half completes as serials S1, S2; M as S3..S7. Run 2 (no order) gets 5 kg
STEEL and loses nothing.

By hand, per serial of 1/8 of run 1: S1 holds 1.25 kg STEEL (3.75), 50 g COAT (1.00) and
10 g FLUX (cost unknown). S3 holds the same as material, plus M's scrap shared by its five
serials: 0.25 kg STEEL (0.75), 10 g COAT (0.20), 2 g FLUX.

Completions, serials and quality checks are written as model rows with their genealogy
edges: the completion services are another part's (the lead switches this at merge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.domain.genealogy import NodeKind, Relation
from server.domain.lots import LotStatus
from server.domain.quantities import Quantity
from server.models import (
    Batch,
    Completion,
    IncomingInspection,
    Lot,
    ProductionRun,
    QualityCheck,
    RoutingStep,
    SalesOrder,
    Serial,
    Station,
    StepExecution,
)
from server.services import batches, genealogy, locations, receiving, runs, sales, stock
from server.services.actors import SYSTEM
from server.services.receiving import LineIn
from server.services.stock import Target
from server.services.suppliers import create_supplier

DAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Chain:
    lots: dict[str, str] = field(default_factory=dict)  # STEEL/COAT/FLUX -> lot number
    receipts: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    order: str = ""
    batches: dict[str, str] = field(default_factory=dict)  # b1 b2 b1a b1b m -> code
    serials: list[str] = field(default_factory=list)  # S1..S7


def build_chain(app: Flask) -> Chain:
    """Write the history above into the app's database and return its codes."""
    chain = Chain()
    with app.extensions["floorline"].transaction() as s:
        _receive(s, chain)
        _produce(s, chain)
        _steps(s, chain)
        _complete(s, chain, chain.batches["b1a"], 2, DAY + timedelta(hours=6))
        _complete(s, chain, chain.batches["m"], 5, DAY + timedelta(hours=7))
    return chain


def _receive(s: Session, chain: Chain) -> None:
    from server.services import catalog

    locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main store")
    for code in ("RAW", "FG"):
        locations.create_location(s, SYSTEM, warehouse="MAIN", code=code, name=code)
    for sku, unit in (("STEEL", "kg"), ("COAT", "g"), ("FLUX", "g")):
        catalog.create_item(s, SYSTEM, sku=sku, name=sku.title(), kind="raw_material",
                            unit=unit, tracking="lot")
    create_supplier(s, SYSTEM, code="ACME", name="Acme Steel")
    create_supplier(s, SYSTEM, code="PAINTCO", name="Paint Co")
    first = receiving.create_receipt(s, SYSTEM, supplier="ACME", receipt_date=DAY.date(), lines=[
        LineIn(location="RAW", item="STEEL", quantity=Decimal(20), unit="kg",
               supplier_lot="ACME-B1", unit_cost=Decimal(3), certificate="CERT-881"),
        LineIn(location="RAW", item="FLUX", quantity=Decimal(100), unit="g",
               supplier_lot="ACME-F9")])
    second = receiving.create_receipt(s, SYSTEM, supplier="PAINTCO", receipt_date=DAY.date(),
                                      lines=[LineIn(location="RAW", item="COAT",
                                                    quantity=Decimal(1000), unit="g",
                                                    supplier_lot="PC-7",
                                                    unit_cost=Decimal("0.02"))])
    receiving.record_inspection(s, SYSTEM, first["number"], result="pass", inspector="ines",
                                notes="mill certificate checked")
    receiving.record_inspection(s, SYSTEM, second["number"], result="conditional",
                                inspector="ines", defects="2 dented tins")
    chain.receipts = [first["number"], second["number"]]
    for inspection in s.scalars(select(IncomingInspection)):
        inspection.at = DAY + timedelta(minutes=30)  # inspected on arrival
    for receipt in (first, second):
        for line in receipt["lines"]:
            chain.lots[line["item"]] = line["lot"]


def _produce(s: Session, chain: Chain) -> None:
    sales.create_customer(s, SYSTEM, code="BIKES", name="Bikes Ltd")
    order = sales.create_order(s, SYSTEM, customer="BIKES", lines=[("FRAME", Decimal(7), "pcs")])
    chain.order = order["number"]
    first = runs.create_run(s, SYSTEM, [runs.BatchSpec("FRAME", Decimal(4), "pcs", 2)])
    second = runs.create_run(s, SYSTEM, [runs.BatchSpec("FRAME", Decimal(4), "pcs", 1)])
    chain.runs = [first["number"], second["number"]]
    run = s.scalars(select(ProductionRun).where(ProductionRun.number == first["number"])).one()
    run.sales_order = s.scalars(select(SalesOrder).where(
        SalesOrder.number == order["number"])).one()
    at = DAY + timedelta(hours=1)
    for sku, amount, unit in (("STEEL", 10, "kg"), ("COAT", 400, "g"), ("FLUX", 80, "g")):
        stock.issue(s, chain.lots[sku], Target("run", first["number"]),
                    Quantity.of(amount, unit), actor=SYSTEM, at=at)
    stock.issue(s, chain.lots["STEEL"], Target("run", second["number"]), Quantity.of(5, "kg"),
                actor=SYSTEM, at=at + timedelta(days=1))
    b1, b2 = (b["code"] for b in first["batches"])
    halves = batches.split_batch(s, SYSTEM, b1, quantities=[Decimal(2), Decimal(2)])
    b1a, b1b = (c["code"] for c in halves["children"])
    merged = batches.merge_batches(s, SYSTEM, [b1b, b2])["batch"]["code"]
    chain.batches = {"b1": b1, "b2": b2, "b1a": b1a, "b1b": b1b, "m": merged}


def _steps(s: Session, chain: Chain) -> None:
    """Steps of B2 (CUT) before the merge, of M (CUT, WELD with 1 scrapped, PAINT) and of
    B1's first half (all three), with a step check at B2's CUT and at M's WELD."""
    start = DAY + timedelta(hours=2)
    _step(s, chain.batches["b2"], 0, start - timedelta(minutes=30), 4, "ana")
    _check(s, chain.batches["b2"], 0, "quinn", "pass", 0, start - timedelta(minutes=5))
    m = chain.batches["m"]
    _step(s, m, 0, start, 6, "ana")
    _step(s, m, 1, start + timedelta(hours=1), 6, "bo", scrapped=1)
    _check(s, m, 1, "quinn", "conditional", 1, start + timedelta(hours=1, minutes=20),
           notes="one weld porous, scrapped")
    _step(s, m, 2, start + timedelta(hours=2), 5, "cy")
    for position in (0, 1, 2):
        _step(s, chain.batches["b1a"], position, start + timedelta(hours=position), 2, "ana")


def _step(s: Session, code: str, position: int, at: datetime, qty: int, operator: str, *,
          scrapped: int = 0) -> None:
    batch = s.scalars(select(Batch).where(Batch.code == code)).one()
    step = s.scalars(select(RoutingStep).where(RoutingStep.routing_id == batch.routing_id,
                                               RoutingStep.position == position)).one()
    station = s.scalars(select(Station).where(Station.operation_id == step.operation_id)).first()
    s.add(StepExecution(batch_id=batch.id, step_id=step.id, position=position,
                        station_id=station.id if station else None, operator=operator,
                        finished_by=operator, started_at=at,
                        finished_at=at + timedelta(minutes=20), quantity_in=Decimal(qty),
                        quantity_good=Decimal(qty - scrapped),
                        quantity_scrapped=Decimal(scrapped)))
    batch.quantity = Decimal(qty - scrapped)
    batch.step_index = position + 1
    s.flush()


def _check(s: Session, code: str, position: int, inspector: str, result: str, defects: int,
           at: datetime, notes: str = "") -> None:
    batch = s.scalars(select(Batch).where(Batch.code == code)).one()
    execution = s.scalars(select(StepExecution).where(
        StepExecution.batch_id == batch.id, StepExecution.position == position)).one()
    s.add(QualityCheck(stage="step", subject_kind="batch", subject_code=code, batch_id=batch.id,
                       step_execution_id=execution.id, station_id=execution.station_id,
                       inspector=inspector, result=result, defects=defects, notes=notes, at=at))


def _complete(s: Session, chain: Chain, code: str, count: int, at: datetime) -> None:
    """Complete a batch as count serials with a passed final inspection."""
    batch = s.scalars(select(Batch).where(Batch.code == code)).one()
    completion = Completion(run_id=batch.run_id, batch_id=batch.id, item_id=batch.item_id,
                            completed_at=at, quantity_completed=Decimal(count),
                            quantity_defective=Decimal(0), unit="pcs", inspector="quinn",
                            result="pass", notes="final check ok", output="serials",
                            created_by="system")
    s.add(completion)
    s.flush()
    source = genealogy.node(s, NodeKind.BATCH, batch.code, batch.id)
    fg = locations.location_by_code(s, "FG")
    for _ in range(count):
        code_ = f"FRM-2026-0302-{len(chain.serials) + 1:04d}"
        serial = Serial(code=code_, item_id=batch.item_id, completion_id=completion.id,
                        status="in_stock", location_id=fg.id, bin="F-1")
        s.add(serial)
        s.flush()
        genealogy.link(s, source, genealogy.node(s, NodeKind.SERIAL, code_, serial.id),
                       Relation.PRODUCE, Quantity(Decimal(1), "pcs"),
                       record=f"completion:{completion.id}", at=at)
        chain.serials.append(code_)
    s.add(QualityCheck(stage="final", subject_kind="batch", subject_code=batch.code,
                       batch_id=batch.id, completion_id=completion.id, inspector="quinn",
                       result="pass", defects=0, notes="final check ok", at=at))
    s.flush()


def add_job(app: Flask, chain: Chain) -> tuple[str, list[str]]:
    """Issue 200 g COAT to a job for the order on 4 March that wastes 50 g, receives two
    FRAME pieces into a lot and completes them as two serials taken out of it, with no final
    inspection row (the completion's own record stands).

    By hand: each serial is 3/8 of the job as material (75 g, 1.50) and 1/8 as its share
    of the waste (25 g, 0.50)."""
    from server.models import Job, Stage

    at = DAY + timedelta(days=2)
    with app.extensions["floorline"].transaction() as s:
        stage = Stage(code="FAB", name="Fabrication")
        s.add(stage)
        order = s.scalars(select(SalesOrder).where(SalesOrder.number == chain.order)).one()
        job = Job(number="J-2026-00001", stage=stage, issued_on=at.date(), order_id=order.id,
                  created_by="planner")
        s.add(job)
        s.flush()
        stock.issue(s, chain.lots["COAT"], Target("job", job.number), Quantity.of(200, "g"),
                    actor=SYSTEM, at=at)
        job.issued_weight, job.received_weight, job.waste_weight = \
            Decimal(200), Decimal(150), Decimal(50)
        completion = Completion(job_id=job.id, item_id=_frame_id(s), completed_at=at,
                                quantity_completed=Decimal(2), quantity_defective=Decimal(0),
                                unit="pcs", inspector="quinn", result="conditional",
                                notes="colour slightly off", output="serials",
                                created_by="system")
        s.add(completion)
        s.flush()
        # As a job's receipt and completion write it: the job's output is a received lot,
        # and the completion takes its pieces out of it into serials (lot -consume-> serial).
        received = _received_lot(s, job)
        stock.take_out(s, received, Quantity(Decimal(2), "pcs"),
                       record=f"completion:{completion.id}", reason="completed into serials",
                       actor=SYSTEM)
        source = genealogy.node(s, NodeKind.LOT, received.number, received.id)
        codes = []
        for n in (1, 2):
            code = f"FRM-2026-0304-{n:04d}"
            serial = Serial(code=code, item_id=completion.item_id, completion_id=completion.id)
            s.add(serial)
            s.flush()
            genealogy.link(s, source, genealogy.node(s, NodeKind.SERIAL, code, serial.id),
                           Relation.CONSUME, Quantity(Decimal(1), "pcs"),
                           record=f"completion:{completion.id}", at=at)
            codes.append(code)
    return job.number, codes


def _received_lot(s: Session, job: Any) -> Lot:
    """Receive the job's 2 FRAME pieces into a lot in FG (job -produce-> lot)."""
    from server.models import Item, JobReceipt, JobReceiptRow

    frame = s.scalars(select(Item).where(Item.sku == "FRAME")).one()
    fg = locations.location_by_code(s, "FG")
    lot = stock.produce_lot(s, item=frame, quantity=Quantity(Decimal(2), "pcs"), location=fg,
                            bin="", status=LotStatus.AVAILABLE, unit_cost=None, actor=SYSTEM,
                            source_node=genealogy.node(s, NodeKind.JOB, job.number, job.id),
                            record=f"job:{job.number}")
    s.add(JobReceipt(job=job, seq=1, received_on=job.issued_on, location=fg,
                     created_by="system", rows=[JobReceiptRow(
                         bucket="received", item=frame, pieces=2, weight=Decimal(150),
                         unit="g", lot=lot)]))
    s.flush()
    return lot


def _frame_id(s: Session) -> int:
    from server.models import Item

    return s.scalars(select(Item.id).where(Item.sku == "FRAME")).one()
