"""PDF labels with reportlab: single thermal labels or sheets in a grid.

Each QR is written as one inline 1-bit image mask (``BI … ID … EI``): one content-stream
operator per symbol instead of one rectangle per module or run, which is what keeps a
1,000-label sheet PDF under a second (see labels/README.md).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from labels import fonts, matrix
from labels.content import LabelData, all_text, body_lines, fit_line
from labels.layouts import QUIET_ZONE_MODULES, Layout

PT_PER_MM = 72 / 25.4
LINE_SPACING = 1.2

Progress = Callable[[int, int], None]


_BASE14 = ("Helvetica-Bold", "Helvetica")


@lru_cache(maxsize=8)
def _widths(font: str) -> tuple[int, ...]:
    """Return a base-14 font's glyph widths indexed by Windows-1252 byte."""
    return tuple(pdfmetrics.getFont(font).widths)


def _base14_width(text: str, font: str, size: float) -> float:
    """Return the width of cp1252-encodable ``text`` in points."""
    widths = _widths(font)
    return sum(widths[b] for b in text.encode("cp1252")) * size / 1000


@lru_cache(maxsize=4096)  # item names, units and run numbers repeat across a batch
def _fit(text: str, font: str, size: float, width: float) -> str:
    """Return ``text`` cut to ``width`` points in a base-14 font."""
    return fit_line(text, width, lambda s: _base14_width(s, font, size))


_ESCAPED = [chr(b) if 32 <= b < 127 else f"\\{b:03o}" for b in range(256)]
for _special in b"\\()":
    _ESCAPED[_special] = "\\" + chr(_special)


def _pdf_string(text: str) -> str:
    """Return ``text`` as a PDF literal string for a WinAnsi-encoded font."""
    # Octal escapes keep the content stream ASCII whatever encoding reportlab writes it in.
    return "(" + "".join(_ESCAPED[b] for b in text.encode("cp1252")) + ")"


def _lines(label: LabelData, layout: Layout) -> list[tuple[int, float, str]]:
    """Return (0 = title, 1 = body, size, text) for every line on the label."""
    lines = [(0, layout.title_size, label.code)]
    return lines + [(1, layout.font_size, line) for line in body_lines(label)]


def _draw_text_base14(
    canvas: Canvas, label: LabelData, layout: Layout, x: float, top: float
) -> None:
    """Write the lines as one raw text object: far cheaper than drawString per line."""
    box = layout.text_box()
    width, bottom = box.width * PT_PER_MM, top - box.height * PT_PER_MM
    # reportlab keeps one font resource dictionary per document; this registers the font.
    names = [canvas._doc.getInternalFontName(font) for font in _BASE14]
    ops, y = ["BT"], top
    for which, size, text in _lines(label, layout):
        y -= size * LINE_SPACING
        if y < bottom:
            break  # the box is full; the code comes first, so it is always there
        line = _fit(text, _BASE14[which], size, width)
        ops.append(f"{names[which]} {size:g} Tf 1 0 0 1 {x:.2f} {y + size * 0.2:.2f} Tm")
        ops.append(f"{_pdf_string(line)} Tj")
    canvas.addLiteral(" ".join([*ops, "ET"]))


def _draw_text_ttf(canvas: Canvas, label: LabelData, layout: Layout, x: float, top: float) -> None:
    """Draw the lines in a TrueType font (subset-embedded by reportlab) after a glyph check."""
    path = fonts.font_path(layout.font)
    fonts.require_glyphs(all_text(label), path)
    font = fonts.ttf_name(path)
    box = layout.text_box()
    width, bottom = box.width * PT_PER_MM, top - box.height * PT_PER_MM
    y = top
    for _, size, text in _lines(label, layout):
        y -= size * LINE_SPACING
        if y < bottom:
            break

        def measure(s: str, size: float = size) -> float:
            return float(pdfmetrics.stringWidth(s, font, size))

        canvas.setFont(font, size)
        canvas.drawString(x, y + size * 0.2, fit_line(text, width, measure))


def _draw_qr(canvas: Canvas, qr: matrix.Matrix, x: float, y: float, size: float) -> None:
    """Draw the symbol as an image mask filling ``size`` points, quiet zone included."""
    module = size / (qr.size + 2 * QUIET_ZONE_MODULES)
    side = module * qr.size
    left = x + module * QUIET_ZONE_MODULES
    bottom = y + module * QUIET_ZONE_MODULES
    canvas.addLiteral(
        f"q {side:.3f} 0 0 {side:.3f} {left:.3f} {bottom:.3f} cm"
        f" BI /W {qr.size} /H {qr.size} /IM true /D [1 0] /F /AHx ID"
        f" {qr.packed_hex()}> EI Q"
    )


def _draw_text(canvas: Canvas, label: LabelData, layout: Layout, x: float, top: float) -> None:
    """Draw the code and body lines from ``top`` down, cut to the text box."""
    if fonts.is_cp1252(all_text(label)):
        _draw_text_base14(canvas, label, layout, x, top)
    else:
        _draw_text_ttf(canvas, label, layout, x, top)


def draw_label(
    canvas: Canvas, label: LabelData, layout: Layout, origin: tuple[float, float]
) -> None:
    """Draw one label whose top-left corner is ``origin`` (mm from the page's top-left)."""
    page_height = layout.page[1] * PT_PER_MM
    qr_box, text_box = layout.qr_box(), layout.text_box()
    qr = matrix.for_layout(label.qr_text, layout)
    qr_x = (origin[0] + qr_box.x) * PT_PER_MM
    qr_y = page_height - (origin[1] + qr_box.y + qr_box.height) * PT_PER_MM
    _draw_qr(canvas, qr, qr_x, qr_y, qr_box.width * PT_PER_MM)
    text_x = (origin[0] + text_box.x) * PT_PER_MM
    text_top = page_height - (origin[1] + text_box.y) * PT_PER_MM
    _draw_text(canvas, label, layout, text_x, text_top)


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Skip ASCII85 on streams while saving: it is pure Python here and a third of the time.

    reportlab reads this flag from its global config; flipping it only changes how
    another thread's concurrent save encodes its (equally valid) streams.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def render_pdf(
    labels: Sequence[LabelData], layout: Layout, progress: Progress | None = None
) -> bytes:
    """Return a PDF with ``labels`` laid out per ``layout``, one or many per page."""
    out = io.BytesIO()
    page_size = (layout.page[0] * PT_PER_MM, layout.page[1] * PT_PER_MM)
    canvas = Canvas(out, pagesize=page_size, invariant=True, pageCompression=1)
    canvas.setTitle("Floorline labels")
    origins = list(layout.origins())
    total = len(labels)
    for i, label in enumerate(labels):
        draw_label(canvas, label, layout, origins[i % layout.per_page])
        if (i + 1) % layout.per_page == 0 or i + 1 == total:
            canvas.showPage()
            if progress is not None:
                progress(i + 1, total)
    if total == 0:
        canvas.showPage()  # a valid, empty one-page document rather than a broken file
    with _binary_streams():
        canvas.save()
    return out.getvalue()
