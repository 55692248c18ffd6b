"""Quantities as Decimal amounts with explicit units and exact conversions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .errors import QuantityError

# Quantities are stored with six decimal places: enough for milligrams of a kilogram lot.
PLACES = Decimal("0.000001")
MAX_AMOUNT = Decimal("1000000000")


class Dimension(StrEnum):
    COUNT = "count"
    MASS = "mass"
    LENGTH = "length"
    VOLUME = "volume"
    AREA = "area"


# unit -> (dimension, size in the dimension's base unit: pcs, g, mm, ml, m2). Every factor is
# the exact legal definition: avoirdupois ounce 28.349523125 g and pound 0.45359237 kg
# (international yard and pound, 1959), troy ounce 31.1034768 g, metric carat 0.2 g,
# inch 25.4 mm.
UNITS: dict[str, tuple[Dimension, Decimal]] = {
    "pcs": (Dimension.COUNT, Decimal(1)),
    "dozen": (Dimension.COUNT, Decimal(12)),
    "mg": (Dimension.MASS, Decimal("0.001")),
    "g": (Dimension.MASS, Decimal(1)),
    "kg": (Dimension.MASS, Decimal(1000)),
    "t": (Dimension.MASS, Decimal(1000000)),
    "ct": (Dimension.MASS, Decimal("0.2")),
    "oz": (Dimension.MASS, Decimal("28.349523125")),
    "ozt": (Dimension.MASS, Decimal("31.1034768")),
    "lb": (Dimension.MASS, Decimal("453.59237")),
    "mm": (Dimension.LENGTH, Decimal(1)),
    "cm": (Dimension.LENGTH, Decimal(10)),
    "m": (Dimension.LENGTH, Decimal(1000)),
    "in": (Dimension.LENGTH, Decimal("25.4")),
    "ft": (Dimension.LENGTH, Decimal("304.8")),
    "ml": (Dimension.VOLUME, Decimal(1)),
    "l": (Dimension.VOLUME, Decimal(1000)),
    "m2": (Dimension.AREA, Decimal(1)),
}


BASE_UNITS = {Dimension.COUNT: "pcs", Dimension.MASS: "g", Dimension.LENGTH: "mm",
              Dimension.VOLUME: "ml", Dimension.AREA: "m2"}

# Other spellings people type for a unit; a quantity always carries the unit's own name.
ALIASES: dict[str, str] = {
    "oz t": "ozt", "t oz": "ozt", "toz": "ozt", "troy oz": "ozt",
    "pc": "pcs", "piece": "pcs", "pieces": "pcs",
    "ltr": "l",
}


def unit_named(text: str) -> str:
    """Return the unit a name stands for (its own name or an alias), or raise."""
    if text in UNITS:
        return text
    key = " ".join(text.split()).lower() if isinstance(text, str) else ""
    unit = ALIASES.get(key, key)
    if unit not in UNITS:
        raise QuantityError(f"unknown unit {text!r}", unit=text, known=sorted(UNITS))
    return unit


def dimension_of(unit: str) -> Dimension:
    """Return the dimension of a unit (or an alias), or raise for an unknown one."""
    return UNITS[unit_named(unit)][0]


def factor_of(unit: str) -> Decimal:
    """Return a unit's exact size in its dimension's base unit (pcs, g, mm, ml, m2)."""
    return UNITS[unit_named(unit)][1]


def to_decimal(value: object) -> Decimal:
    """Return value as a finite Decimal; floats are refused because they are inexact."""
    if isinstance(value, bool | float):
        raise QuantityError("amounts must be decimal strings or integers, not floats")
    try:
        amount = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise QuantityError(f"not a decimal amount: {value!r}")
    return amount


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount in a unit; arithmetic converts to the left operand's unit."""

    amount: Decimal
    unit: str

    @classmethod
    def of(cls, amount: object, unit: str) -> Quantity:
        """Build a quantity, checking the amount and the unit (an alias becomes its unit)."""
        unit = unit_named(unit)
        value = to_decimal(amount)
        if abs(value) > MAX_AMOUNT:
            raise QuantityError(f"amount {value} is out of range", amount=str(value))
        if value != value.quantize(PLACES):
            raise QuantityError(f"amount {value} has more than six decimal places")
        if dimension_of(unit) is Dimension.COUNT and value != value.to_integral_value():
            raise QuantityError(f"{unit} are counted in whole numbers, not {value}", unit=unit)
        return cls(value, unit)

    @property
    def dimension(self) -> Dimension:
        return dimension_of(self.unit)

    def to(self, unit: str) -> Quantity:
        """Convert to another unit of the same dimension, rounded to six places."""
        unit = unit_named(unit)
        if unit == self.unit:
            return self
        if dimension_of(unit) is not self.dimension:
            raise QuantityError(
                f"cannot convert {self.unit} to {unit}", unit=self.unit, target=unit
            )
        base = self.amount * UNITS[self.unit][1]
        return Quantity((base / UNITS[unit][1]).quantize(PLACES), unit)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.amount + other.to(self.unit).amount, self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.amount - other.to(self.unit).amount, self.unit)

    def is_positive(self) -> bool:
        return self.amount > 0

    def __str__(self) -> str:
        return f"{amount_text(self.amount)} {self.unit}"


def amount_text(amount: Decimal) -> str:
    """Return an amount without trailing zeros and never in exponent form: 12.5, 40."""
    text = f"{amount.normalize():f}"
    return "0" if text in {"-0", ""} else text


def is_counted(unit: str) -> bool:
    """Tell whether a unit counts things (pcs, dozen), so its amounts are whole numbers."""
    return dimension_of(unit) is Dimension.COUNT


def amount_of(value: object, unit: str, *, field: str = "quantity") -> Quantity:
    """Return a non-negative quantity, or raise a QuantityError that names the field."""
    try:
        qty = Quantity.of(value, unit)
    except QuantityError as err:
        raise QuantityError(f"{field}: {err.message}", field=field, **err.detail) from None
    if qty.amount < 0:
        raise QuantityError(f"{field} cannot be negative", field=field)
    return qty


def positive(amount: object, unit: str, *, field: str = "quantity") -> Quantity:
    """Return a strictly positive quantity or raise a QuantityError naming the field."""
    qty = Quantity.of(amount, unit)
    if not qty.is_positive():
        raise QuantityError(f"{field} must be greater than zero", field=field)
    return qty


def total(quantities: list[Quantity], unit: str) -> Quantity:
    """Sum quantities in one unit."""
    result = Quantity(Decimal(0), unit)
    for qty in quantities:
        result = result + qty
    return result
