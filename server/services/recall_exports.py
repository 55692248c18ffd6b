"""Recall exports: a CSV for contacting customers, and a spreadsheet of the chain's events
with their key data elements (FSMA 204 style: what, when, which lot, how much, where, from
whom, to whom, by which document) that a regulator can sort and filter.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.genealogy import NodeKind, Relation
from ..models import (
    Batch,
    Customer,
    GenealogyEdge,
    GenealogyNode,
    Item,
    Location,
    Lot,
    ProductionRun,
    SalesOrder,
    Serial,
    Supplier,
    SupplierReceipt,
)
from ..models.shipping import Shipment
from .recall import Origin, Reached, origin_of, reach, recall
from .recall_rows import affected

CONTACT_COLUMNS = ["customer", "customer_name", "shipment", "order", "shipped_at",
                   "affected_codes", "quantity"]
EVENT_COLUMNS = ["Event type", "Relation", "Date/time (UTC)", "Traceability lot code",
                 "Code kind", "Product (SKU)", "Product description", "Quantity",
                 "Unit of measure", "Location", "Source", "Destination",
                 "Reference document type", "Reference document number"]
AFFECTED_COLUMNS = ["Kind", "Code", "Product (SKU)", "Product description", "Status",
                    "Share of suspect material", "Suspect amount", "Unit", "Shipment",
                    "Customer", "Customer name", "Order", "Shipped at (UTC)", "Location",
                    "Bin", "On hand", "On hand unit"]
_DATE = "yyyy-mm-dd hh:mm:ss"
EVENT_TYPES = {Relation.RECEIVE: "receiving", Relation.SHIP: "shipping"}


def contact_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per customer and shipment with the affected codes it carried."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    amounts: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for thing in report["affected"]:
        for s in thing["shipments"]:
            key = (s["customer"], s["shipment"])
            row = rows.setdefault(key, {k: s[k] for k in ("customer", "customer_name",
                                                          "shipment", "order", "shipped_at")}
                                  | {"codes": []})
            row["codes"].append(thing["code"])
            amounts[key][s["unit"]] += Decimal(s["quantity"])
    out = []
    for key in sorted(rows):
        row = rows.pop(key)
        row["affected_codes"] = " ".join(sorted(row.pop("codes")))
        row["quantity"] = "; ".join(f"{q.normalize():f} {u}"
                                    for u, q in sorted(amounts[key].items()))
        out.append(row)
    return out


def contacts(session: Session, code: str) -> list[dict[str, Any]]:
    """Return the customer contact rows of a recall."""
    return contact_rows(recall(session, code))


def events_workbook(session: Session, code: str) -> bytes:
    """Return the XLSX of a recall: its chain's events, the affected list and the origin."""
    origin = origin_of(session, code)
    reached = reach(session, origin)
    things = affected(session, origin, reached)
    book = Workbook()
    events = book.active
    assert events is not None
    events.title = "Events"
    _table(events, EVENT_COLUMNS, _event_rows(session, origin, reached))
    _table(book.create_sheet("Affected"), AFFECTED_COLUMNS, [_affected_row(t) for t in things])
    about = book.create_sheet("Recall")
    for label, value in (("Origin", origin.key), ("Origin code", origin.info["code"]),
                         ("Product (SKU)", origin.info.get("item", "")),
                         ("Supplier", origin.info.get("supplier", "")),
                         ("Affected", len(things))):
        about.append([label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet: Worksheet, columns: list[str], rows: list[list[Any]]) -> None:
    """Write a header row, the rows, a frozen header, an autofilter and readable widths."""
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, datetime):
                cell.number_format = _DATE
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, name in enumerate(columns):
        width = max([len(name)] + [len(str(r[i])) for r in rows if r[i] is not None])
        sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter].width = \
            min(60, width + 2)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _when(text: str | None) -> datetime | None:
    # Spreadsheets have no time zones: every time is written in UTC, and the header says so.
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=None)


def _affected_row(t: dict[str, Any]) -> list[Any]:
    s, here = t["shipped"] or {}, t["in_stock"] or {}
    return [t["kind"], t["code"], t["item"], t["item_name"], t["status"],
            _number(t["share_decimal"]), _number(t["amount"]), t["unit"], s.get("shipment"),
            s.get("customer"), s.get("customer_name"), s.get("order"),
            _when(s.get("shipped_at")), here.get("location"), here.get("bin"),
            _number(here.get("quantity")), here.get("unit")]


