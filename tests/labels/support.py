"""Helpers for label tests: sample labels, a real QR decoder (zxing-cpp), PDF rasterising."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

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
