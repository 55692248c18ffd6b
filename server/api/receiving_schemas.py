"""Request bodies of the receiving API: suppliers, receipts with lines, inspections, GS1."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from ..domain.quality import InspectionResult
from .schemas import CLEAN, Amount, Body, Code, Name, Quantity, Text, Unit

Gtin = Annotated[str, StringConstraints(pattern=r"^\d{8}$|^\d{12,14}$")]
# A scanned GS1 string: the GS (FNC1) separator is the one control character it may carry.
Scan = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), CLEAN]
Contact = Annotated[str, StringConstraints(max_length=500), CLEAN]


class SupplierIn(Body):
    code: Code
    name: Name
    contact: Contact = ""
    active: bool = True


class SupplierPatch(Body):
    """Fields to change; the code stays, as receipts refer to it."""

    name: Name | None = None
    contact: Contact | None = None
    active: bool | None = None


class ReceiptLineIn(Body):
    """One line: the item by SKU or GTIN (or a scanned label), the quantity and where it goes.

    ``gs1`` is the scanned supplier label; it fills GTIN, supplier lot, expiry and (as the
    quantity) net weight where the other fields are left out."""

    location: Code
    item: Code | None = None
    gtin: Gtin | None = None
    quantity: Quantity | None = None
    unit: Unit | None = None
    bin: Short = ""
    lot_number: Code | None = None
    supplier_lot: Short = ""
    expiry: date | None = None
    unit_cost: Amount | None = None
    certificate: Short = ""
    gs1: Scan | None = None


class ReceiptIn(Body):
    supplier: Code
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)
    invoice_number: Short = ""
    receipt_date: date | None = None
    received_by: Short = ""
    notes: Text = ""


class InspectionIn(Body):
    result: InspectionResult
    defects: Text = ""
    notes: Text = ""
    inspector: Short = ""


class Gs1In(Body):
    text: Scan


class GtinIn(Body):
    gtin: Gtin | None