def _chain_edges(session: Session, origin: Origin, reached: Reached) -> list[dict[str, Any]]:
    """Return every edge of the forward walks, and how the suspect lots were received."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for walk in reached.traces:
        for e in walk["edges"]:
            seen[(e["parent_kind"], e["parent"], e["child_kind"], e["child"], e["record"],
                  e["at"])] = e
    lots = [s.code for s in origin.starts if s.kind == NodeKind.LOT]
    parent = GenealogyNode.__table__.alias("p")
    child = GenealogyNode.__table__.alias("c")
    found: Any = session.execute(
        select(parent.c.code, child.c.code, GenealogyEdge.quantity, GenealogyEdge.unit,
               GenealogyEdge.record, GenealogyEdge.created_at)
        .join(parent, parent.c.id == GenealogyEdge.parent_id)
        .join(child, child.c.id == GenealogyEdge.child_id)
        .where(GenealogyEdge.relation == Relation.RECEIVE.value,
               child.c.kind == NodeKind.LOT.value, child.c.code.in_(lots))) if lots else []
    for receipt, lot, qty, unit, record, at in found:
        e = {"parent_kind": "receipt", "parent": receipt, "child_kind": "lot", "child": lot,
             "relation": "receive", "quantity": f"{Decimal(qty).normalize():f}", "unit": unit,
             "record": record, "at": at.isoformat()}
        seen[("receipt", receipt, "lot", lot, record, e["at"])] = e
    return sorted(seen.values(), key=lambda e: (e["at"], e["parent"], e["child"]))


def _event_rows(session: Session, origin: Origin, reached: Reached) -> list[list[Any]]:
    edges = _chain_edges(session, origin, reached)
    codes: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        codes[e["parent_kind"]].add(e["parent"])
        codes[e["child_kind"]].add(e["child"])
    facts = _facts(session, codes)
    rows = []
    for e in edges:
        kind = EVENT_TYPES.get(Relation(e["relation"]), "transformation")
        what = (e["parent_kind"], e["parent"]) if kind == "shipping" else (e["child_kind"],
                                                                          e["child"])
        sku, name, where = facts["things"].get(what, ("", "", ""))
        source = facts["suppliers"].get(e["parent"], "") if kind == "receiving" \
            else f"{e['parent_kind']} {e['parent']}"
        target = facts["customers"].get(e["child"], "") if kind == "shipping" \
            else f"{e['child_kind']} {e['child']}"
        doc_type, doc = _document(e, facts["runs"])
        rows.append([kind, e["relation"], _when(e["at"]), what[1], what[0], sku, name,
                     Decimal(e["quantity"]), e["unit"], where, source, target, doc_type, doc])
    return rows


def _document(e: dict[str, Any], runs: dict[str, str]) -> tuple[str, str]:
    """Name the document an event is recorded under: receipt, run, job or shipment."""
    if e["relation"] == Relation.RECEIVE:
        return "receipt", e["parent"]
    if e["relation"] == Relation.SHIP:
        return "shipment", e["child"]
    for kind, code in ((e["child_kind"], e["child"]), (e["parent_kind"], e["parent"])):
        if kind in (NodeKind.RUN, NodeKind.JOB):
            return kind, code
    for kind, code in ((e["parent_kind"], e["parent"]), (e["child_kind"], e["child"])):
        if kind == NodeKind.BATCH and code in runs:
            return "run", runs[code]
    kind, _, number = e["record"].partition(":")
    return kind, number


def _facts(session: Session, codes: dict[str, set[str]]) -> dict[str, Any]:
    """Look up, once per kind, each code's product and place, suppliers, customers, runs."""
    things: dict[tuple[str, str], tuple[str, str, str]] = {}
    if codes["lot"]:
        for number, sku, name, where in session.execute(
                select(Lot.number, Item.sku, Item.name, Location.code)
                .join(Item, Item.id == Lot.item_id).join(Location, Location.id == Lot.location_id)
                .where(Lot.number.in_(codes["lot"]))):
            things[("lot", number)] = (sku, name, where)
    if codes["serial"]:
        for code, sku, name, where in session.execute(
                select(Serial.code, Item.sku, Item.name, Location.code)
                .join(Item, Item.id == Serial.item_id)
                .outerjoin(Location, Location.id == Serial.location_id)
                .where(Serial.code.in_(codes["serial"]))):
            things[("serial", code)] = (sku, name, where or "")
    runs: dict[str, str] = {}
    if codes["batch"]:
        for code, sku, name, run in session.execute(
                select(Batch.code, Item.sku, Item.name, ProductionRun.number)
                .join(Item, Item.id == Batch.item_id)
                .join(ProductionRun, ProductionRun.id == Batch.run_id)
                .where(Batch.code.in_(codes["batch"]))):
            things[("batch", code)], runs[code] = (sku, name, ""), run
    suppliers = {number: f"{code} {name}" for number, code, name in session.execute(
        select(SupplierReceipt.number, Supplier.code, Supplier.name)
        .join(Supplier, Supplier.id == SupplierReceipt.supplier_id)
        .where(SupplierReceipt.number.in_(codes["receipt"])))} if codes["receipt"] else {}
    customers = {number: f"{code} {name}" + (f" (order {order})" if order else "")
                 for number, code, name, order in session.execute(
                     select(Shipment.number, Customer.code, Customer.name, SalesOrder.number)
                     .join(Customer, Customer.id == Shipment.customer_id)
                     .outerjoin(SalesOrder, SalesOrder.id == Shipment.order_id)
                     .where(Shipment.number.in_(codes["shipment"])))} \
        if codes["shipment"] else {}
    return {"things": things, "runs": runs, "suppliers": suppliers, "customers": customers}
