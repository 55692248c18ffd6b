"""Tests for labels.gs1.supplier_label: what receiving reads from a supplier's GS1 label."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st

from labels import gs1
from labels.gs1 import GS, GS1Error, NetWeight, SupplierLabel

TODAY = date(2026, 12, 2)
GTIN = "09501101530003"  # GS1 General Specifications example GTIN


def test_a_transmitted_label_with_aim_prefix_gives_every_field() -> None:
    text = "]d2" + "01" + GTIN + "17270331" + "3103001250" + "10LOT-7" + GS + "21SN9\r"
    assert gs1.supplier_label(text, today=TODAY) == SupplierLabel(
        gtin=GTIN, lot="LOT-7", expiry=date(2027, 3, 31), serial="SN9",
        net_weight=NetWeight(Decimal("1.250"), "kg"))


@pytest.mark.parametrize("prefix", ["]Q3", "]d2", "]C1", "", GS])
def test_raw_and_bracketed_forms_read_the_same(prefix: str) -> None:
    raw = prefix + "01" + GTIN + "10ABC" + GS + "17261200"
    bracketed = f"(01){GTIN}(10)ABC(17)261200"
    assert gs1.supplier_label(raw, today=TODAY) == gs1.supplier_label(bracketed, today=TODAY)


def test_a_wrong_gtin_check_digit_is_refused_and_named() -> None:
    with pytest.raises(GS1Error, match="check digit") as err:
        gs1.supplier_label("(01)09501101530004(10)A", today=TODAY)
    assert (err.value.reason, err.value.ai) == ("check_digit", "01")


@pytest.mark.parametrize("value", ["261301", "260230", "270229", "260732", "26AB01"])
def test_impossible_expiry_dates_are_refused(value: str) -> None:
    with pytest.raises(GS1Error) as err:
        gs1.supplier_label(f"(01){GTIN}(17){value}", today=TODAY)
    assert err.value.ai == "17"


def test_day_zero_means_the_last_day_of_the_month_for_expiry() -> None:
    assert gs1.supplier_label("(17)280200", today=TODAY).expiry == date(2028, 2, 29)
    assert gs1.supplier_label("(17)270200", today=TODAY).expiry == date(2027, 2, 28)
    assert gs1.supplier_label("(15)271100", today=TODAY).best_before == date(2027, 11, 30)
    assert gs1.supplier_label("(11)261100", today=TODAY).production_date == date(2026, 11, 1)


@pytest.mark.parametrize(
    ("yy", "today", "year"),
    [(26, date(2026, 1, 1), 2026), (76, date(2026, 1, 1), 2076),  # 50 ahead: this century
     (77, date(2026, 1, 1), 1977),  # 51 ahead: the previous century
     (99, date(2026, 6, 1), 1999), (0, date(2026, 6, 1), 2000),
     (10, date(2095, 1, 1), 2110),  # 85 back: the next century
     (45, date(2095, 1, 1), 2145), (46, date(2095, 1, 1), 2046)],
)
def test_two_digit_years_follow_the_gs1_sliding_window(yy: int, today: date, year: int) -> None:
    assert gs1.full_year(yy, today) == year


def test_29_february_of_a_century_year_that_is_not_leap_is_refused() -> None:
    # In 2080 the window puts YY 00 in 2100, which has no 29 February.
    with pytest.raises(GS1Error, match="not a date"):
        gs1.read_date("17", "000229", today=date(2080, 1, 1))


@pytest.mark.parametrize(
    ("field", "weight"),
    [("3100000012", NetWeight(Decimal(12), "kg")),
     ("3103001250", NetWeight(Decimal("1.25"), "kg")),
     ("3105123456", NetWeight(Decimal("1.23456"), "kg")),
     ("3202000450", NetWeight(Decimal("4.5"), "lb"))],
)
def test_net_weight_has_n_decimals_in_its_unit(field: str, weight: NetWeight) -> None:
    got = gs1.supplier_label(f"01{GTIN}{field}", today=TODAY).net_weight
    assert got == weight and got is not None and got.unit == weight.unit


def test_a_weight_with_more_than_five_decimals_is_not_a_net_weight() -> None:
    with pytest.raises(GS1Error, match="net weight"):
        gs1.supplier_label(f"01{GTIN}3106123456", today=TODAY)


@pytest.mark.parametrize("text", ["", "]d2", "hello", "(10)A(10)B", "(99)", "7240ABC"])
def test_junk_is_refused_as_gs1_error(text: str) -> None:
    with pytest.raises(GS1Error):
        gs1.supplier_label(text, today=TODAY)


_LOT = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-./", min_size=1, max_size=20)
_DAY = st.dates(min_value=date(1977, 1, 1), max_value=date(2076, 12, 31))


@st.composite
def labels(draw: Any) -> SupplierLabel:
    body = draw(st.text(alphabet="0123456789", min_size=13, max_size=13))
    places = draw(st.integers(0, 5))
    amount = Decimal(draw(st.integers(0, 999_999))).scaleb(-places)
    return SupplierLabel(
        gtin=draw(st.none() | st.just(body + str(gs1.check_digit(body)))),
        lot=draw(st.none() | _LOT), expiry=draw(st.none() | _DAY),
        serial=draw(st.none() | _LOT),
        net_weight=draw(st.none() | st.just(NetWeight(amount, draw(st.sampled_from(
            ["kg", "lb"]))))),
        production_date=draw(st.none() | _DAY), best_before=draw(st.none() | _DAY))


def _same(a: SupplierLabel, b: SupplierLabel) -> bool:
    return a == b  # NetWeight compares Decimal amounts by value: 1.0 kg == 1 kg


@given(label=labels(), aim=st.sampled_from(["", "]Q3", "]d2", "]C1"]))
def test_supplier_labels_round_trip_through_both_forms(label: SupplierLabel, aim: str) -> None:
    fields = gs1.supplier_fields(label)
    if not fields:
        return
    assert _same(gs1.supplier_label(aim + gs1.to_raw(fields), today=TODAY), label)
    assert _same(gs1.supplier_label(gs1.to_bracketed(fields), today=TODAY), label)


FORMATS = {"]d2": zxingcpp.BarcodeFormat.DataMatrix, "]Q3": zxingcpp.BarcodeFormat.QRCode,
           "]C1": zxingcpp.BarcodeFormat.Code128}


@pytest.mark.parametrize("aim", sorted(FORMATS))
def test_a_rendered_gs1_symbol_decodes_to_the_same_label(aim: str) -> None:
    label = SupplierLabel(gtin=GTIN, lot="L2026/17", expiry=date(2027, 6, 30), serial="SN-1",
                          net_weight=NetWeight(Decimal("25.5"), "kg"))
    symbol = zxingcpp.create_barcode(gs1.to_bracketed(gs1.supplier_fields(label)),
                                     FORMATS[aim], gs1=True)
    image = np.array(symbol.to_image(scale=4))
    [found] = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    assert found.content_type == zxingcpp.ContentType.GS1
    assert GS in found.text  # FNC1 after the variable-length lot, as a scanner sends it
    # What a USB scanner types: the AIM identifier of the symbology, then the data.
    assert gs1.supplier_label(aim + found.text, today=TODAY) == label
    assert gs1.supplier_label(found.symbology_identifier + found.text, today=TODAY) == label
