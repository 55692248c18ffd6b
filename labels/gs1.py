"""GS1 element strings: application identifiers, check digits, raw and bracketed forms.

Only the AIs a plant label plausibly carries are known; an element string with any
other AI is refused rather than guessed, because guessing an AI's length mis-splits
every field after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labels.errors import PayloadError

GS = "\x1d"  # FNC1 as transmitted by scanners between variable-length fields

# GS1 AI encodable character set 82 (General Specifications, figure 7.11-1).
_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+")
_DIGITS = re.compile(r"[0-9]+")


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
        raise PayloadError(f"unsupported GS1 application identifier ({ai})")
    if spec.fixed is not None and len(value) != spec.fixed:
        raise PayloadError(f"GS1 AI ({ai}) needs exactly {spec.fixed} characters, got {len(value)}")
    if not 0 < len(value) <= spec.max_len:
        raise PayloadError(f"GS1 AI ({ai}) takes 1 to {spec.max_len} characters, got {len(value)}")
    pattern = _DIGITS if spec.numeric else _CSET82
    if not pattern.fullmatch(value):
        raise PayloadError(f"GS1 AI ({ai}) value has characters GS1 does not allow: {value!r}")
    if spec.check_digit and not has_valid_check_digit(value):
        raise PayloadError(f"GS1 AI ({ai}) value has a wrong check digit: {value!r}")


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
        raise PayloadError("not a bracketed GS1 element string")
    for ai, value in fields:
        validate(ai, value)
    return fields


def _next_ai(data: str, pos: int) -> str:
    """Return the known AI starting at ``pos`` (AIs are prefix-free by construction)."""
    for width in (2, 3, 4):
        ai = data[pos : pos + width]
        if ai in AIS:
            return ai
    raise PayloadError(f"unsupported GS1 application identifier at {data[pos : pos + 4]!r}")


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
        raise PayloadError("empty GS1 element string")
    return fields
