"""Tests for labels.pdf: rasterise with poppler, decode every QR with zxing-cpp."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from labels.errors import CapacityError, UnsupportedTextError
from labels.layouts import get_layout
from labels.payload import encode
from labels.pdf import render_pdf
from tests.labels.support import decode, make_label, needs_wide_font, pdf_text, rasterize_pdf


def test_a_two_page_a4_sheet_decodes_to_exactly_the_printed_codes(tmp_path: Path) -> None:
    host = "floor.example"
    labels = [
        make_label(i, payload_text=encode(f"B-2026-{i:06d}", form="url", host=host))
        for i in range(1, 31)
    ]
    pages = rasterize_pdf(render_pdf(labels, get_layout("a4-3x8")), tmp_path)
    assert len(pages) == 2
    found = [text for page in pages for text in decode(page)]
    assert sorted(found) == sorted(label.qr_text for label in labels)


@pytest.mark.parametrize(
    ("layout", "size_pt"),
    [
        ("thermal-50x25", (141.7, 70.9)),
        ("thermal-100x50", (283.5, 141.7)),
        ("thermal-4x6", (288.0, 432.0)),
        ("letter-3x10", (612.0, 792.0)),
    ],
)
def test_single_labels_and_sheets_have_their_page_size_and_decode(
    tmp_path: Path, layout: str, size_pt: tuple[float, float]
) -> None:
    labels = [make_label(1), make_label(2, payload_text="(10)B-2026-000002")]
    pdf = render_pdf(labels, get_layout(layout))
    document = pdfium.PdfDocument(pdf)
    width, height = document[0].get_size()
    document.close()
    assert (round(width, 1), round(height, 1)) == size_pt
    found = [text for page in rasterize_pdf(pdf, tmp_path) for text in decode(page)]
    # zxing-cpp reports a GS1 QR in bracketed form: the FNC1 symbol round-trips.
    assert sorted(found) == ["(10)B-2026-000002", "B-2026-000001"]


def test_human_readable_text_is_on_the_label(tmp_path: Path) -> None:
    text = pdf_text(
        render_pdf([make_label(7, due_date=None)], get_layout("thermal-100x50")), tmp_path
    )
    for expected in ("B-2026-000007", "WDG-100", "Qty 250 pcs", "Run PR-2026-00042", "Step Cut"):
        assert expected in text
    assert "Due" not in text


@pytest.mark.parametrize(
    "name", ["Grüße € (Ø 12)", pytest.param("Болт M8 Ωmega", marks=needs_wide_font)]
)
def test_non_ascii_item_names_come_out_as_the_same_characters(tmp_path: Path, name: str) -> None:
    pdf = render_pdf([make_label(1, item_name=name)], get_layout("thermal-100x50"))
    assert name in pdf_text(pdf, tmp_path)


def test_characters_no_font_can_draw_fail_clearly_instead_of_printing_boxes() -> None:
    with pytest.raises(UnsupportedTextError, match="U\\+87BA"):
        render_pdf([make_label(1, item_name="螺丝 M8")], get_layout("a4-3x8"))


def test_a_code_too_long_for_the_label_is_refused_naming_the_layout() -> None:
    long_url = encode("B-2026-000001", form="url", host="a" * 60 + ".example") + "?" + "x" * 200
    with pytest.raises(CapacityError, match="thermal-50x25"):
        render_pdf([make_label(1, payload_text=long_url)], get_layout("thermal-50x25"))


def test_an_empty_batch_is_still_a_valid_pdf() -> None:
    document = pdfium.PdfDocument(render_pdf([], get_layout("a4-3x8")))
    assert len(document) == 1
    document.close()
