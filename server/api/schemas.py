"""Request bodies and query strings, validated with pydantic before any service runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                        pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
Text = Annotated[str, StringConstraints(max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=8)]

# The error type of a float amount; the API answers it 422 (the JSON is well-formed, its
# number is not an amount).
FLOAT_AMOUNT = "float_amount"


def _not_float(value: object) -> object:
    """Refuse JSON floats (and booleans): a float has already lost the exact amount."""
    if isinstance(value, bool | float):
        raise PydanticCustomError(FLOAT_AMOUNT, "send amounts as decimal strings or integers, "
                                  "not floats (\"6.5\", not 6.5)")
    return value


# What the OpenAPI document promises: decimal text or an integer, never a JSON number with
# a fraction (the checks below also refuse what does not fit 20 digits, 6 decimal).
AMOUNT_SCHEMA = {"anyOf": [
    {"type": "integer", "minimum": -(10**14 - 1), "maximum": 10**14 - 1},
    {"type": "string", "pattern": r"^-?\d{1,14}(\.\d{1,6})?$"}],
    "description": 'a decimal amount as text ("6.5") or an integer; floats are refused'}
Amount = Annotated[Decimal, BeforeValidator(_not_float),
                   Field(allow_inf_nan=False, max_digits=20, decimal_places=6),
                   WithJsonSchema(AMOUNT_SCHEMA)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class OperationIn(Body):
    code: Code
    name: Name
    is_quality_check: bool = False


class ItemIn(Body):
    sku: Code
    name: Name
    kind: Literal["raw_material", "semi_finished", "finished", "supply", "scrap"]
    unit: Unit
    tracking: Literal["none", "lot", "serial"] = "none"
    standard_cost: Amount = Decimal(0)
    routing: list[Code] = Field(default_factory=list, max_length=100)


class StationIn(Body):
    name: Code
    operation: Code
    scan_mode: Literal["toggle", "complete"] = "complete"
    description: Annotated[str, StringConstraints(max_length=200)] = ""


class StationPatch(Body):
    enabled: bool
    reason: Text = ""


class MachineIn(Body):
    code: Code
    name: Name
    station: Code | None = None


class CustomerIn(Body):
    code: Code
    name: Name


class OrderLineIn(Body):
    item: Code
    quantity: Amount
    unit: Unit


class OrderIn(Body):
    customer: Code
    lines: list[OrderLineIn] = Field(min_length=1, max_length=1000)
    due_date: date | None = None
    notes: Text = ""


class OrderStatusIn(Body):
    status: Literal["estimate", "confirmed", "in_production", "shipped", "cancelled"]
    reason: Text = ""


class BatchSpecIn(Body):
    item: Code
    quantity: Amount
    unit: Unit
    batches: int = Field(default=1, ge=1, le=10_000)
    machines: list[Code] = Field(default_factory=list, max_length=100)


class RunIn(Body):
    lines: list[BatchSpecIn] = Field(min_length=1, max_length=1000)
    notes: Text = ""
    responsible: Code | None = None


class RunFromOrderIn(Body):
    order: Code
    batches_per_line: int = Field(default=1, ge=1, le=10_000)
    notes: Text = ""
    responsible: Code | None = None
    allow_additional: bool = False
    reason: Text = ""


class RunQuery(Body):
    status: str = ""
    q: Annotated[str, StringConstraints(max_length=100)] = ""
    item: str = ""
    order: str = ""
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class SplitIn(Body):
    quantities: list[Amount] | None = Field(default=None, min_length=2, max_length=1000)
    parts: int | None = Field(default=None, ge=2, le=1000)
    reason: Text = ""


class MergeIn(Body):
    batches: list[Code] = Field(min_length=2, max_length=1000)
    reason: Text = ""


class ReasonIn(Body):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=500)]


class OptionalReasonIn(Body):
    reason: Text = ""


class LoginIn(Body):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class UserIn(Body):
    username: Code
    role: Literal["viewer", "operator", "supervisor", "planner", "admin"]
    password: Annotated[str, StringConstraints(min_length=8, max_length=200)] | None = None
    display_name: Annotated[str, StringConstraints(max_length=200)] = ""
    badge_code: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    pin: Annotated[str, StringConstraints(pattern=r"^\d{4,8}$")] | None = None


class TokenIn(Body):
    username: Code
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "api"
