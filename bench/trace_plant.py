"""A generated plant history for bench/trace.py, written straight into the tables in bulk.

Each production run takes 100 kg from each of three supplier lots (lot r feeds runs r, r+1
and r+2, so a lot keeps half of its 600 kg on hand), makes ten batches, splits the first in
three and merges the second and third; of the eleven batches that finish, ten become eight
serials each and one a finished lot. Four of five serials leave in shipments of forty to
one of twenty customers. So a supplier lot reaches some 240 serials in three runs, and a
serial goes back to three supplier lots. About 164 edges a run.

Rows pass every constraint (kinds, relations, the ledger's signs, the completions' source),
with ids given here so no insert waits for one back. No audit rows: trace reads none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.engine import Connection

from server.models import (
    Batch,
    Customer,
    GenealogyEdge,
    GenealogyNode,
    Item,
    Lot,
    ProductionRun,
    ReceiptLine,
    SalesOrder,
    StockMovement,
    Supplier,
    SupplierReceipt,
)
from server.models.catalog import Routing
from server.models.completions import Completion, Serial
from server.models.inventory import Location
from server.models.shipping import Shipment, ShipmentLine

EDGES_PER_RUN = 164
BATCHES, SERIALS_PER_BATCH, PER_SHIPMENT, CUSTOMERS, SUPPLIERS = 10, 8, 40, 20, 3
AT = datetime(2025, 1, 1, tzinfo=UTC)
CHUNK = 20_000
KG, PCS = "kg", "pcs"


@dataclass
class Rows:
    """Rows of each table, with the next id of each."""

    tables: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def add(self, model: Any, **row: Any) -> int:
        """Append a row with the table's next id; return the id."""
        table = model.__table__
        row["id"] = self.ids[table.name] = self.ids.get(table.name, 0) + 1
        self.tables.setdefault(table, []).append(row)
        return int(row["id"])


@dataclass
class Plant:
    """What the services made first: items, routing, location, suppliers, customers."""

    material: int
    part: int
    product: int
    routing: int
    location: int
    suppliers: list[int]
    customers: list[int]


