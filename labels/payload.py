"""The one definition of what a Floorline label encodes, and how a scan is read back.

A label carries a batch (or lot, or serial) code in one of three forms:

* plain: ``B-2026-000123``;
* url: ``https://<host>/b/B-2026-000123``, so a phone camera opens the batch page;
* gs1: a GS1 element string, AI 10 (batch/lot) and/or AI 21 (serial), optionally AI 01 (GTIN).

``parse()`` is total: the server calls it on every raw scan, so it never raises and
returns kind "unknown" (with a ``problem``) for junk. A bare code is recognised by its shape
(``labels.codes``, the definition the server numbers by): run and order numbers are read as
what they are, so they are never taken for a batch, lot or serial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote, urlsplit

from labels import codes, gs1
from labels.errors import PayloadError

MAX_SCAN_LENGTH = 4096
MAX_CODE_LENGTH = 64

_CODE_CHARS = re.compile(r"[!-~]+")  # printable ASCII, no space
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?")
# Control characters except GS (FNC1), which GS1 element strings legitimately carry.
_CONTROL = re.compile(r"[\x00-\x1c\x1e\x1f\x7f-\x9f]")
_EDGE_WHITESPACE = " \t\r\n\v\f"  # not str.strip(): Python counts GS as whitespace
# AIM symbology identifiers that announce GS1 data (QR, DataMatrix, Code 128, DataBar, DotCode).
_GS1_AIM = frozenset({"]Q3", "]d2", "]C1", "]e0", "]J1"})
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")


class Kind(StrEnum):
    """What a scanned code identifies."""

    BATCH = "batch"
    LOT = "lot"
    SERIAL = "serial"
    RUN = "run"        # a run sheet's number: not a unit, but worth telling apart
    ORDER = "order"    # a sales order number, likewise
    JOB = "job"        # a production job (stage work counted in pieces and weight)
    SHIPMENT = "shipment"  # a customer shipment (its packing slip carries the number)
    UNKNOWN = "unknown"


class Form(StrEnum):
    """How the code was written on the label."""

    PLAIN = "plain"
    URL = "url"
    GS1 = "gs1"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Payload:
    """A parsed scan: what it identifies, its code, and the form it came in."""

    kind: Kind
    code: str
    form: Form
    host: str | None = None
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    problem: str | None = None


def _check_code(code: str) -> None:
    """Refuse a code that is empty, too long, or not printable ASCII without spaces."""
    if not code or len(code) > MAX_CODE_LENGTH or not _CODE_CHARS.fullmatch(code):
        raise PayloadError(
            f"a code is 1 to {MAX_CODE_LENGTH} printable ASCII characters without spaces,"
            f" got {code[:80]!r}"
        )


def encode(
    code: str,
    *,
    form: Form | str = Form.PLAIN,
    kind: Kind | str = Kind.BATCH,
    host: str | None = None,
    gtin: str | None = None,
    lot: str | None = None,
) -> str:
    """Return the text a label's QR carries for ``code`` in ``form``."""
    _check_code(code)
    form = Form(form)
    if form is Form.PLAIN:
        return code
    if form is Form.URL:
        if not host or not _HOST.fullmatch(host):
            raise PayloadError(f"the url form needs a host name like 'floor.example', got {host!r}")
        return f"https://{host}/b/{quote(code, safe='')}"
    if form is Form.GS1:
        return gs1.to_bracketed(_gs1_fields(code, Kind(kind), gtin, lot))
    raise PayloadError(f"cannot encode in form {form!s}")


def _gs1_fields(code: str, kind: Kind, gtin: str | None, lot: str | None) -> list[tuple[str, str]]:
    """Return the (AI, value) pairs for a GS1 label, in canonical AI order."""
    fields: list[tuple[str, str]] = []
    if gtin is not None:
        fields.append(("01", gs1.gtin14(gtin)))
    if kind is Kind.SERIAL:
        if lot is not None:
            fields.append(("10", lot))
        fields.append(("21", code))
    elif kind in (Kind.BATCH, Kind.LOT):
        fields.append(("10", code))
    else:
        raise PayloadError(f"cannot encode a code of kind {kind!s}")
    return fields


