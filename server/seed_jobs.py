"""The demo's production jobs: a jewellery line beside the steel one, so /jobs has data.

Five stages served by the demo's stations, gold and silver grain and diamond melee with scrap
SKUs, and a dozen jobs in every view (open, in progress with partial receipts in grams and
carats, completed, unscheduled, late), all made through the services as a planner and the
floor would: issuing writes the ledger and the graph, receiving makes lots and keeps the
balance. Some jobs take the lots an earlier stage made, so a job's history has a chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from .domain.jobs import OutputType
from .domain.quantities import Quantity
from .services import catalog, jobs, sales, stages, stock
from .services.actors import SYSTEM
from .services.job_receipts import Part, ReceiptSpec, Row, receive

# (code, name, stations serving it): every demo station serves one stage.
STAGES = [("RECV", "Receiving", ["pack-1"]), ("FAB", "Fabrication", ["cut-1"]),
          ("ASM", "Assembly", ["weld-1"]), ("FIN", "Finishing", ["paint-1"]),
          ("QI", "Quality inspection", ["qc-1"])]
# (sku, name, kind, unit, scrap sku)
ITEMS = [
    ("AU750-SCRAP", "Gold scrap 18k", "scrap", "g", None),
    ("AG925-SCRAP", "Silver scrap 925", "scrap", "g", None),
    ("AU750-GRAIN", "Gold 18k grain", "raw_material", "g", "AU750-SCRAP"),
    ("AG925-GRAIN", "Silver 925 grain", "raw_material", "g", "AG925-SCRAP"),
    ("DIA-MELEE", "Diamond melee 1.3 mm", "raw_material", "ct", None),
    ("RING-BLANK", "Ring blank 18k", "semi_finished", "g", "AU750-SCRAP"),
    ("RING-SOL", "Solitaire ring 18k", "finished", "pcs", "AU750-SCRAP"),
    ("PENDANT-925", "Pendant silver 925", "finished", "pcs", "AG925-SCRAP"),
]
LOTS = [("AU750-GRAIN", "400", "R3-01"), ("AU750-GRAIN", "250", "R3-02"),
        ("AG925-GRAIN", "1200", "R3-05"), ("DIA-MELEE", "40", "SAFE-1")]


@dataclass
class Demo:
    """What the seed made: lot numbers by name, job numbers in the order made."""

    lots: dict[str, str] = field(default_factory=dict)
    jobs: list[str] = field(default_factory=list)


def output_row(item: str, pieces: int, grams: str, unit: str = "g", *, waste: str | None = None,
         waste_unit: str = "g", rejected: tuple[int, str, str] | None = None,
         scrap: tuple[str, str] | None = None) -> Row:
    finished = item in {"RING-SOL", "PENDANT-925"}
    return Row(output_type=OutputType.FINISHED if finished else OutputType.MATERIALS,
               item=item, pieces=pieces, weight=Decimal(grams), unit=unit,
               waste_weight=Decimal(waste) if waste else None,
               waste_unit=waste_unit if waste else None,
               rejection=Part(pieces=rejected[0], weight=Decimal(rejected[1]),
                              unit=rejected[2]) if rejected else None,
               scrap=Part(weight=Decimal(scrap[0]), unit=scrap[1]) if scrap else None)


def make_job(session: Session, demo: Demo, *, stage: str, issues: Sequence[jobs.IssueLine],
         days_ago: int, deadline_in: int | None = None, assignee: str | None = None,
         shape: str = "", size: str = "", order: str | None = None, notes: str = "",
         receipts: Sequence[Sequence[Row]] = ()) -> list[dict[str, Any]]:
    """Make one job issued days_ago (deadline deadline_in days from today), then receive."""
    today = date.today()
    made = jobs.create(session, SYSTEM, jobs.JobSpec(
        stage=stage, issues=issues, shape=shape, size=size, order=order,
        issued_on=today - timedelta(days=days_ago),
        deadline=today + timedelta(days=deadline_in) if deadline_in is not None else None,
        assignee=assignee, notes=notes))
    demo.jobs.append(made["number"])
    answers = []
    for n, rows in enumerate(receipts):
        answers.append(receive(session, SYSTEM, made["number"], ReceiptSpec(
            location="STORES", rows=rows, quality="pass", bin="R4-01",
            received_on=today - timedelta(days=max(days_ago - n - 1, 0)))))
    return answers


def made_lot(answer: dict[str, Any], bucket: str = "received") -> str:
    return next(str(r["lot"]) for r in answer["receipt"]["rows"] if r["bucket"] == bucket)


def seed_jobs(session: Session) -> Demo:
    """Add the jewellery stages, items and lots, and the demo's jobs (needs the demo seed's
    stations, operators, customer ACME and location STORES)."""
    demo = Demo()
    for code, name, serving in STAGES:
        stages.create_stage(session, SYSTEM, code=code, name=name, stations=serving)
    for sku, name, kind, unit, _ in ITEMS:
        catalog.create_item(session, SYSTEM, sku=sku, name=name, kind=kind, unit=unit,
                            tracking="lot")
    for sku, *_, scrap in ITEMS:
        if scrap:
            jobs.set_scrap_item(session, SYSTEM, sku, scrap)
    for n, (sku, amount, bin_) in enumerate(LOTS):
        lot = stock.receive_lot(session, item_sku=sku, quantity=Quantity.of(amount, _unit(sku)),
                                location_code="STORES", bin=bin_, actor=SYSTEM,
                                supplier_batch=f"DEMO-{n + 1}")
        demo.lots[f"{sku}#{n}"] = lot.number
    au1, au2 = demo.lots["AU750-GRAIN#0"], demo.lots["AU750-GRAIN#1"]
    ag, dia = demo.lots["AG925-GRAIN#2"], demo.lots["DIA-MELEE#3"]
    order = sales.create_order(session, SYSTEM, customer="ACME",
                               lines=[("RING-SOL", Decimal(20), "pcs")])["number"]
    issue = jobs.IssueLine

    # Receiving: the grain is sorted and weighed in; done in one receipt, a little lost.
    make_job(session, demo, stage="RECV", issues=[issue(au1, Decimal(60))], days_ago=9,
         deadline_in=-7, assignee="eve", notes="Incoming check of grain lot",
         receipts=[[output_row("AU750-GRAIN", 0, "59.8", waste="0.2")]])
    # Fabrication: blanks cast from gold. Completed over two receipts with scrap and waste.
    fab = make_job(session, demo, stage="FAB", issues=[issue(au1, Decimal(120), pieces=24)],
               days_ago=8, deadline_in=-3, assignee="ana", shape="round", size="54",
               order=order, receipts=[
                   [output_row("RING-BLANK", 12, "58", waste="1.5", rejected=(1, "4.5", "g"))],
                   [output_row("RING-BLANK", 10, "49", waste="0.5", scrap=("6", "g"),
                         rejected=(1, "0.5", "g"))]])
    blanks = made_lot(fab[0])
    # Fabrication in progress: part received, in grams and carats.
    make_job(session, demo, stage="FAB", issues=[issue(au2, Decimal(100), pieces=20)], days_ago=3,
         deadline_in=4, assignee="ana", shape="round", size="56", receipts=[
             [output_row("RING-BLANK", 8, "39", waste="25", waste_unit="ct",
                   scrap=("10", "ct"))]])
    # Fabrication open, scheduled, and open, unscheduled (no deadline, no assignee).
    make_job(session, demo, stage="FAB", issues=[issue(au2, Decimal(80), pieces=16)], days_ago=1,
         deadline_in=6, assignee="lee", shape="oval", size="52")
    make_job(session, demo, stage="FAB", issues=[issue(au2, Decimal(40), pieces=8)], days_ago=0,
         shape="round", notes="Waiting for a setter")
    # Assembly: blanks set with diamond melee (grams and carats on one job), in progress.
    asm = make_job(session, demo, stage="ASM",
               issues=[issue(blanks, Decimal(40), pieces=8), issue(dia, Decimal(4))],
               days_ago=5, deadline_in=1, assignee="lee", shape="solitaire", size="54",
               order=order, receipts=[
                   [output_row("RING-SOL", 5, "26", rejected=(1, "20", "ct"),
                         waste="2", waste_unit="ct")]])
    rings = made_lot(asm[0])
    # Assembly open but unscheduled: a deadline and no one assigned.
    make_job(session, demo, stage="ASM", issues=[issue(blanks, Decimal(18), pieces=4)],
         days_ago=1, deadline_in=9, shape="solitaire", size="54", order=order)
    # Finishing: silver pendants completed; another run of them in progress, late.
    make_job(session, demo, stage="FIN", issues=[issue(ag, Decimal(300), pieces=60)], days_ago=7,
         deadline_in=-2, assignee="kim", shape="heart", receipts=[
             [output_row("PENDANT-925", 56, "280", scrap=("12", "g"), waste="4",
                   rejected=(4, "4", "g"))]])
    make_job(session, demo, stage="FIN", issues=[issue(ag, Decimal(250), pieces=50)], days_ago=6,
         deadline_in=-1, assignee="kim", shape="heart", receipts=[
             [output_row("PENDANT-925", 20, "95", waste="3")],
             [output_row("PENDANT-925", 10, "48", scrap=("2", "g"))]])
    make_job(session, demo, stage="FIN", issues=[issue(ag, Decimal(150), pieces=30)], days_ago=2,
         deadline_in=5, assignee="kim", shape="star")
    # Quality inspection: the set rings checked, some passed; one quick lot fully passed.
    make_job(session, demo, stage="QI", issues=[issue(rings, Decimal(3), weight=Decimal("15.6"),
                                                  weight_unit="g")],
         days_ago=2, deadline_in=2, assignee="raj", receipts=[[output_row("RING-SOL", 2, "10.4")]])
    make_job(session, demo, stage="QI", issues=[issue(rings, Decimal(2), weight=Decimal("10.4"),
                                                  weight_unit="g")],
         days_ago=1, deadline_in=3, assignee="raj")
    return demo


def _unit(sku: str) -> str:
    return next(unit for s, _, _, unit, _ in ITEMS if s == sku)
