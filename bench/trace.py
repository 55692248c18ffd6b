"""Trace benchmark: backward, forward and recall over a plant history of 1,000,000 edges.

    python bench/trace.py [--edges 1000000] [--starts 300] [--pg] [--no-sqlite]

Makes a fresh database (SQLite file; with --pg a fresh PostgreSQL database on
FLOORLINE_BENCH_PG, default the test server, dropped afterwards), the catalogue through the
services, then the history in bulk (bench/trace_plant.py: receipts -> supplier lots -> runs
-> batches with splits and merges -> serials and finished lots -> shipments). Then times,
each call in its own session as a request would: server.services.trace.trace backward from
random serials, forward from random supplier lots, and the recall report from random
supplier batch numbers; prints a Markdown table of p50 and p95 milliseconds per backend.

The recall report is server.services.recall.recall(session, code) where that exists;
until it does, RECALL_STAND_IN below: the forward trace plus the lookups a recall needs
(each affected serial's shipment and customer or its location, each lot's stock on hand).
"""

from __future__ import annotations

import argparse
import importlib
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trace_plant  # noqa: E402
from scratch_db import postgres_database  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from server.db import make_engine  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.models import Customer, Location, Lot, SalesOrder, StockMovement  # noqa: E402
from server.models.completions import Serial  # noqa: E402
from server.models.shipping import Shipment, ShipmentLine  # noqa: E402
from server.runtime import Runtime  # noqa: E402
from server.services import catalog, locations, sales, suppliers  # noqa: E402
from server.services.actors import SYSTEM  # noqa: E402
from server.services.trace import trace  # noqa: E402
from server.settings import Settings  # noqa: E402


def recall_stand_in(session: Session, code: str) -> dict[str, Any]:
    """Trace forward, then name each affected serial's shipment or place, each lot's stock."""
    found = trace(session, code, "forward")
    serials = [n["code"] for n in found["nodes"] if n["kind"] == "serial"]
    lots = [n["code"] for n in found["nodes"] if n["kind"] == "lot" and n["depth"] > 0]
    shipped = session.execute(
        select(Serial.code, Serial.status, Location.code, Serial.bin, Shipment.number,
               Customer.code, SalesOrder.number, Shipment.shipped_at)
        .outerjoin(Location, Location.id == Serial.location_id)
        .outerjoin(ShipmentLine, ShipmentLine.serial_id == Serial.id)
        .outerjoin(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .outerjoin(Customer, Customer.id == Shipment.customer_id)
        .outerjoin(SalesOrder, SalesOrder.id == Shipment.order_id)
        .where(Serial.code.in_(serials))).all() if serials else []
    stock = session.execute(
        select(Lot.number, Lot.status, func.sum(StockMovement.quantity))
        .join(StockMovement, StockMovement.lot_id == Lot.id)
        .where(Lot.number.in_(lots)).group_by(Lot.number, Lot.status)).all() if lots else []
    return {"trace": found, "serials": shipped, "lots": stock}


def recall_report() -> Callable[[Session, str], Any]:
    """Return the real recall service where it exists, else the stand-in (the lead's hook)."""
    try:
        real = importlib.import_module("server.services.recall")
    except ImportError:
        return recall_stand_in
    return getattr(real, "recall", recall_stand_in)  # type: ignore[no-any-return]


def catalogue(rt: Runtime) -> None:
    """Items, a location, suppliers and customers, made through the services."""
    with rt.transaction() as s:
        catalog.create_operation(s, SYSTEM, code="CUT", name="Cut")
        catalog.create_item(s, SYSTEM, sku="STEEL", name="Steel strip", kind="raw_material",
                            unit="kg", tracking="lot")
        catalog.create_item(s, SYSTEM, sku="BRACKET", name="Bracket", kind="semi_finished",
                            unit="kg", routing=["CUT"])
        catalog.create_item(s, SYSTEM, sku="WIDGET", name="Widget", kind="finished",
                            unit="pcs", tracking="serial")
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="STORES", name="Stores")
        for i in range(trace_plant.SUPPLIERS):
            suppliers.create_supplier(s, SYSTEM, code=f"SUP{i + 1}", name=f"Supplier {i + 1}")
        for i in range(trace_plant.CUSTOMERS):
            sales.create_customer(s, SYSTEM, code=f"C{i + 1:02d}", name=f"Customer {i + 1}")


