"""REST: suppliers, supplier receipts with their lots, incoming inspections, GS1 labels."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy.orm import Session

from labels import render_labels

from ..services import receipt_labels as labelled
from ..services import receiving, suppliers
from ..services.actors import Actor
from ..services.receipt_views import receipt_dict
from .endpoint import LIST, endpoint
from .labels import FILES, LabelQuery, PrintIn, _file, _job, _printing, _settings
from .receiving_schemas import Gs1In, GtinIn, InspectionIn, ReceiptIn, SupplierIn, SupplierPatch


@endpoint("/suppliers", tag="receiving", response=LIST)
def list_suppliers(db: Session, actor: Actor) -> Any:
    """List suppliers (?active=1: only active ones)."""
    return suppliers.list_suppliers(db, active_only=request.args.get("active") == "1")


@endpoint("/suppliers", "POST", role="planner", body=SupplierIn, status=201, tag="receiving")
def create_supplier(db: Session, actor: Actor, body: SupplierIn) -> Any:
    """Add a supplier."""
    return suppliers.create_supplier(db, actor, **body.model_dump())


@endpoint("/suppliers/<code>", "PATCH", role="planner", body=SupplierPatch, tag="receiving")
def patch_supplier(db: Session, actor: Actor, code: str, body: SupplierPatch) -> Any:
    """Change a supplier's name, contact or active flag."""
    return suppliers.update_supplier(db, actor, code, **body.model_dump())


@endpoint("/receipts", tag="receiving", response=LIST)
def list_receipts(db: Session, actor: Actor) -> Any:
    """List supplier receipts, newest first (?supplier=CODE)."""
    return receiving.list_receipts(db, supplier=request.args.get("supplier", ""))


@endpoint("/receipts", "POST", role="planner", body=ReceiptIn, status=201, tag="receiving")
def create_receipt(db: Session, actor: Actor, body: ReceiptIn) -> Any:
    """Receive a shipment: one new lot per line, in one transaction."""
    fields = body.model_dump(exclude={"lines"})
    lines = [receiving.LineIn(**ln.model_dump()) for ln in body.lines]
    return receiving.create_receipt(db, actor, lines=lines, **fields)


@endpoint("/receipts/<number>", tag="receiving")
def get_receipt(db: Session, actor: Actor, number: str) -> Any:
    """Return one receipt with its lines, lots and inspections."""
    return receipt_dict(db, receiving.receipt_by_number(db, number))


@endpoint("/receipts/<number>/inspection", "POST", role="planner", body=InspectionIn,
          status=201, tag="receiving")
def inspect_receipt(db: Session, actor: Actor, number: str, body: InspectionIn) -> Any:
    """Record an incoming inspection; a failed one quarantines the receipt's lots."""
    return receiving.record_inspection(db, actor, number, **body.model_dump())


@endpoint("/gs1/parse", "POST", body=Gs1In, tag="receiving")
def parse_gs1(db: Session, actor: Actor, body: Gs1In) -> Any:
    """Read a scanned GS1 supplier label; the item is the one its GTIN names."""
    return receiving.parse_label(db, body.text)


@endpoint("/items/<sku>/gtin", "PUT", role="planner", body=GtinIn, tag="receiving")
def put_item_gtin(db: Session, actor: Actor, sku: str, body: GtinIn) -> Any:
    """Set (or with null remove) the GTIN that finds an item from a supplier's label."""
    return receiving.set_item_gtin(db, actor, sku, body.gtin)


@endpoint("/receipts/<number>/labels.<any(pdf,png,svg,zpl):fmt>", query=LabelQuery,
          tag="receiving", media=FILES)
def receipt_labels(db: Session, actor: Actor, number: str, fmt: str, query: LabelQuery) -> Any:
    """Labels of a receipt's lots: a PDF sheet, a ZPL stream, or a zip of PNG/SVG."""
    items = labelled.receipt_labels(db, number)
    layout = query.layout or _settings().label_layout
    return _file(render_labels(items, fmt, layout, dpi=query.dpi), fmt, number)  # type: ignore[arg-type]


@endpoint("/receipts/<number>/print", "POST", role="planner", body=PrintIn, tag="receiving")
def print_receipt_labels(db: Session, actor: Actor, number: str, body: PrintIn) -> Any:
    """Print the labels of a receipt's lots; an offline printer keeps the job to retry."""
    items = labelled.receipt_labels(db, number)
    return _job(_printing().print_now(body.printer, items, number))