class History:
    """Build the rows of runs one after another; node() and edge() write the graph."""

    def __init__(self, plant: Plant) -> None:
        self.plant, self.rows = plant, Rows()
        self.lots: list[tuple[int, int, str]] = []  # (lot id, node id, number)
        self.open_shipment: tuple[int, int] | None = None  # (shipment id, node id)
        self.in_shipment = self.serial_seq = 0
        self.batch_rows: dict[int, int] = {}  # node id -> batches.id, of the current run

    def node(self, kind: str, code: str, ref: int | None, at: datetime) -> int:
        return self.rows.add(GenealogyNode, kind=kind, code=code, ref_id=ref, created_at=at)

    def edge(self, parent: tuple[int, str], child: tuple[int, str], relation: str,
             quantity: Decimal, unit: str, record: str, at: datetime) -> None:
        self.rows.add(GenealogyEdge, parent_id=parent[0], parent_kind=parent[1],
                      child_id=child[0], child_kind=child[1], relation=relation,
                      quantity=quantity, unit=unit, record=record, audit_id=None, created_at=at)

    def supplier_lot(self, r: int, at: datetime) -> None:
        """Receive lot r (a receipt holds four lots)."""
        p, rows = self.plant, self.rows
        if r % 4 == 0:
            number = f"RC-{at.year}-{r // 4 + 1:05d}"
            self.receipt = rows.add(SupplierReceipt, number=number,
                                    supplier_id=p.suppliers[(r // 4) % len(p.suppliers)],
                                    invoice_number=f"INV-{r // 4 + 1}", receipt_date=at.date(),
                                    received_by="bench", notes="", created_at=at)
            self.receipt_node = (self.node("receipt", number, self.receipt, at), "receipt")
        number = f"L-{at.year}-{r + 1:06d}"
        lot = rows.add(Lot, number=number, item_id=p.material, unit=KG, location_id=p.location,
                       bin=f"R-{r % 40:02d}", unit_cost=Decimal("2.5"),
                       supplier_batch=f"SB-{r + 1:06d}", certificate="", expiry=None,
                       status="available", created_at=at, created_by="bench", version=1)
        rows.add(ReceiptLine, receipt_id=self.receipt, line_no=r % 4 + 1, item_id=p.material,
                 gtin="", lot_id=lot, quantity=Decimal(600), unit=KG, location_id=p.location,
                 bin="")
        self.movement(lot, "receive", Decimal(600), f"receipt:{self.receipt}", at)
        lot_node = self.node("lot", number, lot, at)
        self.edge(self.receipt_node, (lot_node, "lot"), "receive", Decimal(600), KG,
                  f"receipt:{self.receipt}", at)
        self.lots.append((lot, lot_node, number))

    def movement(self, lot: int, kind: str, quantity: Decimal, record: str, at: datetime
                 ) -> None:
        self.rows.add(StockMovement, lot_id=lot, kind=kind, quantity=quantity, unit=KG,
                      from_location_id=None, from_bin="", to_location_id=self.plant.location,
                      to_bin="", reason="", actor="bench", at=at, record=record,
                      event_id=None, audit_id=None)

    def run(self, r: int) -> None:
        """Receive lot r, then make run r from the last three lots."""
        at = AT + timedelta(minutes=30 * r)
        self.batch_rows.clear()
        self.supplier_lot(r, at)
        number = f"PR-{at.year}-{r + 1:05d}"
        run = self.rows.add(ProductionRun, number=number, status="completed",
                            responsible_id=None, sales_order_id=None, notes="", due_date=None,
                            created_at=at, started_at=at, completed_at=at, version=1)
        run_node = (self.node("run", number, run, at), "run")
        inputs = self.lots[-3:]
        for lot, lot_node, _ in inputs:
            self.edge((lot_node, "lot"), run_node, "issue", Decimal(100), KG, f"run:{number}", at)
            self.movement(lot, "issue", Decimal(-100), f"run:{number}", at)
        each = Decimal(100 * len(inputs)) / BATCHES
        made = [self.batch(r, i, run, each, at) for i in range(BATCHES)]
        for b in made:
            self.edge(run_node, b, "produce", each, KG, f"run:{number}", at)
        third = (each / 3).quantize(Decimal("0.000001"))
        parts = [third, third, each - 2 * third]
        kids = [self.batch(r, BATCHES + i, run, q, at) for i, q in enumerate(parts)]
        for kid, q in zip(kids, parts, strict=True):
            self.edge(made[0], kid, "split", q, KG, f"split:{r}", at)
        merged = self.batch(r, BATCHES + 3, run, 2 * each, at)
        for b in made[1:3]:
            self.edge(b, merged, "merge", each, KG, f"merge:{r}", at)
        finished = [*kids, merged, *made[3:]]
        for b in finished[:-1]:
            self.serials(b, at)
        self.finished_lot(r, finished[-1], each, at)

    def batch(self, r: int, i: int, run: int, qty: Decimal, at: datetime) -> tuple[int, str]:
        code = f"B-{at.year}-{r * 14 + i + 1:07d}"
        batch = self.rows.add(Batch, code=code, run_id=run, run_line_id=None,
                              item_id=self.plant.part, routing_id=self.plant.routing,
                              quantity=qty, unit=KG, step_index=None, state="done",
                              held_state=None, hold_reason=None, machine_id=None, created_at=at,
                              updated_at=at, last_scan_at=None, last_station_id=None, version=1)
        node = self.node("batch", code, batch, at)
        self.batch_rows[node] = batch
        return node, "batch"

    def completion(self, batch: tuple[int, str], qty: Decimal, unit: str, output: str,
                   at: datetime, lot: int | None = None) -> int:
        return self.rows.add(Completion, run_id=None, batch_id=self.batch_rows[batch[0]],
                             job_id=None,
                             item_id=self.plant.product, completed_at=at,
                             quantity_completed=qty, quantity_defective=Decimal(0), unit=unit,
                             inspector="bench", result="pass", notes="", output=output,
                             lot_id=lot, event_id=None, created_by="bench", created_at=at)

    def serials(self, batch: tuple[int, str], at: datetime) -> None:
        """Complete a batch as serials; four of five go into the open shipment."""
        done = self.completion(batch, Decimal(SERIALS_PER_BATCH), PCS, "serials", at)
        for _ in range(SERIALS_PER_BATCH):
            self.serial_seq += 1
            code = f"WID-{at.year}-{at:%m%d}-{self.serial_seq:07d}"
            shipped = self.serial_seq % 5 != 0
            serial = self.rows.add(Serial, code=code, item_id=self.plant.product,
                                   completion_id=done,
                                   status="shipped" if shipped else "in_stock",
                                   location_id=None if shipped else self.plant.location,
                                   bin="" if shipped else "FG-1", created_at=at, version=1)
            node = (self.node("serial", code, serial, at), "serial")
            self.edge(batch, node, "produce", Decimal(1), PCS, f"completion:{done}", at)
            if shipped:
                self.ship(serial, node, at)

    def ship(self, serial: int, node: tuple[int, str], at: datetime) -> None:
        if self.open_shipment is None or self.in_shipment == PER_SHIPMENT:
            n = self.rows.ids.get("shipments", 0) + 1
            customer = self.plant.customers[n % len(self.plant.customers)]
            order = self.rows.add(SalesOrder, number=f"SO-{at.year}-{n:05d}",
                                  customer_id=customer, status="shipped", due_date=None,
                                  notes="", created_at=at)
            number = f"SH-{at.year}-{n:05d}"
            shipment = self.rows.add(Shipment, number=number, customer_id=customer,
                                     order_id=order, delivery_date=at.date(), status="shipped",
                                     station_id=None, notes="", created_by="bench",
                                     created_at=at, shipped_at=at, shipped_by="bench", version=1)
            self.open_shipment = (shipment, self.node("shipment", number, shipment, at))
            self.in_shipment = 0
        self.in_shipment += 1
        shipment, ship_node = self.open_shipment
        self.rows.add(ShipmentLine, shipment_id=shipment, line_no=self.in_shipment,
                      serial_id=serial, lot_id=None, quantity=Decimal(1), unit=PCS,
                      event_id=None, added_by="bench", added_at=at)
        self.edge(node, (ship_node, "shipment"), "ship", Decimal(1), PCS,
                  f"shipment:{shipment}", at)

    def finished_lot(self, r: int, batch: tuple[int, str], qty: Decimal, at: datetime) -> None:
        number = f"FL-{at.year}-{r + 1:06d}"
        lot = self.rows.add(Lot, number=number, item_id=self.plant.product, unit=KG,
                            location_id=self.plant.location, bin="FG-2", unit_cost=None,
                            supplier_batch="", certificate="", expiry=None, status="available",
                            created_at=at, created_by="bench", version=1)
        done = self.completion(batch, qty, KG, "lot", at, lot)
        self.movement(lot, "produce", qty, f"completion:{done}", at)
        self.edge(batch, (self.node("lot", number, lot, at), "lot"), "produce", qty, KG,
                  f"completion:{done}", at)


def chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i:i + CHUNK]


def copy_rows(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Write rows with PostgreSQL's COPY (many times faster than multi-row INSERTs)."""
    columns = list(rows[0])
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


# Parents before children: the order foreign keys need.
ORDER = [SupplierReceipt, Lot, ReceiptLine, StockMovement, ProductionRun, Batch, Completion,
         Serial, SalesOrder, Shipment, ShipmentLine, GenealogyNode, GenealogyEdge]


def write(conn: Connection, plant: Plant, runs: int, every: int = 500) -> History:
    """Write runs runs of history, flushing every so many runs; return the last history."""
    history = History(plant)
    for r in range(runs):
        history.run(r)
        if (r + 1) % every == 0 or r == runs - 1:
            for model in ORDER:
                rows = history.rows.tables.pop(model.__table__, [])
                if rows and conn.dialect.name == "postgresql":
                    copy_rows(conn, model.__table__.name, rows)
                    continue
                for part in chunks(rows):
                    conn.execute(insert(model), part)
    if conn.dialect.name == "postgresql":
        for model in ORDER:  # the services' next inserts must not collide with these ids
            name = model.__table__.name
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))
    return history


def plant_ids(conn: Connection) -> Plant:
    """Return the ids of what the services made."""
    def one(stmt: Any) -> int:
        return int(conn.scalar(stmt))
    return Plant(material=one(select(Item.id).where(Item.sku == "STEEL")),
                 part=one(select(Item.id).where(Item.sku == "BRACKET")),
                 product=one(select(Item.id).where(Item.sku == "WIDGET")),
                 routing=one(select(Routing.id).join(Item).where(Item.sku == "BRACKET")),
                 location=one(select(Location.id)),
                 suppliers=list(conn.scalars(select(Supplier.id).order_by(Supplier.id))),
                 customers=list(conn.scalars(select(Customer.id).order_by(Customer.id))))
