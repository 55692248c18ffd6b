"""ZPL II for Zebra printers: ``^BQ`` QR codes and ``^A0`` text, UTF-8 via ``^CI28``.

Field data goes through ``^FH`` hex escapes for ``^``, ``~`` and ``_`` so no label text can
inject printer commands. The printer builds the QR itself; its magnification is a whole
number of dots per module, chosen from zxing-cpp's matrix size for the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from labels import fonts, matrix
from labels.content import LabelData, all_text, body_lines, fit_line
from labels.errors import CapacityError, UnsupportedTextError
from labels.layouts import QUIET_ZONE_MODULES, Layout

MM_PER_INCH = 25.4
LINE_SPACING = 1.2
MAX_MAGNIFICATION = 10  # ^BQ accepts 1..10
_ESCAPES = {"^": "_5E", "~": "_7E", "_": "_5F"}

Progress = Callable[[int, int], None]


def _dots(mm: float, dpi: int) -> int:
    """Convert millimetres to printer dots."""
    return round(mm * dpi / MM_PER_INCH)


def field(text: str) -> str:
    """Return ``^FH_^FD<text>^FS`` with command characters hex-escaped."""
    if any(not ch.isprintable() for ch in text):
        raise UnsupportedTextError(f"ZPL field has control characters: {text[:60]!r}")
    return "^FH_^FD" + "".join(_ESCAPES.get(ch, ch) for ch in text) + "^FS"


def _font_command(label: LabelData, layout: Layout) -> str:
    """Return the font selector: built-in ^A0, or ^A@ with the layout's printer font."""
    if layout.zpl_font:
        return f"^A@N,{{h}},{{h}},{layout.zpl_font}"
    if not fonts.is_cp1252(all_text(label)):
        raise UnsupportedTextError(
            "ZPL font 0 covers Latin text only; set 'zpl_font' in the layout to a printer"
            f" font (for example E:NOTOSANS.TTF) to print {label.item_name!r}"
        )
    return "^A0N,{h},{h}"


def _magnification(qr: matrix.Matrix, layout: Layout, dpi: int) -> int:
    """Return whole dots per module that fit the QR box and respect the minimum module."""
    mag = min(MAX_MAGNIFICATION, _dots(layout.qr_size, dpi) // (qr.size + 2 * QUIET_ZONE_MODULES))
    if mag < 1 or mag * MM_PER_INCH / dpi < layout.min_module - 1e-9:
        raise CapacityError(
            f"a {qr.size}x{qr.size} QR code needs modules smaller than"
            f" {layout.min_module:g} mm in {layout.qr_size:g} mm at {dpi} dpi"
            f" (layout {layout.name!r}); shorten the payload or use a larger layout"
        )
    return mag


@lru_cache(maxsize=1024)
def _fit(text: str, size_pt: float, width_mm: float) -> str:
    """Cut ``text`` to the width; font 0 (CG Triumvirate) has Helvetica-like metrics."""

    def measure(s: str) -> float:
        known = s.encode("cp1252", "replace").decode("cp1252")
        return float(stringWidth(known, "Helvetica", size_pt)) * MM_PER_INCH / 72

    return fit_line(text, width_mm, measure)


def _text_fields(label: LabelData, layout: Layout, dpi: int) -> list[str]:
    """Return ^FO/^A/^FD commands for the code and body lines."""
    font = _font_command(label, layout)
    box = layout.text_box()
    lines = [(layout.title_size, label.code)]
    lines += [(layout.font_size, line) for line in body_lines(label)]
    out, y = [], box.y
    for size, text in lines:
        step = size * MM_PER_INCH / 72 * LINE_SPACING
        if y + step > box.y + box.height:
            break
        h = round(size * dpi / 72)
        out.append(f"^FO{_dots(box.x, dpi)},{_dots(y, dpi)}{font.format(h=h)}")
        out.append(field(_fit(text, size, box.width)))
        y += step
    return out


def render_label_zpl(label: LabelData, layout: Layout, dpi: int | None = None) -> str:
    """Return one label as a ZPL II format (``^XA`` … ``^XZ``) at ``dpi`` (default: layout's)."""
    dpi = dpi or layout.dpi
    qr = matrix.for_layout(label.qr_text, layout)
    mag = _magnification(qr, layout, dpi)
    box = layout.qr_box()
    # ^BQ draws no quiet zone: offset the symbol by it so the layout's box stays true.
    inset = (
        _dots(box.x, dpi) + QUIET_ZONE_MODULES * mag,
        _dots(box.y, dpi) + QUIET_ZONE_MODULES * mag,
    )
    return "\n".join(
        [
            "^XA",
            "^CI28",
            f"^PW{_dots(layout.label[0], dpi)}",
            f"^LL{_dots(layout.label[1], dpi)}",
            "^LH0,0",
            f"^FO{inset[0]},{inset[1]}^BQN,2,{mag}",
            field(f"{layout.ec_level}A,{label.qr_text}"),
            *_text_fields(label, layout, dpi),
            "^PQ1",
            "^XZ",
            "",
        ]
    )


def render_zpl(
    labels: Sequence[LabelData],
    layout: Layout,
    dpi: int | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Return a ZPL stream of one format per label, UTF-8 encoded for ``^CI28``."""
    parts: list[str] = []
    total = len(labels)
    for i, label in enumerate(labels, 1):
        parts.append(render_label_zpl(label, layout, dpi))
        if progress is not None and (i % 100 == 0 or i == total):
            progress(i, total)
    return "".join(parts).encode("utf-8")
