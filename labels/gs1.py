"""GS1 element strings: application identifiers, check digits, raw and bracketed forms.

Only the AIs a plant label plausibly carries are known; an element string with any
other AI is refused rather than guessed, because guessing an AI's length mis-splits
every field after it. ``supplier_label()`` reads what receiving needs from a supplier's
label: GTIN, batch/lot, expiry, serial and net weight.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from labels.errors import PayloadError

GS = "\x1d"  # FNC1 as transmitted by scanners between variable-length fields

# GS1 AI encodable character set 82 (General Specifications, figure 7.11-1).
_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+")
_DIGITS = re.compile(r"[0-9]+")
DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})
# AIM symbology identifier (]Q3, ]d2, ]C1 ...) a scanner may put before the data.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")


class GS1Error(PayloadError):
    """Refuse GS1 data; ``reason`` names the broken rule (check_digit, date, syntax...)."""

    def __init__(self, message: str, *, reason: str = "syntax", ai: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.ai = ai


@dataclass(frozen=True, slots=True)
class AISpec:
    """Describe one application identifier's data field."""

    title: str
    fixed: int | None  # exact data length, or None when variable
    max_len: int
    numeric: bool
    check_digit: bool = False


def _table() -> dict[str, AISpec]:
    """Build the known-AI table, keyed by the AI digits."""
    t: dict[str, AISpec] = {
        "00": AISpec("SSCC", 18, 18, True, check_digit=True),
        "01": AISpec("GTIN", 14, 14, True, check_digit=True),
        "02": AISpec("CONTENT", 14, 14, True, check_digit=True),
        "10": AISpec("BATCH/LOT", None, 20, False),
        "20": AISpec("VARIANT", 2, 2, True),
        "21": AISpec("SERIAL", None, 20, False),
        "22": AISpec("CPV", None, 20, False),
        "240": AISpec("ADDITIONAL ID", None, 30, False),
        "241": AISpec("CUST. PART No.", None, 30, False),
        "250": AISpec("SECONDARY SERIAL", None, 30, False),
        "251": AISpec("REF. TO SOURCE", None, 30, False),
        "30": AISpec("VAR. COUNT", None, 8, True),
        "37": AISpec("COUNT", None, 8, True),
        "400": AISpec("ORDER NUMBER", None, 30, False),
        "401": AISpec("GINC", None, 30, False),
        "402": AISpec("GSIN", 17, 17, True, check_digit=True),
        "403": AISpec("ROUTE", None, 30, False),
        "420": AISpec("SHIP TO POST", None, 20, False),
        "422": AISpec("ORIGIN", 3, 3, True),
        "7003": AISpec("EXPIRY TIME", 10, 10, True),
        "8004": AISpec("GIAI", None, 30, False),
        "90": AISpec("INTERNAL", None, 30, False),
    }
    for ai in ("11", "12", "13", "15", "16", "17"):
        t[ai] = AISpec("DATE", 6, 6, True)
    for n in range(410, 418):
        t[str(n)] = AISpec("GLN", 13, 13, True, check_digit=True)
    for n in range(3100, 3700):  # measures: 4-digit AI, 6 digits
        t[str(n)] = AISpec("MEASURE", 6, 6, True)
    for n in range(91, 100):
        t[str(n)] = AISpec("INTERNAL", None, 90, False)
    return t


AIS: dict[str, AISpec] = _table()