def is_gs1(text: str) -> bool:
    """Tell whether encoded label text is a bracketed GS1 element string."""
    return text.startswith("(")


def _unknown(form: Form, problem: str, code: str = "") -> Payload:
    """Return a Payload for a scan that identifies nothing."""
    return Payload(Kind.UNKNOWN, code, form, problem=problem)


def parse(raw: object) -> Payload:
    """Read a raw scanned code in any label form; never raise."""
    if not isinstance(raw, str):
        return _unknown(Form.INVALID, "scan is not text")
    if len(raw) > MAX_SCAN_LENGTH:
        return _unknown(Form.INVALID, f"scan longer than {MAX_SCAN_LENGTH} characters")
    text = raw.strip(_EDGE_WHITESPACE)  # HID scanners append CR, LF or Tab
    if _AIM.match(text):
        aim, text = text[:3], text[3:]
        if aim in _GS1_AIM:
            return _parse_gs1(text, raw=True)
    if not text:
        return _unknown(Form.INVALID, "empty scan")
    if _CONTROL.search(text):
        return _unknown(Form.INVALID, "scan contains control characters")
    if gs1.GS in text:
        return _parse_gs1(text, raw=True)
    if text[0] == "(":
        return _parse_gs1(text, raw=False)
    scheme = text[:8].lower()
    if scheme == "https://" or scheme.startswith("http://"):
        return _parse_url(text)
    return _classify(text, Form.PLAIN)


def _classify(code: str, form: Form) -> Payload:
    """Return the Payload for a bare code, recognised by its numbering shape."""
    if len(code) > MAX_CODE_LENGTH or not _CODE_CHARS.fullmatch(code):
        return _unknown(form, "not a Floorline code")
    upper = code.upper()  # codes are upper case; a typed code may not be
    kind = codes.kind_of(upper)
    if kind is not None:
        return Payload(Kind(kind.value), upper, form)
    return _unknown(form, "not a Floorline code", code)


def _parse_url(text: str) -> Payload:
    """Read ``http(s)://host[/prefix]/b/<code>``; any host: the server decides trust."""
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
    except ValueError:
        return _unknown(Form.URL, "malformed URL")
    _, sep, tail = parts.path.rpartition("/b/")
    tail = tail.rstrip("/")
    code = unquote(tail)
    if not sep or not hostname or "/" in tail:
        return _unknown(Form.URL, "URL is not a Floorline batch link")
    if not code or len(code) > MAX_CODE_LENGTH or not _CODE_CHARS.fullmatch(code):
        return _unknown(Form.URL, "URL carries no valid batch code")
    # A link names what its code's shape says; any other code is taken as a batch's.
    known = _classify(code, Form.URL)
    if known.kind is not Kind.UNKNOWN:
        return Payload(known.kind, known.code, Form.URL, host=parts.netloc)
    return Payload(Kind.BATCH, code, Form.URL, host=parts.netloc)


def _parse_gs1(text: str, *, raw: bool) -> Payload:
    """Read a GS1 element string; AI 21 names a serial, AI 10 a batch or lot."""
    try:
        fields = dict(gs1.parse_raw(text) if raw else gs1.parse_bracketed(text))
    except PayloadError as err:
        return _unknown(Form.GS1, f"bad GS1 data: {err}")
    gtin, lot, serial = fields.get("01"), fields.get("10"), fields.get("21")
    if serial is not None:
        return Payload(Kind.SERIAL, serial, Form.GS1, gtin=gtin, lot=lot, serial=serial)
    if lot is not None:
        # AI 10 holds our batch codes and every lot number (a supplier's has any shape).
        kind = Kind.BATCH if codes.kind_of(lot) is codes.CodeKind.BATCH else Kind.LOT
        return Payload(kind, lot, Form.GS1, gtin=gtin, lot=lot)
    return Payload(Kind.UNKNOWN, "", Form.GS1, gtin=gtin, problem="GS1 data has no lot or serial")
