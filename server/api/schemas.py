"""Request bodies, query strings and response shapes, validated with pydantic.

Every text field refuses control and bidirectional characters (the scan path's one rule,
server.domain.text); integers are bounded to what the database stores (64-bit).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import Interval
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError

from ..domain.orders import OrderStatus
from ..domain.quantities import UNITS
from ..domain.runs import RunStatus
from ..domain.text import is_clean

MAX_INT = 2**63 - 1  # the largest integer a BIGINT column (and an offset) holds


# The same rule as server.domain.text, written for the OpenAPI document (ECMA regex).
# (Lone surrogates are refused too, but JSON cannot carry them as text: not in the pattern.)
_BAD = "\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufffd"
# Anchored with a lookahead, not $: Python's $ also matches before a final line break.
_END = "(?![\\s\\S])"


class Clean:
    """Refuse control and bidirectional characters, and say so in the JSON schema."""

    def __init__(self, allow: str = "", pattern: str = "") -> None:
        self.allow = allow
        self.pattern = pattern

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return AfterValidator(self._check).__get_pydantic_core_schema__(source, handler)

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> JsonSchemaValue:
        schema: JsonSchemaValue = handler(core_schema)
        schema.setdefault("pattern", self.pattern)
        return schema

    def _check(self, value: str) -> str:
        if not is_clean(value, allow=self.allow):
            raise ValueError("must not hold control or bidirectional characters")
        return value


class Documented:
    """Add keywords to a field's JSON schema only (the service gives the clearer error)."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> JsonSchemaValue:
        schema: JsonSchemaValue = handler(core_schema)
        schema.update(self.keywords)
        return schema


def _whole(value: object) -> object:
    # JSON has one number type: 5.0 is the integer 5 (as JSON Schema says); "5" is not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WHOLE = BeforeValidator(_whole)  # after the bounds, so the JSON schema keeps them

CLEAN = Clean(pattern=f"^[^{_BAD}]*{_END}")  # one-line fields (names, codes, usernames)
CLEAN_TEXT = Clean(allow="\t\n\r", pattern=f"^(?:[\\t\\n\\r]|[^{_BAD}])*{_END}")

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                        pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"), CLEAN]
# Free text (notes, reasons) may hold tabs and line breaks, nothing else below space.
Text = Annotated[str, StringConstraints(max_length=2000), CLEAN_TEXT]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                 CLEAN]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=8), CLEAN,
                 Documented(enum=sorted(UNITS))]
Badge = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128),
                  CLEAN]
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=200), CLEAN]
Pin = Annotated[str, StringConstraints(pattern=r"^\d{4,8}$")]
# The error type of a float amount; the API answers it 422 (the JSON is well-formed, its
# number is not an amount).
FLOAT_AMOUNT = "float_amount"
BAD_AMOUNT = "invalid_amount"  # out of range, or not decimal text: answered 400


class AmountRule:
    """Decimal text or an integer below 10**digits, never a float; positive, or 0 and up.

    The OpenAPI document states exactly the rule the field enforces, so a client (or a fuzzer)
    can tell a valid amount from its schema alone.
    """

    def __init__(self, digits: int, *, positive: bool) -> None:
        text = (r"^(?!0+(\.0+)?$)" if positive else "^") + rf"\d{{1,{digits}}}(\.\d{{1,6}})?$"
        # ASCII: Python's \d also matches other scripts' digits, which Decimal() accepts.
        self.pattern, self.low = re.compile(text, re.ASCII), int(positive)
        self.high = 10**digits - 1
        self.what = "more than 0" if positive else "0 or more"
        self.schema = {"anyOf": [{"type": "integer", "minimum": self.low, "maximum": self.high},
                                 {"type": "string", "pattern": text}],
                       "description": 'a decimal amount as text ("6.5") or an integer; '
                                      'floats are refused'}

    def parse(self, value: object) -> Decimal:
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)  # JSON has one number type: 5.0 is the integer 5, exactly
        if isinstance(value, bool | float):
            raise PydanticCustomError(FLOAT_AMOUNT, "send amounts as decimal strings or "
                                      "integers, not floats (\"6.5\", not 6.5)")
        if isinstance(value, int) and self.low <= value <= self.high:
            return Decimal(value)
        if isinstance(value, str) and self.pattern.fullmatch(value):
            return Decimal(value)
        raise PydanticCustomError(BAD_AMOUNT, "must be {what} and below {limit}, as digits "
                                  "with an optional point", {"what": self.what,
                                                              "limit": self.high + 1})


_MONEY, _QUANTITY, _COUNTED = (AmountRule(14, positive=False), AmountRule(9, positive=True),
                               AmountRule(9, positive=False))
# Costs and other money; what a batch, an order line or a split part holds; what a step
# yields into one bucket (which may be 0).
Amount = Annotated[Decimal, PlainValidator(_MONEY.parse), WithJsonSchema(_MONEY.schema)]
Quantity = Annotated[Decimal, PlainValidator(_QUANTITY.parse),
                     WithJsonSchema(_QUANTITY.schema)]
Counted = Annotated[Decimal, PlainValidator(_COUNTED.parse), WithJsonSchema(_COUNTED.schema)]