def check_digit(digits: str) -> int:
    """Return the GS1 mod-10 check digit for ``digits`` (the number without its check digit)."""
    if not digits or not _DIGITS.fullmatch(digits):
        raise PayloadError(f"GS1 check digit needs digits, got {digits!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def has_valid_check_digit(number: str) -> bool:
    """Tell whether the last digit of ``number`` is its GS1 check digit."""
    if len(number) < 2 or not _DIGITS.fullmatch(number):
        return False
    return check_digit(number[:-1]) == int(number[-1])


def gtin14(gtin: str) -> str:
    """Return a GTIN-8/12/13/14 as 14 digits, refusing a wrong check digit."""
    if len(gtin) not in (8, 12, 13, 14) or not has_valid_check_digit(gtin):
        raise PayloadError(f"not a valid GTIN (8, 12, 13 or 14 digits with check digit): {gtin!r}")
    return gtin.rjust(14, "0")


def validate(ai: str, value: str) -> None:
    """Refuse a value that breaks its AI's length, character set or check digit."""
    spec = AIS.get(ai)
    if spec is None:
        raise GS1Error(f"unsupported GS1 application identifier ({ai})", reason="unsupported_ai",
                       ai=ai)
    if spec.fixed is not None and len(value) != spec.fixed:
        raise GS1Error(f"GS1 AI ({ai}) needs exactly {spec.fixed} characters, got {len(value)}",
                       ai=ai)
    if not 0 < len(value) <= spec.max_len:
        raise GS1Error(f"GS1 AI ({ai}) takes 1 to {spec.max_len} characters, got {len(value)}",
                       ai=ai)
    pattern = _DIGITS if spec.numeric else _CSET82
    if not pattern.fullmatch(value):
        raise GS1Error(f"GS1 AI ({ai}) value has characters GS1 does not allow: {value!r}",
                       ai=ai)
    if spec.check_digit and not has_valid_check_digit(value):
        expected = check_digit(value[:-1])
        raise GS1Error(f"GS1 AI ({ai}) {spec.title} {value} has a wrong check digit"
                       f" (last digit should be {expected})", reason="check_digit", ai=ai)
    if ai in DATE_AIS:
        _check_date(ai, value)


def to_bracketed(fields: list[tuple[str, str]]) -> str:
    """Return the human-readable ``(AI)value`` form after validating every field."""
    for ai, value in fields:
        validate(ai, value)
        if "(" in value or ")" in value:  # GS1 allows them, but they make this form ambiguous
            raise PayloadError(f"GS1 AI ({ai}) value {value!r} has parentheses; labels refuse them")
    return "".join(f"({ai}){value}" for ai, value in fields)


def to_raw(fields: list[tuple[str, str]]) -> str:
    """Return the transmitted form: fields joined with GS after variable-length ones."""
    parts: list[str] = []
    for i, (ai, value) in enumerate(fields):
        validate(ai, value)
        parts.append(ai + value)
        if AIS[ai].fixed is None and i < len(fields) - 1:
            parts.append(GS)
    return "".join(parts)


_BRACKETED = re.compile(r"\((\d{2,4})\)([^()]*)")


def parse_bracketed(text: str) -> list[tuple[str, str]]:
    """Split ``(01)…(10)…`` into validated (AI, value) pairs."""
    fields = [(m.group(1), m.group(2)) for m in _BRACKETED.finditer(text)]
    if not fields or "".join(f"({a}){v}" for a, v in fields) != text:
        raise GS1Error("not a bracketed GS1 element string")
    for ai, value in fields:
        validate(ai, value)
    return fields


def _next_ai(data: str, pos: int) -> str:
    """Return the known AI starting at ``pos`` (AIs are prefix-free by construction)."""
    for width in (2, 3, 4):
        ai = data[pos : pos + width]
        if ai in AIS:
            return ai
    raise GS1Error(f"unsupported GS1 application identifier at {data[pos : pos + 4]!r}",
                   reason="unsupported_ai")


def parse_raw(data: str) -> list[tuple[str, str]]:
    """Split a transmitted element string (GS between variable fields) into (AI, value)."""
    fields: list[tuple[str, str]] = []
    pos = 1 if data.startswith(GS) else 0  # some scanners send the leading FNC1 too
    while pos < len(data):
        ai = _next_ai(data, pos)
        pos += len(ai)
        spec = AIS[ai]
        if spec.fixed is not None:
            end = pos + spec.fixed
        else:
            gs = data.find(GS, pos)
            end = len(data) if gs < 0 else gs
        value = data[pos:end]
        validate(ai, value)
        fields.append((ai, value))
        pos = end + 1 if end < len(data) and data[end] == GS else end
    if not fields:
        raise GS1Error("empty GS1 element string")
    return fields


def _check_date(ai: str, value: str) -> None:
    """Refuse an impossible YYMMDD; DD 00 (day not given) is allowed, as GS1 allows it."""
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
    # The leap year of 2000 + YY is right for every year the sliding window yields until 2050.
    if not 1 <= mm <= 12 or dd > calendar.monthrange(2000 + yy, mm)[1]:
        raise GS1Error(f"GS1 AI ({ai}) {value} is not a date (YYMMDD)", reason="date", ai=ai)


def full_year(yy: int, today: date) -> int:
    """Return the year of a two-digit YY by the GS1 sliding window (General Specs 7.12)."""
    century, current = divmod(today.year, 100)
    difference = yy - current
    if difference >= 51:  # more than 50 years ahead: the previous century
        century -= 1
    elif difference <= -50:  # 50 or more years back: the next century
        century += 1
    return century * 100 + yy


def read_date(ai: str, value: str, *, today: date) -> date:
    """Return the date of a YYMMDD field; DD 00 is the month's last day for best-before,
    sell-by and expiry (AI 15, 16, 17) and its first day otherwise."""
    validate(ai, value)
    year = full_year(int(value[:2]), today)
    month, day = int(value[2:4]), int(value[4:])
    last = calendar.monthrange(year, month)[1]
    if day > last:  # only 29 February of a non-leap century year gets here
        raise GS1Error(f"GS1 AI ({ai}) {value} is not a date (YYMMDD)", reason="date", ai=ai)
    if day == 0:
        day = last if ai in ("15", "16", "17") else 1
    return date(year, month, day)


def date_text(day: date) -> str:
    """Return a date as the YYMMDD of a GS1 date field."""
    return day.strftime("%y%m%d")


@dataclass(frozen=True, slots=True)
class NetWeight:
    """A label's net weight, exact; the server makes it a Quantity (labels imports no server)."""

    amount: Decimal
    unit: str  # "kg" or "lb"


# Net weight AIs: 310n in kilograms, 320n in pounds, n decimals (0 to 5).
_WEIGHT_UNITS = {"310": "kg", "320": "lb"}


def read_weight(ai: str, value: str) -> NetWeight:
    """Return the net weight of a 310n/320n field as an exact quantity."""
    validate(ai, value)
    unit, places = _WEIGHT_UNITS.get(ai[:3]), int(ai[3])
    if unit is None or places > 5:
        raise GS1Error(f"GS1 AI ({ai}) is not a net weight in kg or lb", reason="measure", ai=ai)
    return NetWeight(Decimal(int(value)).scaleb(-places), unit)


def weight_field(weight: NetWeight) -> tuple[str, str]:
    """Return the 310n (kg) or 320n (lb) field for a weight, with the fewest decimals."""
    prefix = {v: k for k, v in _WEIGHT_UNITS.items()}.get(weight.unit)
    if prefix is None or weight.amount < 0:
        raise GS1Error(f"GS1 net weight is kg or lb and not negative, got {weight.unit}",
                       reason="measure")
    for places in range(6):
        scaled = weight.amount.scaleb(places)
        if scaled == scaled.to_integral_value() and scaled < 10**6:
            return f"{prefix}{places}", f"{int(scaled):06d}"
    raise GS1Error(f"GS1 net weight {weight.amount} does not fit six digits", reason="measure")


@dataclass(frozen=True, slots=True)
class SupplierLabel:
    """What receiving reads from a supplier's GS1 label."""

    gtin: str | None
    lot: str | None
    expiry: date | None
    serial: str | None
    net_weight: NetWeight | None
    production_date: date | None = None
    best_before: date | None = None


def element_fields(text: str) -> list[tuple[str, str]]:
    """Return the fields of GS1 text as a scanner sends it: AIM prefix, GS or brackets."""
    data = text.strip(" \t\r\n")  # HID scanners end with Enter or Tab; GS is data
    if _AIM.match(data):
        data = data[3:]
    if not data:
        raise GS1Error("empty GS1 element string")
    fields = parse_bracketed(data) if data.startswith("(") else parse_raw(data)
    seen: dict[str, str] = {}
    for ai, value in fields:
        if seen.setdefault(ai, value) != value:
            raise GS1Error(f"GS1 AI ({ai}) appears twice with different values", ai=ai)
    return fields


def supplier_label(text: str, *, today: date | None = None) -> SupplierLabel:
    """Read a supplier label; ``today`` fixes the century of two-digit years."""
    fields = dict(element_fields(text))
    today = today or date.today()
    weights = sorted(ai for ai in fields if ai[:3] in _WEIGHT_UNITS)

    def day(ai: str) -> date | None:
        return read_date(ai, fields[ai], today=today) if ai in fields else None

    return SupplierLabel(
        gtin=fields.get("01"), lot=fields.get("10"), expiry=day("17"), serial=fields.get("21"),
        net_weight=read_weight(weights[0], fields[weights[0]]) if weights else None,
        production_date=day("11"), best_before=day("15"))


def supplier_fields(label: SupplierLabel) -> list[tuple[str, str]]:
    """Return the GS1 fields that say ``label`` (fixed-length ones first, as GS1 advises)."""
    fields: list[tuple[str, str]] = []
    if label.gtin is not None:
        fields.append(("01", gtin14(label.gtin)))
    for ai, day in (("11", label.production_date), ("15", label.best_before),
                    ("17", label.expiry)):
        if day is not None:
            fields.append((ai, date_text(day)))
    if label.net_weight is not None:
        fields.append(weight_field(label.net_weight))
    fields += [(ai, v) for ai, v in (("10", label.lot), ("21", label.serial)) if v is not None]
    return fields
