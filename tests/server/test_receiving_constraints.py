"""The database refuses receiving rows the services never write, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from server.models import IncomingInspection, Item, ReceiptLine, SupplierReceipt
from server.services import catalog, locations, receiving, suppliers
from server.services.actors import SYSTEM
from server.services.receiving import LineIn


@pytest.fixture
def receipt_id(runtime) -> int:
    with runtime.transaction() as s:
        locations.create_warehouse(s, SYSTEM, code="MAIN", name="Main")
        locations.create_location(s, SYSTEM, warehouse="MAIN", code="RACK-A", name="A")
        catalog.create_item(s, SYSTEM, sku="ROD", name="Rod", kind="raw_material", unit="kg")
        catalog.create_item(s, SYSTEM, sku="BAR", name="Bar", kind="raw_material", unit="kg")
        suppliers.create_supplier(s, SYSTEM, code="S", name="S")
        receiving.create_receipt(s, SYSTEM, supplier="S", lines=[
            LineIn(location="RACK-A", item="ROD", quantity=Decimal(2), gtin="09501101530003")])
        return s.scalar(select(SupplierReceipt.id))  # type: ignore[return-value]


@pytest.mark.parametrize("amount", [Decimal(0), Decimal("-1")])
def test_a_receipt_line_holds_a_positive_quantity(runtime, receipt_id, amount):
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.execute(update(ReceiptLine).values(quantity=amount))


def test_an_inspection_result_is_pass_fail_or_conditional(runtime, receipt_id):
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.add(IncomingInspection(receipt_id=receipt_id, inspector="x", result="maybe"))


def test_two_items_cannot_share_a_gtin(runtime, receipt_id):
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        s.execute(update(Item).where(Item.sku == "BAR").values(gtin="09501101530003"))


def test_one_lot_is_made_by_one_receipt_line(runtime, receipt_id):
    with pytest.raises(IntegrityError), runtime.transaction() as s:
        line = s.scalars(select(ReceiptLine)).one()
        s.add(ReceiptLine(receipt_id=receipt_id, line_no=2, item_id=line.item_id, gtin="",
                          lot_id=line.lot_id, quantity=Decimal(1), unit="kg",
                          location_id=line.location_id, bin=""))
