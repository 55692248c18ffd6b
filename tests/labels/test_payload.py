"""Tests for labels.payload: the one definition of what a label encodes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labels import codes, gs1
from labels.errors import PayloadError
from labels.payload import MAX_SCAN_LENGTH, Form, Kind, encode, parse

batch_codes = st.builds(codes.sequenced, st.just(codes.CodeKind.BATCH),
                        st.integers(min_value=2000, max_value=2099),
                        st.integers(min_value=1, max_value=999_999))
host_names = st.from_regex(
    r"[a-z][a-z0-9]{0,10}(\.[a-z]{2,5}){0,2}(:[1-9][0-9]{1,3})?", fullmatch=True
)
cset82 = st.text(
    alphabet="!\"%&'*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    min_size=1,
    max_size=20,
)
any_codes = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=64
)


@given(code=batch_codes, form=st.sampled_from(["plain", "url", "gs1"]), host=host_names)
def test_every_form_of_a_batch_code_parses_back_to_the_batch(
    code: str, form: str, host: str
) -> None:
    payload = parse(encode(code, form=form, host=host))
    assert (payload.kind, payload.code, payload.form) == (Kind.BATCH, code, Form(form))


@given(code=any_codes, host=host_names)
def test_any_valid_code_survives_the_url_form(code: str, host: str) -> None:
    payload = parse(encode(code, form="url", host=host))
    known = codes.kind_of(code.upper())
    kind = Kind(known.value) if known else Kind.BATCH  # a link to a code of no known shape
    assert (payload.kind, payload.code.upper(), payload.host) == (kind, code.upper(), host)
    if known is None:
        assert payload.code == code


@given(lot=cset82, serial=cset82)
def test_gs1_serial_with_lot_round_trips_in_bracketed_and_transmitted_forms(
    lot: str, serial: str
) -> None:
    bracketed = encode(serial, form="gs1", kind="serial", lot=lot, gtin="09501101530003")
    transmitted = gs1.to_raw(gs1.parse_bracketed(bracketed))
    for text in (bracketed, transmitted, "]Q3" + transmitted, gs1.GS + transmitted):
        payload = parse(text)
        assert (payload.kind, payload.code, payload.lot) == (Kind.SERIAL, serial, lot)
        assert payload.gtin == "09501101530003"


@given(st.text(max_size=300))
def test_parse_never_raises_on_arbitrary_text(text: str) -> None:
    payload = parse(text)
    assert payload.kind in set(Kind)
    if payload.kind is Kind.UNKNOWN:
        assert payload.problem


@given(st.binary(max_size=50) | st.integers() | st.none())
def test_parse_returns_unknown_for_anything_that_is_not_text(raw: object) -> None:
    assert parse(raw).kind is Kind.UNKNOWN


def test_a_scan_longer_than_the_limit_is_flagged_not_parsed() -> None:
    payload = parse("B" * (MAX_SCAN_LENGTH + 1))
    assert payload.kind is Kind.UNKNOWN and "longer" in (payload.problem or "")


@pytest.mark.parametrize("junk", ["B-2026-\x00000123", "B-2026-000123\x1b[2J", "\x07", "a\x85b"])
def test_control_characters_other_than_group_separator_are_flagged(junk: str) -> None:
    payload = parse(junk)
    assert payload.kind is Kind.UNKNOWN and "control" in (payload.problem or "")


@pytest.mark.parametrize(
    ("raw", "kind", "code"),
    [
        ("B-2026-000123\r\n", Kind.BATCH, "B-2026-000123"),  # HID scanner suffix
        ("\tb-2026-000123 ", Kind.BATCH, "B-2026-000123"),  # typed in lower case
        ("]Q1B-2026-000123", Kind.BATCH, "B-2026-000123"),  # AIM symbology identifier
        ("http://10.0.0.5:5000/floorline/b/B-2026-000123/?src=phone", Kind.BATCH, "B-2026-000123"),
        ("HTTPS://FLOOR.EXAMPLE/b/B-2026-000123", Kind.BATCH, "B-2026-000123"),
        ("]Q310B-2026-000123", Kind.BATCH, "B-2026-000123"),
        ("(10)L-2026-0042", Kind.LOT, "L-2026-0042"),  # AI 10: any lot number is a lot
        ("L-2026-000042", Kind.LOT, "L-2026-000042"),
        ("9X-2026-0105-0007", Kind.SERIAL, "9X-2026-0105-0007"),
        ("PR-2026-00042", Kind.RUN, "PR-2026-00042"),
        ("so-2026-00007", Kind.ORDER, "SO-2026-00007"),
        ("j-2026-00031", Kind.JOB, "J-2026-00031"),
        ("https://floor.example/b/L-2026-000042", Kind.LOT, "L-2026-000042"),
        ("WDG-2026-0415-0007", Kind.SERIAL, "WDG-2026-0415-0007"),
        ("(01)09501101530003(21)SN-77", Kind.SERIAL, "SN-77"),
    ],
)
def test_scans_in_every_form_find_what_they_name(raw: str, kind: Kind, code: str) -> None:
    payload = parse(raw)
    assert (payload.kind, payload.code) == (kind, code)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "hello world",
        "https://floor.example/runs/PR-2026-00042",
        "L-2026-0042",  # not the spelling the server makes of a lot number
        "B-2026-0000123",
        "FG-2026-0230-0001",  # no 30 February
        "BADGE-2026-0105-0007",  # a badge, never a serial
        "https://floor.example/b/",
        "(01)09501101530004(10)B-2026-000123",  # wrong GTIN check digit: a misread
        "(99",
        "]Q3",
        "(01)09501101530003",  # GS1 without lot or serial
    ],
)
def test_scans_that_name_nothing_are_unknown(raw: str) -> None:
    assert parse(raw).kind is Kind.UNKNOWN


def test_an_unrecognised_but_clean_code_is_kept_for_the_server_to_look_up() -> None:
    payload = parse("SUPPLIER-LOT-77A")
    assert (payload.kind, payload.code) == (Kind.UNKNOWN, "SUPPLIER-LOT-77A")


@pytest.mark.parametrize(
    ("code", "options"),
    [
        ("", {}),
        ("B 2026", {}),
        ("B-2026-000123", {"form": "url"}),  # no host
        ("B-2026-000123", {"form": "url", "host": "evil.example/phish?x="}),
        ("B-2026-000123", {"form": "gs1", "gtin": "09501101530004"}),
        ("Ü-1", {}),
        ("X" * 21, {"form": "gs1"}),  # AI 10 holds at most 20 characters
        ("LOT(7)", {"form": "gs1"}),  # legal in GS1, ambiguous in the bracketed form
    ],
)
def test_encode_refuses_what_cannot_be_printed_faithfully(
    code: str, options: dict[str, str]
) -> None:
    with pytest.raises(PayloadError):
        encode(code, **options)  # type: ignore[arg-type]
