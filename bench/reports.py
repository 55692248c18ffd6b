"""Traceability report benchmark: cost roll-up and genealogy of a serial, cost of its lot.

    python bench/reports.py [--runs 200] [--rounds 20] [--pg]

Seeds a fresh database: one supplier lot (3.00/kg) issued 10 kg to each of --runs runs,
each run producing 5 batches of 4 pcs and each batch 4 serials (the graph rows written in
bulk: 26 edges a run, 5,200 at the default), then times the reports through the services
in a new session each round and prints a Markdown table of median and p95 milliseconds.
The lot's cost walks everything below it; a serial's only its ancestors and their edges.
--pg runs on a fresh database on FLOORLINE_BENCH_PG (default the test server), dropped after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scratch_db import postgres_database  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from server.app import create_app  # noqa: E402
from server.db import make_engine  # noqa: E402
from server.domain.quantities import Quantity  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.models import GenealogyEdge, GenealogyNode  # noqa: E402
from server.services import catalog, locations, stock  # noqa: E402
from server.services.actors import SYSTEM  # noqa: E402
from server.services.report_cost import cost_rollup  # noqa: E402
from server.settings import Settings  # noqa: E402

BATCHES, SERIALS = 5, 4
AT = datetime(2026, 3, 2, 8, tzinfo=UTC)


@contextmanager
def database(pg: bool) -> Iterator[str]:
    """Yield the URL of a fresh, migrated database (SQLite file, or a PostgreSQL one)."""
    if not pg:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite"
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            yield url
        return
    with postgres_database("floorline_bench_reports") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def seed(rt: Any, runs: int) -> str:
    """Receive the lot through the services, then write the graph below it in bulk."""
    with rt.transaction() as s:
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="RAW", name="Raw")
        catalog.create_item(s, SYSTEM, sku="STEEL", name="Steel", kind="raw_material",
                            unit="kg")
        lot = stock.receive_lot(s, item_sku="STEEL", quantity=Quantity.of(runs * 10, "kg"),
                                location_code="RAW", unit_cost=Decimal(3), actor=SYSTEM)
        top = s.scalar(select(GenealogyNode.id).where(GenealogyNode.code == lot.number))
        assert top is not None
        nodes: list[dict[str, Any]] = []
        edges: list[dict[str, Any]] = []

        def add(kind: str, code: str, parent: tuple[int, str], relation: str,
                qty: Quantity) -> tuple[int, str]:
            nid = 1_000_000 + len(nodes)
            nodes.append({"id": nid, "kind": kind, "code": code, "created_at": AT})
            edges.append({"parent_id": parent[0], "parent_kind": parent[1], "child_id": nid,
                          "child_kind": kind, "relation": relation, "quantity": qty.amount,
                          "unit": qty.unit, "record": "bench", "created_at": AT})
            return nid, kind

        for r in range(runs):
            run = add("run", f"PR-B-{r}", (top, "lot"), "issue", Quantity(Decimal(10), "kg"))
            for b in range(BATCHES):
                batch = add("batch", f"B-B-{r}-{b}", run, "produce",
                            Quantity(Decimal(SERIALS), "pcs"))
                for k in range(SERIALS):
                    add("serial", f"S-B-{r}-{b}-{k}", batch, "produce", Quantity(Decimal(1), "pcs"))
        s.execute(insert(GenealogyNode), nodes)
        s.execute(insert(GenealogyEdge), edges)
        return lot.number


def timed(rt: Any, rounds: int, call: Callable[[Any], object]) -> tuple[float, float]:
    """Return the median and p95 milliseconds of call(session), a new session each round."""
    times = []
    for _ in range(rounds):
        with rt.sessions() as s:
            start = time.perf_counter()
            call(s)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    if args.runs < 8 or args.rounds < 1:
        parser.error("--runs must be at least 8 (the serial timed is one of run 7's) and "
                     "--rounds at least 1")
    with database(args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(instance_path=tmp, database_url=url, secret_key="bench"))
        rt = app.extensions["floorline"]
        lot = seed(rt, args.runs)
        cases: dict[str, Callable[[Any], object]] = {
            "cost of a serial": lambda s: cost_rollup(s, "S-B-7-2-1"),
            "cost of the lot (everything below it)": lambda s: cost_rollup(s, lot),
        }
        backend = "PostgreSQL" if args.pg else "SQLite"
        print(f"{backend}, {args.runs * (1 + BATCHES + BATCHES * SERIALS)} edges, "
              f"{args.rounds} rounds\n")
        print("| report | p50 ms | p95 ms |\n|---|---:|---:|")
        for name, call in cases.items():
            p50, p95 = timed(rt, args.rounds, call)
            print(f"| {name} | {p50:.1f} | {p95:.1f} |")
        rt.engine.dispose()


if __name__ == "__main__":
    main()
