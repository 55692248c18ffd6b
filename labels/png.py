"""PNG labels with Pillow (reportlab's own imaging dependency), one image per label.

QR modules are whole pixels (nearest-neighbour scaling) so a thermal printer driven
at the layout's dpi prints crisp modules; text uses a TrueType font after a glyph check.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labels import fonts, matrix
from labels.content import LabelData, all_text, body_lines, fit_line
from labels.errors import CapacityError
from labels.layouts import QUIET_ZONE_MODULES, Layout

MM_PER_INCH = 25.4
LINE_SPACING = 1.2
_TO_GRAY = bytes.maketrans(b"10", b"\x00\xff")


def _px(mm: float, dpi: int) -> int:
    """Convert millimetres to whole pixels at ``dpi``."""
    return round(mm * dpi / MM_PER_INCH)


@lru_cache(maxsize=32)
def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """Load a TrueType font at a pixel size once."""
    return ImageFont.truetype(str(path), size_px)


def _qr_image(qr: matrix.Matrix, layout: Layout) -> Image.Image:
    """Return the symbol scaled by a whole number of pixels per module."""
    box_px = _px(layout.qr_size, layout.dpi)
    scale = box_px // (qr.size + 2 * QUIET_ZONE_MODULES)
    if scale < 1:
        raise CapacityError(
            f"a {qr.size}x{qr.size} QR code does not fit {layout.qr_size:g} mm at"
            f" {layout.dpi} dpi on layout {layout.name!r}"
        )
    small = Image.frombytes("L", (qr.size, qr.size), qr.bits.translate(_TO_GRAY))
    return small.resize((qr.size * scale, qr.size * scale), Image.Resampling.NEAREST)


def _draw_text(image: Image.Image, label: LabelData, layout: Layout) -> None:
    """Draw the code and body lines in the layout's text box, cut to its width."""
    path = fonts.font_path(layout.font)
    fonts.require_glyphs(all_text(label), path)
    draw = ImageDraw.Draw(image)
    box, dpi = layout.text_box(), layout.dpi
    x, y = _px(box.x, dpi), _px(box.y, dpi)
    width, bottom = _px(box.width, dpi), _px(box.y + box.height, dpi)
    lines = [(layout.title_size, label.code)]
    lines += [(layout.font_size, line) for line in body_lines(label)]
    for size_pt, text in lines:
        font = _font(path, max(1, round(size_pt * dpi / 72)))
        step = round(font.size * LINE_SPACING)
        if y + step > bottom:
            break  # the box is full; the code comes first, so it is always there
        draw.text((x, y), fit_line(text, width, font.getlength), fill=0, font=font)
        y += step


def label_image(label: LabelData, layout: Layout) -> Image.Image:
    """Return one label as a grayscale image at the layout's dpi."""
    dpi = layout.dpi
    image = Image.new("L", (_px(layout.label[0], dpi), _px(layout.label[1], dpi)), 255)
    qr = _qr_image(matrix.for_layout(label.qr_text, layout), layout)
    box = layout.qr_box()
    offset = (_px(box.width, dpi) - qr.width) // 2  # centre the whole-pixel symbol
    image.paste(qr, (_px(box.x, dpi) + offset, _px(box.y, dpi) + offset))
    _draw_text(image, label, layout)
    return image


def render_label_png(label: LabelData, layout: Layout) -> bytes:
    """Return one label as PNG bytes, with its dpi recorded in the file."""
    out = io.BytesIO()
    label_image(label, layout).save(out, format="PNG", dpi=(layout.dpi, layout.dpi))
    return out.getvalue()
