"""Request bodies and queries of the inventory API (warehouses, locations, lots)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, PlainValidator, StringConstraints, WithJsonSchema

from ..domain.lots import LotStatus
from .schemas import CLEAN, MAX_INT, Amount, AmountRule, Body, Code, Name, Quantity, Query, Text
from .schemas import Unit as UnitField

# A rack/bin as people write it ("A-01", "Rack 3 / Bin 12").
Bin = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), CLEAN]
# A supplier's lot number: any printable code; the service says what is wrong with it.
LotNumber = Annotated[str, StringConstraints(min_length=1, max_length=64), CLEAN]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), CLEAN]


class _SignedRule(AmountRule):
    """An adjustment: a non-zero decimal, positive (found) or negative (missing)."""

    def parse(self, value: object) -> Decimal:
        if isinstance(value, str) and value.startswith("-"):
            return -super().parse(value[1:])
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            return -super().parse(-value)
        return super().parse(value)


_SIGNED = _SignedRule(9, positive=True)
_SIGNED.schema = {"anyOf": [{"type": "integer", "minimum": -_SIGNED.high,
                             "maximum": _SIGNED.high, "not": {"const": 0}},
                            {"type": "string",
                             "pattern": r"^-?(?!0+(\.0+)?$)\d{1,9}(\.\d{1,6})?$"}],
                  "description": "a signed decimal amount as text or an integer, not 0"}
Signed = Annotated[Decimal, PlainValidator(_SIGNED.parse), WithJsonSchema(_SIGNED.schema)]


class WarehouseIn(Body):
    code: Code
    name: Name


class LocationIn(Body):
    warehouse: Code
    code: Code
    name: Name


class LocationQuery(Query):
    warehouse: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""


class LotIn(Body):
    """Receive a lot without a supplier receipt (stock found, opening balances)."""

    item: Code
    quantity: Quantity
    unit: UnitField
    location: Code
    bin: Bin = ""
    lot_number: LotNumber | None = None
    unit_cost: Amount | None = None
    supplier_batch: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""
    certificate: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""
    expiry: date | None = None


class LotQuery(Query):
    item: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""
    status: LotStatus | Literal[""] = ""
    location: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""
    q: Annotated[str, StringConstraints(max_length=100), CLEAN] = ""
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=MAX_INT)


class LotStatusIn(Body):
    status: Literal["available", "quarantined", "archived"]
    reason: Text = ""


class MoveIn(Body):
    location: Code
    bin: Bin = ""
    reason: Text = ""


class AdjustIn(Body):
    quantity: Signed
    unit: UnitField | None = None
    reason: Reason


class ScrapIn(Body):
    quantity: Quantity | None = None
    unit: UnitField | None = None
    reason: Reason


class TargetIn(Body):
    kind: Literal["run", "batch"]
    code: Code


class IssueIn(Body):
    """Issue to a run or batch: the quantity given, or (without one) all on hand."""

    target: TargetIn
    quantity: Quantity | None = None
    unit: UnitField | None = None
