"""A shipment's packing slip as a PDF: customer, order, dates, every line, and a QR of its number.

The QR carries the shipment number, so scanning the slip at a packing station picks it.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from labels.fonts import default_font_path, ttf_name

MARGIN = 18 * mm
ROW = 6 * mm
COLUMNS = ((0, "#"), (12 * mm, "Code"), (70 * mm, "Item"), (135 * mm, "Quantity"))


def slip_pdf(shipment: dict[str, Any]) -> bytes:
    """Return the packing slip of a shipment (as shipment_dict answers it) as PDF bytes."""
    out = BytesIO()
    pdf = Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Packing slip {shipment['number']}")
    font = ttf_name(default_font_path())  # customer names may be in any script
    width, height = A4
    y = _header(pdf, font, shipment, width, height)
    y = _row(pdf, font, y, [c for _, c in COLUMNS], bold=True)
    for line in shipment["lines"]:
        if y < MARGIN + ROW:
            pdf.showPage()
            y = _row(pdf, font, height - MARGIN, [c for _, c in COLUMNS], bold=True)
        y = _row(pdf, font, y, [str(line["line_no"]), line["code"],
                                f"{line['item']} {line['item_name']}"[:40],
                                f"{line['quantity']} {line['unit']}"])
    pdf.setFont(font, 9)
    pdf.drawString(MARGIN, y - ROW, f"{len(shipment['lines'])} lines")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _header(pdf: Canvas, font: str, shipment: dict[str, Any], width: float, height: float
            ) -> float:
    top = height - MARGIN
    pdf.setFont(font, 18)
    pdf.drawString(MARGIN, top - 6 * mm, f"Packing slip {shipment['number']}")
    pdf.setFont(font, 10)
    facts = [f"Customer: {shipment['customer']} {shipment['customer_name']}",
             f"Order: {shipment['order'] or '-'}",
             f"Delivery date: {shipment['delivery_date'] or '-'}",
             f"Status: {shipment['status']}",
             f"Shipped: {shipment['shipped_at'] or '-'}"]
    for n, fact in enumerate(facts):
        pdf.drawString(MARGIN, top - (14 + 5 * n) * mm, fact)
    qr = QrCodeWidget(shipment["number"])
    x0, y0, x1, y1 = qr.getBounds()
    size = 30 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - MARGIN - size, top - size)
    return float(top - (16 + 5 * len(facts)) * mm)


def _row(pdf: Canvas, font: str, y: float, cells: list[str], *, bold: bool = False) -> float:
    pdf.setFont(font, 10 if bold else 9)
    for (x, _), text in zip(COLUMNS, cells, strict=True):
        pdf.drawString(MARGIN + x, y, text)
    if bold:
        pdf.line(MARGIN, y - 1.5 * mm, A4[0] - MARGIN, y - 1.5 * mm)
    return float(y - ROW)