class Body(BaseModel):
    """A JSON body, validated strictly (no "1" for 1, no 0 for false) as its schema says."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """A query string: every value arrives as text, so numbers are parsed from it."""

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


class OperationPatch(Body):
    """Fields to change; archiving is refused while a current routing or station uses it."""

    name: Name | None = None
    is_quality_check: bool | None = None
    archived: bool | None = None


class ItemPatch(Body):
    """Fields to change; the routing is saved on its own (PUT .../routing)."""

    name: Name | None = None
    kind: Literal["raw_material", "semi_finished", "finished", "supply", "scrap"] | None = None
    unit: Unit | None = None
    tracking: Literal["none", "lot", "serial"] | None = None
    standard_cost: Amount | None = None
    archived: bool | None = None
    # The TYPE of its serial codes; "" goes back to the one made from the SKU.
    serial_type: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8),
                           CLEAN] | None = None


class RoutingIn(Body):
    """An item's routing as operation codes in order; a change saves a new version."""

    operations: list[Code] = Field(max_length=100)
    note: Annotated[str, StringConstraints(max_length=500), CLEAN_TEXT] = ""


class StationIn(Body):
    name: Code
    operation: Code
    scan_mode: Literal["toggle", "complete"] = "complete"
    description: Annotated[str, StringConstraints(max_length=200), CLEAN] = ""


class StationPatch(Body):
    enabled: bool
    reason: Text = ""


class MachineIn(Body):
    code: Code
    name: Name
    station: Code | None = None


class MachinePatch(Body):
    """Fields to change; "station": null takes the machine off its station."""

    name: Name | None = None
    station: Code | None = None
    enabled: bool | None = None
    reason: Text = ""


class CustomerIn(Body):
    code: Code
    name: Name


class CustomerPatch(Body):
    name: Name


class OrderLineIn(Body):
    item: Code
    quantity: Quantity
    unit: Unit


class OrderIn(Body):
    customer: Code
    lines: list[OrderLineIn] = Field(min_length=1, max_length=1000)
    due_date: date | None = None
    notes: Text = ""


class OrderStatusIn(Body):
    status: OrderStatus
    reason: Text = ""


class BatchSpecIn(Body):
    item: Code
    quantity: Quantity
    unit: Unit
    batches: Annotated[int, Interval(ge=1, le=10_000), WHOLE] = 1
    machines: list[Code] = Field(default_factory=list, max_length=100)


class RunIn(Body):
    lines: list[BatchSpecIn] = Field(min_length=1, max_length=1000)
    notes: Text = ""
    responsible: Code | None = None


class RunFromOrderIn(Body):
    order: Code
    batches_per_line: Annotated[int, Interval(ge=1, le=10_000), WHOLE] = 1
    notes: Text = ""
    responsible: Code | None = None
    allow_additional: bool = False
    reason: Text = ""


class RunQuery(Query):
    status: RunStatus | Literal[""] = ""
    q: Annotated[str, StringConstraints(max_length=100), CLEAN] = ""
    item: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""
    order: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=MAX_INT)


class SplitIn(Body):
    quantities: list[Quantity] | None = Field(default=None, min_length=2, max_length=1000)
    parts: Annotated[int, Interval(ge=2, le=1000), WHOLE] | None = None
    reason: Text = ""


class MergeIn(Body):
    batches: Annotated[list[Code], Documented(uniqueItems=True)] = Field(min_length=2,
                                                                       max_length=1000)
    reason: Text = ""


class ReasonIn(Body):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=500)]


class OptionalReasonIn(Body):
    reason: Text = ""


class LoginIn(Body):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64), CLEAN]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200), CLEAN]


class UserIn(Body):
    username: Code
    role: Literal["viewer", "operator", "supervisor", "planner", "admin"]
    password: NewPassword | None = None
    display_name: Annotated[str, StringConstraints(max_length=200), CLEAN] = ""
    badge_code: Badge | None = None
    pin: Pin | None = None


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _unset() -> Any:
    """An optional field that is not nullable: left out, it stays as it is."""
    return Field(default=None, json_schema_extra=_no_default)


class UserPatch(Body):
    """Only the fields sent change; null clears a badge, PIN or password."""

    role: Literal["viewer", "operator", "supervisor", "planner", "admin"] = _unset()
    display_name: Annotated[str, StringConstraints(max_length=200), CLEAN] = _unset()
    badge_code: Badge | None = None
    pin: Pin | None = None
    password: NewPassword | None = None


class UserActiveIn(Body):
    active: bool
    reason: Text = ""


class TokenIn(Body):
    username: Code
    name: Annotated[str, StringConstraints(min_length=1, max_length=100), CLEAN] = "api"
    # Seconds until the token stops working; none: until revoked.
    expires_in: Annotated[int, Interval(ge=60, le=10 * 366 * 86400), WHOLE] | None = None


class TokenQuery(Query):
    username: Annotated[str, StringConstraints(max_length=64), CLEAN] = ""


class ScanIn(Body):
    """A scan as a station sends it (documented here; the scan path checks it itself and
    answers a bad one with a rejected ack, so the station drops it)."""

    event_id: str = Field(description="UUID made by the station")
    code: str
    symbology: str = ""
    scanned_at: str = Field(description="ISO 8601 time on the station clock")
    source: str = ""
    operator: str | None = None


# Responses: what the services return, declared so clients and fuzzers can check answers.
class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class UserOut(Out):
    id: int
    username: str
    display_name: str
    role: str
    active: bool


class LoginOut(Out):
    user: UserOut
    csrf_token: str


class MeOut(Out):
    name: str
    role: str
    csrf_token: str


class OkOut(Out):
    ok: bool


class AccountOut(UserOut):
    has_password: bool
    has_badge: bool
    has_pin: bool
    created_at: str


class TokenCreatedOut(Out):
    username: str
    token: str


class TokenOut(Out):
    id: int
    username: str
    name: str
    created_at: str | None
    last_used_at: str | None
    expires_at: str | None
    revoked_at: str | None
