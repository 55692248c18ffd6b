"""Tests for labels.svg: the emitted geometry itself decodes, text is escaped XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from labels.layouts import get_layout
from labels.svg import render_label_svg
from tests.labels.support import decode, make_label, rasterize_svg_qr

SVG = "{http://www.w3.org/2000/svg}"


def test_the_svg_qr_geometry_decodes_to_the_payload() -> None:
    label = make_label(9, payload_text="https://floor.example/b/B-2026-000009")
    assert decode(rasterize_svg_qr(render_label_svg(label, get_layout("thermal-100x50")))) == [
        "https://floor.example/b/B-2026-000009"
    ]


def test_the_svg_is_sized_in_millimetres() -> None:
    root = ET.fromstring(render_label_svg(make_label(1), get_layout("thermal-50x25")))
    assert (root.get("width"), root.get("height")) == ("50mm", "25mm")


def test_markup_and_non_ascii_in_text_arrive_as_text() -> None:
    label = make_label(1, item_sku="<b>&", item_name="Grüße 螺丝")
    root = ET.fromstring(render_label_svg(label, get_layout("thermal-100x50")))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert texts[0] == "B-2026-000001"
    assert texts[1].startswith("<b>& Grüße 螺丝")
