"""The demo's earlier weeks of jobs and its open backlog, so every view of /jobs has a dozen.

seed_jobs makes the jewellery line and a dozen jobs that tell its story (a chain of stages,
receipts in grams and carats); this adds what a shop has besides: jobs completed over the
past weeks (each settled by receipts with rejection, scrap and waste, some in carats), open
work that is scheduled (a staff deadline and an assignee) and open work that is not. All
through the services, from two more grain lots, so every balance holds as the floor made it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from .domain.quantities import Quantity
from .seed_jobs import Demo, make_job, output_row
from .services import jobs, stock
from .services.actors import SYSTEM
from .services.job_receipts import Row

CT = 5  # carats per gram
TENTH = Decimal("0.1")
# More grain for the backlog, apart from the lots the story's jobs use.
LOTS = [("AU750-GRAIN", "1500", "R3-03"), ("AG925-GRAIN", "2500", "R3-07")]
# The metal's grain lot and what each stage makes of it.
MAKES = {("FAB", "AU750"): "RING-BLANK", ("FIN", "AG925"): "PENDANT-925",
         ("RECV", "AU750"): "AU750-GRAIN", ("RECV", "AG925"): "AG925-GRAIN",
         ("FAB", "AG925"): "PENDANT-925"}
# Completed: (stage, metal, grams, pieces, days ago, deadline in days, assignee, shape,
# unit of the last receipt, receipts).
COMPLETED = [
    ("FAB", "AU750", "80", 16, 30, -24, "ana", "round", "g", 2),
    ("FAB", "AU750", "65", 13, 26, -20, "ana", "oval", "ct", 2),
    ("FAB", "AU750", "50", 10, 21, -18, "lee", "round", "g", 1),
    ("FIN", "AG925", "200", 40, 28, -22, "eve", "heart", "g", 2),
    ("FIN", "AG925", "120", 24, 19, -17, "raj", "star", "ct", 1),
    ("FIN", "AG925", "150", 30, 15, -9, "eve", "heart", "g", 2),
    ("RECV", "AU750", "200", 0, 25, -23, "eve", "", "g", 1),
    ("RECV", "AG925", "300", 0, 17, -16, "eve", "", "ct", 1),
    ("FAB", "AG925", "90", 18, 12, -11, "lee", "drop", "g", 2),  # finished a day late
]
# Ongoing: (stage, metal, grams, pieces, days ago, deadline in days or None, assignee or
# None, shape, grams received so far or None). Scheduled ones have both; the rest lack one.
ONGOING = [
    ("FAB", "AU750", "45", 9, 4, 5, "ana", "round", "20"),
    ("FAB", "AU750", "30", 6, 2, 8, "lee", "oval", None),
    ("FIN", "AG925", "110", 22, 3, 4, "raj", "heart", "50"),
    ("FIN", "AG925", "90", 18, 1, 10, "eve", "star", None),
    ("RECV", "AG925", "250", 0, 0, 2, "eve", "", None),
    ("FAB", "AU750", "35", 7, 5, None, "ana", "round", "15"),
    ("FAB", "AU750", "40", 8, 3, None, None, "oval", None),
    ("FAB", "AU750", "25", 5, 1, 12, None, "round", None),
    ("FIN", "AG925", "80", 16, 6, None, "raj", "heart", "30"),
    ("FIN", "AG925", "60", 12, 2, 14, None, "star", None),
    ("FIN", "AG925", "70", 14, 0, None, None, "drop", None),
    ("RECV", "AU750", "120", 0, 2, None, "eve", "", "60"),
    ("RECV", "AG925", "180", 0, 1, 3, None, "", None),
    ("FAB", "AG925", "55", 11, 4, None, "lee", "drop", "25"),
    ("FAB", "AG925", "45", 9, 0, 20, None, "drop", None),
]


def seed_backlog(session: Session, demo: Demo) -> None:
    """Add the weeks of completed jobs and the open backlog to the demo's jewellery line."""
    grain: dict[str, str] = {}
    for n, (sku, amount, bin_) in enumerate(LOTS):
        lot = stock.receive_lot(session, item_sku=sku, quantity=Quantity.of(amount, "g"),
                                location_code="STORES", bin=bin_, actor=SYSTEM,
                                supplier_batch=f"DEMO-BACKLOG-{n + 1}")
        grain[sku.split("-")[0]] = demo.lots[f"{sku}#backlog"] = lot.number
    for stage, metal, grams, pieces, days, due, who, shape, unit, split in COMPLETED:
        item = MAKES[stage, metal]
        make_job(session, demo, stage=stage, issues=[_issue(grain[metal], grams, pieces)],
                 days_ago=days, deadline_in=due, assignee=who, shape=shape,
                 receipts=_settling(item, Decimal(grams), pieces, unit, split))
    for stage, metal, grams, pieces, days, deadline, staff, shape, part in ONGOING:
        item = MAKES[stage, metal]
        receipts = [[output_row(item, pieces // 2, part, waste="0.5")]] if part else []
        make_job(session, demo, stage=stage, issues=[_issue(grain[metal], grams, pieces)],
                 days_ago=days, deadline_in=deadline, assignee=staff, shape=shape,
                 receipts=receipts)


def _issue(lot: str, grams: str, pieces: int) -> jobs.IssueLine:
    return jobs.IssueLine(lot, Decimal(grams), pieces=pieces or None)


def _settling(item: str, grams: Decimal, pieces: int, unit: str, split: int
              ) -> list[list[Row]]:
    """Return receipts that settle a job of grams and pieces: 4 % rejected (one piece), 5 %
    scrap, 1 % waste, the rest good; in two receipts when split, the last one in unit."""
    rejected, scrap, waste = (grams * Decimal(p) / 100 for p in (4, 5, 1))
    good = grams - rejected - scrap - waste
    bad_pieces = 1 if pieces else 0
    if split == 1:
        return [[_in(unit, item, pieces - bad_pieces, good, rejected, scrap, waste, bad_pieces)]]
    first = (good / 2).quantize(TENTH)
    return [[output_row(item, (pieces - bad_pieces) // 2, f"{first}", waste=f"{waste}")],
            [_in(unit, item, pieces - bad_pieces - (pieces - bad_pieces) // 2, good - first,
                 rejected, scrap, Decimal(0), bad_pieces)]]


def _in(unit: str, item: str, pieces: int, good: Decimal, rejected: Decimal, scrap: Decimal,
        waste: Decimal, bad_pieces: int) -> Row:
    """Return one output row with its rejection and scrap, every amount written in unit."""
    k = CT if unit == "ct" else 1
    return output_row(item, pieces, f"{good * k}", unit, waste=f"{waste * k}" if waste else None,
                      waste_unit=unit, rejected=(bad_pieces, f"{rejected * k}", unit),
                      scrap=(f"{scrap * k}", unit))
