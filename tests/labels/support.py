"""Helpers for label tests: sample labels, a real QR decoder (zxing-cpp), PDF and SVG rasters."""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from labels.content import LabelData


def make_label(i: int = 1, **changes: str | None) -> LabelData:
    """Return a realistic batch label; keyword arguments replace fields."""
    fields: dict[str, str | None] = {
        "code": f"B-2026-{i:06d}",
        "item_sku": "WDG-100",
        "item_name": "Widget bracket, zinc plated",
        "quantity": "250",
        "unit": "pcs",
        "run_number": "PR-2026-00042",
        "first_step": "Cut",
        "due_date": "2026-06-01",
        "payload_text": None,
    }
    fields.update(changes)
    return LabelData(**fields)  # type: ignore[arg-type]


def decode(image: Image.Image) -> list[str]:
    """Return the text of every QR code zxing-cpp finds in ``image``."""
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [barcode.text for barcode in found]


def png_image(data: bytes) -> Image.Image:
    """Open PNG bytes as an image."""
    return Image.open(io.BytesIO(data))


def rasterize_pdf(pdf: bytes, tmp_path: Path, dpi: int = 200) -> list[Image.Image]:
    """Render every page with poppler's pdftoppm and return the page images."""
    source = tmp_path / "labels.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    return [Image.open(p) for p in sorted(tmp_path.glob("page-*.pgm"))]


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


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Return the text poppler extracts from a PDF."""
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def has_wide_font() -> bool:
    """Tell whether the default TrueType font covers Greek and Cyrillic (DejaVu Sans)."""
    from labels.fonts import default_font_path

    return default_font_path().name.startswith("DejaVu")


needs_wide_font = pytest.mark.skipif(
    not has_wide_font(), reason="needs DejaVu Sans (Debian: fonts-dejavu-core) for Greek/Cyrillic"
)
