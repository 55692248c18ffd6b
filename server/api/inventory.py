"""REST: warehouses, locations and lots (receive, issue, move, adjust, scrap, status, label)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from labels import render_labels

from ..domain.quantities import Quantity
from ..models import utcnow
from ..services import locations, stock, stock_views
from ..services.actors import Actor
from .endpoint import LIST, endpoint
from .inventory_schemas import (
    AdjustIn,
    IssueIn,
    LocationIn,
    LocationQuery,
    LotIn,
    LotQuery,
    LotStatusIn,
    MoveIn,
    ScrapIn,
    WarehouseIn,
)
from .labels import FILES, LabelQuery, _file, _settings

# Supplier lot numbers may hold a slash, so lot routes take the rest of the path.
LOT = "/lots/<path:number>"


def _qty(db: Session, number: str, amount: Decimal | None, unit: str | None
         ) -> Quantity | None:
    """Return amount in unit (the lot's own when none is given); unknown_lot first."""
    lot = stock.lot_by_number(db, number)
    return None if amount is None else Quantity.of(amount, unit or lot.unit)


@endpoint("/warehouses", tag="inventory", response=LIST)
def list_warehouses(db: Session, actor: Actor) -> Any:
    """List warehouses with how many locations each has."""
    return locations.list_warehouses(db)


@endpoint("/warehouses", "POST", role="planner", body=WarehouseIn, status=201, tag="inventory")
def create_warehouse(db: Session, actor: Actor, body: WarehouseIn) -> Any:
    """Add a warehouse."""
    return locations.create_warehouse(db, actor, code=body.code, name=body.name)


@endpoint("/locations", query=LocationQuery, tag="inventory", response=LIST)
def list_locations(db: Session, actor: Actor, query: LocationQuery) -> Any:
    """List locations, optionally of one warehouse."""
    return locations.list_locations(db, warehouse=query.warehouse)


@endpoint("/locations", "POST", role="planner", body=LocationIn, status=201, tag="inventory")
def create_location(db: Session, actor: Actor, body: LocationIn) -> Any:
    """Add a location to a warehouse (location codes are unique across the plant)."""
    return locations.create_location(db, actor, warehouse=body.warehouse, code=body.code,
                                     name=body.name)


@endpoint("/lots", query=LotQuery, tag="inventory", response=LIST)
def list_lots(db: Session, actor: Actor, query: LotQuery) -> Any:
    """List lots with on hand, newest first; filter by item, status, location or text."""
    return stock_views.list_lots(db, **query.model_dump(mode="json"))


@endpoint("/lots", "POST", role="planner", body=LotIn, status=201, tag="inventory")
def receive_lot(db: Session, actor: Actor, body: LotIn) -> Any:
    """Receive a lot without a supplier receipt (a generated number unless one is given)."""
    lot = stock.receive_lot(
        db, item_sku=body.item, quantity=Quantity.of(body.quantity, body.unit),
        location_code=body.location, bin=body.bin, lot_number=body.lot_number,
        unit_cost=body.unit_cost, supplier_batch=body.supplier_batch,
        certificate=body.certificate, expiry=body.expiry, actor=actor)
    return stock_views.lot_detail(db, lot.number)


@endpoint(LOT, tag="inventory")
def get_lot(db: Session, actor: Actor, number: str) -> Any:
    """Return a lot with its quantity on hand and its whole ledger."""
    return stock_views.lot_detail(db, number)


@endpoint(f"{LOT}/issue", "POST", role="planner", body=IssueIn, tag="inventory")
def issue_lot(db: Session, actor: Actor, number: str, body: IssueIn) -> Any:
    """Issue a lot to a run or batch: the quantity given, or all on hand."""
    qty = _qty(db, number, body.quantity, body.unit)
    target = stock.Target(body.target.kind, body.target.code)
    stock.issue(db, number, target, qty, actor=actor, at=utcnow())
    return stock_views.lot_detail(db, number)


@endpoint(f"{LOT}/status", "POST", role="planner", body=LotStatusIn, tag="inventory")
def set_lot_status(db: Session, actor: Actor, number: str, body: LotStatusIn) -> Any:
    """Quarantine, release or archive a lot."""
    stock.set_status(db, number, body.status, actor=actor, reason=body.reason)
    return stock_views.lot_detail(db, number)


@endpoint(f"{LOT}/move", "POST", role="planner", body=MoveIn, tag="inventory")
def move_lot(db: Session, actor: Actor, number: str, body: MoveIn) -> Any:
    """Move a whole lot to another location and rack/bin."""
    stock.move(db, number, location_code=body.location, bin=body.bin, actor=actor,
               reason=body.reason)
    return stock_views.lot_detail(db, number)


@endpoint(f"{LOT}/adjust", "POST", role="planner", body=AdjustIn, tag="inventory")
def adjust_lot(db: Session, actor: Actor, number: str, body: AdjustIn) -> Any:
    """Correct a lot's stock by a signed quantity, with a reason."""
    qty = _qty(db, number, body.quantity, body.unit)
    assert qty is not None
    stock.adjust(db, number, qty, reason=body.reason, actor=actor)
    return stock_views.lot_detail(db, number)


@endpoint(f"{LOT}/scrap", "POST", role="planner", body=ScrapIn, tag="inventory")
def scrap_lot(db: Session, actor: Actor, number: str, body: ScrapIn) -> Any:
    """Scrap part of a lot, or all on hand without a quantity, with a reason."""
    qty = _qty(db, number, body.quantity, body.unit)
    stock.scrap(db, number, qty, reason=body.reason, actor=actor)
    return stock_views.lot_detail(db, number)


@endpoint(f"{LOT}/label.<any(pdf,png,svg,zpl):fmt>", query=LabelQuery, tag="labels",
          media=FILES)
def lot_label(db: Session, actor: Actor, number: str, fmt: str, query: LabelQuery) -> Any:
    """One lot's label: its number as a QR that a station reads back as a lot."""
    layout = query.layout or _settings().single_label_layout
    data = render_labels([stock_views.lot_label(db, number)], fmt, layout,  # type: ignore[arg-type]
                         dpi=query.dpi)
    return _file(data, fmt, number.replace("/", "_"))