def seed(rt: Runtime, edges: int) -> tuple[float, int, int]:
    """Write the history; return its seconds, edges and nodes."""
    catalogue(rt)
    started = time.perf_counter()
    with rt.engine.begin() as conn:
        plant = trace_plant.plant_ids(conn)
        trace_plant.write(conn, plant, math.ceil(edges / trace_plant.EDGES_PER_RUN))
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if rt.engine.dialect.name == "postgresql"
                          else "ANALYZE"))
        made = conn.execute(text("SELECT (SELECT COUNT(*) FROM genealogy_edges),"
                                 " (SELECT COUNT(*) FROM genealogy_nodes)")).one()
    return time.perf_counter() - started, made[0], made[1]


def timed(rt: Runtime, call: Callable[[Session, str], Any], codes: list[str]
          ) -> tuple[float, float, float]:
    """Return p50 and p95 milliseconds of call over codes, and the median nodes reached."""
    with rt.sessions() as s:
        call(s, codes[0])  # warm: statements compile and cache once
    times, sizes = [], []
    for code in codes:
        with rt.sessions() as s:
            start = time.perf_counter()
            got = call(s, code)
            times.append((time.perf_counter() - start) * 1000)
        found = got.get("trace", got) if isinstance(got, dict) else {}
        sizes.append(len(found.get("nodes", found.get("affected", []))))
    times.sort()
    return (statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))],
            statistics.median(sizes))


def starts(rt: Runtime, n: int, rng: random.Random) -> dict[str, list[str]]:
    """Return random serial codes, supplier lot numbers and supplier batch numbers."""
    with rt.sessions() as s:
        serials = list(s.scalars(select(Serial.code)))
        lots = list(s.execute(select(Lot.number, Lot.supplier_batch)
                              .where(Lot.supplier_batch != "")))
    picked = rng.sample(lots, min(n, len(lots)))
    return {"serials": rng.sample(serials, min(n, len(serials))),
            "lots": [number for number, _ in picked], "batches": [b for _, b in picked]}


@contextmanager
def database(pg: bool, work: Path, keep: str = "") -> Iterator[str]:
    if not pg:
        yield f"sqlite:///{Path(keep).resolve() if keep else work / 'bench-trace.sqlite'}"
        return
    with postgres_database("floorline_bench_trace") as url:
        yield url


def run(args: argparse.Namespace, pg: bool) -> list[str]:
    backend = "PostgreSQL" if pg else "SQLite"
    keep = "" if pg else args.keep
    reuse = bool(keep) and Path(keep).exists()
    with tempfile.TemporaryDirectory() as tmp, database(pg, Path(tmp), keep) as url:
        settings = Settings(instance_path=str(Path(tmp) / "instance"), database_url=url,
                            secret_key="bench-" + "x" * 40).resolved()
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        rt = Runtime.start(settings)
        try:
            seconds, edges, nodes = seed(rt, args.edges) if not reuse else (0.0, 0, 0)
            print(f"{backend}: {edges:,} edges, {nodes:,} nodes written in {seconds:.1f} s",
                  file=sys.stderr)
            picked = starts(rt, args.starts, random.Random(13))
            recall = recall_report()
            out = []
            for label, call, codes in (
                    ("trace back from a serial", lambda s, c: trace(s, c, "back"),
                     picked["serials"]),
                    ("trace forward from a supplier lot", lambda s, c: trace(s, c, "forward"),
                     picked["lots"]),
                    (f"recall report from a supplier batch ({recall.__name__})", recall,
                     picked["batches"])):
                p50, p95, size = timed(rt, call, codes)
                out.append(f"| {backend} | {label} | {len(codes)} | {size:.0f} | {p50:.1f} "
                           f"| {p95:.1f} |")
            return [f"| {backend} | generate {edges:,} edges, {nodes:,} nodes | 1 | | "
                    f"{seconds * 1000:.0f} | |", *out]
        finally:
            rt.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--starts", type=int, default=300)
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    parser.add_argument("--keep", default="", metavar="FILE",
                        help="SQLite: write the history to FILE and keep it; reuse it if there")
    args = parser.parse_args()
    lines = [] if args.no_sqlite else run(args, pg=False)
    if args.pg:
        lines += run(args, pg=True)
    print(f"\nTrace at {args.edges:,} genealogy edges, {args.starts} random starts each\n")
    print("| backend | what | starts | nodes reached (median) | p50 ms | p95 ms |\n"
          "|---|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
