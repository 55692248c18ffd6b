"""Production list benchmark: GET /api/v1/jobs at 100,000 jobs, on SQLite (and PostgreSQL).

    python bench/jobs.py [--jobs 100000] [--rounds 30] [--pg [--no-sqlite]]

Seeds a fresh database: five stages, a few products, staff and orders made through the
services, then the jobs written in bulk (core INSERTs, many rows per statement) with totals
that add up, an issue line each, and a receipt with its bucket rows for every job that has
received anything, so every row passes the database's balance CHECKs. Then times the list
through the app (Flask's test client, a bearer token): page 1, a deep page, a stage filter,
a search and the summary; prints a Markdown table of median and p95 milliseconds.

The bulk rows do not move stock (no ledger movements, no graph edges): the list reads jobs,
their issues and items only. --pg runs on a fresh database on FLOORLINE_BENCH_PG (default the
test server, postgresql+psycopg://postgres@127.0.0.1:5432/test), dropped afterwards.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scratch_db import postgres_database  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from server.app import create_app  # noqa: E402
from server.db import make_engine  # noqa: E402
from server.domain.quantities import Quantity  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.models import Item, Lot, User  # noqa: E402
from server.models.jobs import Job, JobIssue, JobItem, JobReceipt, JobReceiptRow, Stage  # noqa: E402
from server.runtime import Runtime  # noqa: E402
from server.services import catalog, locations, sales, stages, stock, users  # noqa: E402
from server.services.actors import SYSTEM  # noqa: E402
from server.settings import Settings  # noqa: E402

STAGES = [("RECV", "Receiving"), ("FAB", "Fabrication"), ("ASM", "Assembly"),
          ("FIN", "Finishing"), ("QI", "Quality inspection")]
STAFF = ["ana", "lee", "kim", "raj", "eve", "sam", "joe", "mia"]
PRODUCTS = [("AU750-GRAIN", "Gold 18k grain"), ("AG925-GRAIN", "Silver 925 grain"),
            ("RING-BLANK", "Ring blank"), ("PENDANT", "Pendant"), ("CHAIN", "Chain")]
CHUNK = 5000
AT = datetime(2026, 1, 1, tzinfo=UTC)


def plant(rt: Runtime) -> dict[str, object]:
    """Stages, products with a big lot each, staff, orders and a planner's token."""
    with rt.transaction() as s:
        for code, name in STAGES:
            stages.create_stage(s, SYSTEM, code=code, name=name)
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="STORES", name="Stores")
        for sku, name in PRODUCTS:
            catalog.create_item(s, SYSTEM, sku=sku, name=name, kind="raw_material", unit="g")
            stock.receive_lot(s, item_sku=sku, quantity=Quantity.of(10_000_000, "g"),
                              location_code="STORES", actor=SYSTEM)
        for name in STAFF:
            users.create_user(s, SYSTEM, username=name, role="operator",
                              display_name=name.title())
        users.create_user(s, SYSTEM, username="planner", role="planner")
        token = users.create_token(s, SYSTEM, "planner")
        sales.create_customer(s, SYSTEM, code="ACME", name="Acme")
        orders = [sales.create_order(s, SYSTEM, customer="ACME",
                                     lines=[("CHAIN", Decimal(10), "g")])["number"]
                  for _ in range(20)]
    with rt.sessions() as s:
        ids = {
            "stages": list(s.scalars(select(Stage.id).order_by(Stage.id))),
            "staff": list(s.scalars(select(User.id).where(User.role == "operator"))),
            "lots": list(s.execute(select(Lot.id, Lot.item_id).order_by(Lot.id))),
            "location": s.scalar(text("SELECT id FROM locations")),
            "orders": list(s.scalars(text("SELECT id FROM sales_orders"))),
            "items": list(s.scalars(select(Item.id))),
        }
    return {"token": token, "orders": orders, **ids}


def job_rows(n: int, ids: dict[str, object], rng: random.Random
             ) -> Iterator[tuple[dict[str, object], dict[str, object], list[dict[str, object]]]]:
    """Yield (job, issue, bucket rows) for n jobs whose totals add up exactly."""
    stage_ids, staff, lots = ids["stages"], ids["staff"], ids["lots"]
    orders = ids["orders"]
    for i in range(1, n + 1):
        issued = Decimal(rng.randint(1_000, 500_000)).scaleb(-3)  # 1 g .. 500 g, mg places
        pieces = rng.randint(0, 200)
        status = rng.choices(["open", "in_progress", "completed", "cancelled"],
                             [30, 35, 33, 2])[0]
        buckets = {"received": Decimal(0), "rejected": Decimal(0), "scrapped": Decimal(0),
                   "waste": Decimal(0)}
        counted = dict.fromkeys(buckets, 0)
        if status in {"in_progress", "completed"}:
            share = issued if status == "completed" else \
                (issued * Decimal(rng.randint(10, 90)) / 100).quantize(Decimal("0.001"))
            buckets["rejected"] = (share * Decimal("0.03")).quantize(Decimal("0.001"))
            buckets["scrapped"] = (share * Decimal("0.05")).quantize(Decimal("0.001"))
            buckets["waste"] = (share * Decimal("0.02")).quantize(Decimal("0.001"))
            buckets["received"] = share - buckets["rejected"] - buckets["scrapped"] - \
                buckets["waste"]
            done = pieces if status == "completed" else pieces // 2
            counted["rejected"] = done // 20
            counted["received"] = done - counted["rejected"]
        pending = issued - sum(buckets.values())
        lot_id, item_id = lots[rng.randrange(len(lots))]  # type: ignore[index]
        issued_on = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        scheduled = rng.random() < 0.6
        job = {"id": i, "number": f"J-{issued_on.year}-{i:06d}",
               "stage_id": stage_ids[rng.randrange(len(stage_ids))],  # type: ignore[index]
               "shape": rng.choice(["round", "oval", "heart", ""]), "size": str(rng.randint(5, 60)),
               "issued_on": issued_on, "status": status, "created_at": AT,
               "deadline": issued_on + timedelta(days=14) if scheduled else None,
               "assignee_id": rng.choice(staff) if scheduled or rng.random() < 0.5 else None,  # type: ignore[arg-type]
               "order_id": rng.choice(orders) if rng.random() < 0.3 else None,  # type: ignore[arg-type]
               "issued_pieces": pieces, "pending_pieces": pieces - sum(counted.values()),
               **{f"{b}_pieces": counted[b] for b in counted},
               "issued_weight": issued, "pending_weight": pending,
               **{f"{b}_weight": w for b, w in buckets.items()}}
        issue = {"job_id": i, "lot_id": lot_id, "item_id": item_id, "quantity": issued, "unit": "g",
                 "pieces": pieces, "weight": issued, "weight_unit": "g"}
        rows = [{"bucket": b, "weight": w, "pieces": counted[b], "unit": "g",
                 "item_id": item_id if b != "waste" else None}
                for b, w in buckets.items() if w or counted[b]]
        yield job, issue, rows


