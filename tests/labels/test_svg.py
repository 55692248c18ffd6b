"""Tests for labels.svg: the emitted geometry itself decodes, text is escaped XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PIL import Image, ImageDraw

from labels.layouts import get_layout
from labels.svg import render_label_svg
from tests.labels.support import decode, make_label

SVG = "{http://www.w3.org/2000/svg}"


def rasterize_svg_qr(svg: bytes, px_per_mm: int = 12) -> Image.Image:
    """Paint the QR path of a label SVG (translate + scale + runs) into an image."""
    root = ET.fromstring(svg)
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    path = root.find(f"{SVG}path")
    assert path is not None
    tx, ty, scale = (float(v) for v in re.findall(r"[\d.]+", path.get("transform", "")))
    image = Image.new("L", (int(width * px_per_mm), int(height * px_per_mm)), 255)
    draw = ImageDraw.Draw(image)
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path.get("d", "")):
        x0 = (tx + int(x) * scale) * px_per_mm
        y0 = (ty + int(y) * scale) * px_per_mm
        x1 = (tx + (int(x) + int(n)) * scale) * px_per_mm
        y1 = (ty + (int(y) + 1) * scale) * px_per_mm
        draw.rectangle([round(x0), round(y0), round(x1) - 1, round(y1) - 1], fill=0)
    return image


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
