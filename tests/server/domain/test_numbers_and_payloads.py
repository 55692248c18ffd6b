"""Every number the server makes is read back by the label payload as its own kind."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labels import codes
from labels.errors import PayloadError
from labels.payload import Form, Kind, encode, parse
from server.domain import numbering

GS1_MAX = 20  # AI 10 and AI 21 hold at most 20 characters
years = st.integers(min_value=1, max_value=codes.MAX_YEAR)
seqs = st.integers(min_value=1, max_value=codes.MAX_SEQUENCE)
serial_types = st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True).filter(
    lambda t: t.upper() not in codes.RESERVED_SERIAL_TYPES)
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
SEQUENCED = [(numbering.run_number, Kind.RUN), (numbering.batch_code, Kind.BATCH),
             (numbering.lot_number, Kind.LOT), (numbering.order_number, Kind.ORDER),
             (numbering.job_number, Kind.JOB), (numbering.shipment_number, Kind.SHIPMENT)]
made = st.one_of(
    *(st.builds(make, years, seqs).map(lambda c, k=kind: (c, k)) for make, kind in SEQUENCED),
    st.builds(numbering.serial_number, serial_types, days, seqs).map(lambda c: (c, Kind.SERIAL)),
)


@given(made)
def test_every_made_code_parses_as_its_own_kind(case):
    code, kind = case
    assert (parse(code).kind, parse(code).code) == (kind, code)
    assert (parse(code.lower()).kind, parse(code.lower()).code) == (kind, code)
    assert parse(f"{code}\r\n").code == code  # as a HID scanner sends it


@given(made, st.sampled_from([Form.URL, Form.GS1]))
def test_units_keep_their_kind_in_every_label_form(case, form):
    code, kind = case
    if kind not in (Kind.BATCH, Kind.LOT, Kind.SERIAL):
        return  # runs and orders get no unit label
    if form is Form.GS1 and len(code) > GS1_MAX:
        with pytest.raises(PayloadError):  # refused at printing, never misread
            encode(code, form=form, kind=kind)
        return
    payload = parse(encode(code, form=form, kind=kind, host="floor.example"))
    assert (payload.kind, payload.code) == (kind, code)


@given(st.from_regex(r"(PR|B|L|SO|[A-Z0-9]{1,8})-[0-9]{4}(-[0-9]{4})?-[0-9]{1,10}",
                     fullmatch=True))
def test_a_code_is_read_only_in_the_one_spelling_the_server_makes(text):
    kind = codes.kind_of(text)
    if kind is None:
        return
    parts = text.split("-")
    if kind is codes.CodeKind.SERIAL:
        mmdd = parts[2]
        again = numbering.serial_number(parts[0], date(int(parts[1]), int(mmdd[:2]),
                                                       int(mmdd[2:])), int(parts[3]))
    else:
        again = codes.sequenced(kind, int(parts[1]), int(parts[2]))
    assert again == text


def test_runs_and_orders_are_never_taken_for_units():
    assert parse("PR-2026-00042").kind is Kind.RUN
    assert parse("SO-2026-00007").kind is Kind.ORDER
    assert parse("B-2026-00042").kind is Kind.UNKNOWN  # five digits: a run's width, no batch


def test_shipment_numbers_are_their_own_kind_never_a_unit():
    assert numbering.shipment_number(2026, 3) == "SH-2026-00003"
    assert parse("SH-2026-00003").kind is Kind.SHIPMENT
    assert parse("sh-2026-00003").code == "SH-2026-00003"
    assert parse("SH-2026-0003").kind is Kind.UNKNOWN  # four digits: not a spelling made