def seed_jobs(rt: Runtime, n: int, ids: dict[str, object]) -> float:
    """Write n jobs in bulk; return the seconds it took."""
    rng = random.Random(12)
    started = time.perf_counter()
    batch: list[tuple[dict, dict, list[dict]]] = []
    receipt_id = 0

    def flush() -> None:
        nonlocal receipt_id
        receipts, rows = [], []
        for job, _, bucket_rows in batch:
            if bucket_rows:
                receipt_id += 1
                receipts.append({"id": receipt_id, "job_id": job["id"], "seq": 1,
                                 "received_on": job["issued_on"], "at": AT,
                                 "location_id": ids["location"], "answer": {}})
                rows += [{**r, "receipt_id": receipt_id} for r in bucket_rows]
        with rt.engine.begin() as conn:
            conn.execute(insert(Job), [j for j, _, _ in batch])
            # A third of the jobs name their product in the per-item table.
            conn.execute(insert(JobItem), [{"job_id": j["id"], "item_id": i["item_id"]}
                                           for j, i, _ in batch if j["id"] % 3 == 0])
            conn.execute(insert(JobIssue), [{k: v for k, v in i.items() if k != "item_id"}
                                            for _, i, _ in batch])
            if receipts:
                conn.execute(insert(JobReceipt), receipts)
                conn.execute(insert(JobReceiptRow), rows)
        batch.clear()

    for made in job_rows(n, ids, rng):
        batch.append(made)
        if len(batch) == CHUNK:
            flush()
    if batch:
        flush()
    # What a running database knows: statistics (and on PostgreSQL the visibility map that
    # autovacuum keeps, which lets a count read the index alone).
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if rt.engine.dialect.name == "postgresql"
                          else "ANALYZE"))
    return time.perf_counter() - started


def timed(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    call()  # warm: the first call compiles and caches statements
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


@contextmanager
def database(pg: bool, work: Path) -> Iterator[str]:
    if not pg:
        yield f"sqlite:///{work / 'bench-jobs.sqlite'}"
        return
    with postgres_database("floorline_bench_jobs") as url:
        yield url


def run(args: argparse.Namespace, pg: bool) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp, database(pg, Path(tmp)) as url:
        settings = Settings(instance_path=str(Path(tmp) / "instance"), database_url=url,
                            secret_key="bench-" + "x" * 40).resolved()
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        app = create_app(settings)
        rt: Runtime = app.extensions["floorline"]
        ids = plant(rt)
        seconds = seed_jobs(rt, args.jobs, ids)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {ids['token']}"}

        def get(path: str) -> Callable[[], object]:
            def call() -> object:
                r = client.get(f"/api/v1{path}", headers=headers)
                assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True))
                return r.json
            return call

        deep = get("/jobs")()["pages"]  # type: ignore[index]  # the last page
        backend = "PostgreSQL" if pg else "SQLite"
        out = []
        for label, path in (("page 1", "/jobs?page=1"),
                            (f"page {deep // 2} (middle)", f"/jobs?page={deep // 2}"),
                            (f"page {deep} (last)", f"/jobs?page={deep}"),
                            ("ongoing, stage FAB, page 1", "/jobs?view=ongoing&stage=FAB"),
                            ("search 'kim'", "/jobs?q=kim"),
                            ("search 'kim', page 200", "/jobs?q=kim&page=200"),
                            ("summary", "/jobs/summary")):
            median, p95 = timed(get(path), args.rounds)
            out.append(f"| {backend} | {label} | {median:.1f} | {p95:.1f} |")
        answer = get(f"/jobs?page={deep}")()
        assert answer["jobs"], "the deep page is empty"  # type: ignore[index]
        print(f"{backend}: seeded {args.jobs} jobs in {seconds:.1f} s", file=sys.stderr)
        rt.engine.dispose()
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite (with --pg)")
    args = parser.parse_args()
    if args.no_sqlite and not args.pg:
        parser.error("--no-sqlite leaves nothing to measure without --pg")
    if args.jobs < 51 or args.rounds < 1:
        parser.error("--jobs must be at least 51 (two pages: a middle page to time) and "
                     "--rounds at least 1")
    lines = [] if args.no_sqlite else run(args, pg=False)
    if args.pg:
        lines += run(args, pg=True)
    print(f"\nGET /api/v1/jobs at {args.jobs:,} jobs, {args.rounds} rounds, 50 a page\n")
    print("| backend | request | median ms | p95 ms |\n|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
