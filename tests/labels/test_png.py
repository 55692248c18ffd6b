"""Tests for labels.png: each label image decodes to its payload."""

from __future__ import annotations

import pytest

from labels.errors import CapacityError, UnsupportedTextError
from labels.layouts import builtin_layouts, get_layout
from labels.png import render_label_png
from tests.labels.support import decode, make_label, needs_wide_font, png_image


@pytest.mark.parametrize("layout", sorted(builtin_layouts()))
def test_every_built_in_layout_renders_a_png_that_decodes(layout: str) -> None:
    label = make_label(5, payload_text="https://floor.example/b/B-2026-000005")
    image = png_image(render_label_png(label, get_layout(layout)))
    chosen = get_layout(layout)
    assert image.size == (
        round(chosen.label[0] * chosen.dpi / 25.4),
        round(chosen.label[1] * chosen.dpi / 25.4),
    )
    assert decode(image) == ["https://floor.example/b/B-2026-000005"]


def test_the_png_records_its_dpi_for_printing_at_true_size() -> None:
    image = png_image(render_label_png(make_label(1), get_layout("thermal-50x25")))
    assert tuple(round(v) for v in image.info["dpi"]) == (203, 203)


@needs_wide_font
def test_greek_and_cyrillic_text_renders_and_chinese_fails_clearly() -> None:
    render_label_png(make_label(1, item_name="Болт Ωmega"), get_layout("thermal-50x25"))
    with pytest.raises(UnsupportedTextError):
        render_label_png(make_label(1, item_name="螺丝"), get_layout("thermal-50x25"))


def test_a_payload_too_long_for_the_label_is_refused() -> None:
    with pytest.raises(CapacityError):
        render_label_png(make_label(1, payload_text="X" * 400), get_layout("thermal-50x25"))
