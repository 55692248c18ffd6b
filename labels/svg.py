"""SVG labels: the QR as one path of horizontal runs, text as real (selectable) text."""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from labels import matrix
from labels.content import LabelData, body_lines, fit_line
from labels.layouts import QUIET_ZONE_MODULES, Layout

MM_PER_PT = 25.4 / 72
LINE_SPACING = 1.2
FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif"


@lru_cache(maxsize=1024)
def _fit(text: str, size_pt: float, width_mm: float) -> str:
    """Cut ``text`` to the width, measured with Helvetica metrics as a close stand-in."""

    def measure(s: str) -> float:
        # Characters outside WinAnsi have no Helvetica metrics; count them as wide.
        known = s.encode("cp1252", "replace")
        return float(stringWidth(known.decode("cp1252"), "Helvetica", size_pt)) * MM_PER_PT

    return fit_line(text, width_mm, measure)


def _qr_path(qr: matrix.Matrix, layout: Layout) -> str:
    """Return a <path> drawing the symbol inside the layout's QR box."""
    box = layout.qr_box()
    module = box.width / (qr.size + 2 * QUIET_ZONE_MODULES)
    x0 = box.x + module * QUIET_ZONE_MODULES
    y0 = box.y + module * QUIET_ZONE_MODULES
    d = "".join(f"M{c} {r}h{n}v1h-{n}z" for r, c, n in qr.runs())
    return (
        f'<path transform="translate({x0:.3f} {y0:.3f}) scale({module:.5f})"'
        f' shape-rendering="crispEdges" d="{d}"/>'
    )


def _text(label: LabelData, layout: Layout) -> list[str]:
    """Return <text> elements for the code and body lines."""
    box = layout.text_box()
    lines = [(layout.title_size, "bold", label.code)]
    lines += [(layout.font_size, "normal", line) for line in body_lines(label)]
    out, y = [], box.y
    for size, weight, text in lines:
        y += size * MM_PER_PT * LINE_SPACING
        if y > box.y + box.height:
            break
        out.append(
            f'<text x="{box.x:.2f}" y="{y - size * MM_PER_PT * 0.2:.2f}"'
            f' font-size="{size * MM_PER_PT:.2f}" font-weight="{weight}">'
            f"{escape(_fit(text, size, box.width))}</text>"
        )
    return out


def render_label_svg(label: LabelData, layout: Layout) -> bytes:
    """Return one label as a standalone SVG document (UTF-8), sized in millimetres."""
    qr = matrix.for_layout(label.qr_text, layout)
    w, h = layout.label
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:g}mm" height="{h:g}mm"'
        f' viewBox="0 0 {w:g} {h:g}">',
        f"<title>{escape(label.code)}</title>",
        f'<rect width="{w:g}" height="{h:g}" fill="#fff"/>',
        _qr_path(qr, layout),
        f'<g font-family="{FONT_FAMILY}" fill="#000">',
        *_text(label, layout),
        "</g></svg>",
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")
